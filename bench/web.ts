import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { consoleActor } from '../src/platform/audit/actor.js';
import { createUser } from '../src/platform/auth/users.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { Services } from '../src/platform/context.js';
import { openDatabase } from '../src/platform/db/connect.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { buildApp } from '../src/platform/http/app.js';
import type { Page } from 'playwright-core';
import { launchBrowser, DESKTOP } from '../test/support/browser.js';
import { loadVulnerabilities } from './dataset.js';
import { report, seconds } from './report.js';

/**
 * Web benchmark (issue 7): largest contentful paint of the group vulnerability report with 1M vulnerabilities in
 * the database, in Debian's Chromium, from navigation to the first page of rows — median of several cold loads.
 */
const VULNERABILITIES = Number(process.env.VIGIL_BENCH_VULNERABILITIES ?? 1_000_000);
const LOADS = 7;
const PASSWORD = 'correct horse battery staple';

export async function webBenchmarks(databaseUrl: string | null): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-web-'));
  const config = loadConfig({ VIGIL_DATA_DIR: dir, VIGIL_PASSWORD_COST_LOG2: '10', LOG_LEVEL: 'silent', ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  const db = openDatabase(config);
  const svc: Services = { db, clock: systemClock, config, log: pino({ level: 'silent' }) };
  const where = db.dialect;
  const app = await buildApp(svc);
  const browser = await launchBrowser();
  try {
    await migrateToLatest(db);
    let started = performance.now();
    const dataset = await loadVulnerabilities(svc, { vulnerabilities: VULNERABILITIES, projects: 20, cves: 300_000 });
    report(`bulk load of ${VULNERABILITIES.toLocaleString('en')} vulnerabilities (${where}, setup)`, seconds(started), null);
    await createUser(svc, consoleActor('bench'), { username: 'bench', password: PASSWORD, isAdmin: true });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const reportUrl = `${url}/groups/${dataset.groupPath}/-/vulnerabilities`;
    const paints: number[] = [];
    const rows: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      // A new context each time: an empty HTTP cache, so the bundle is fetched and parsed as on a first visit. The
      // session comes from the API, so the login page does not warm the cache.
      const context = await browser.newContext(DESKTOP);
      const signIn = await context.request.post(`${url}/api/v1/session`, { data: { username: 'bench', password: PASSWORD } });
      if (signIn.status() !== 201) throw new Error(`sign-in failed: ${signIn.status()}`);
      const page = await context.newPage();
      await page.addInitScript(FIRST_ROW_WATCH);
      await page.goto(reportUrl);
      await page.locator('tbody tr').first().waitFor();
      paints.push(await largestContentfulPaint(page));
      rows.push(Number(await page.evaluate('window.firstRowAt')));
      await context.close();
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const scale = `${where}, ${VULNERABILITIES.toLocaleString('en')} vulnerabilities, cold cache, median of ${LOADS}`;
    report(`largest contentful paint of the group vulnerability report (${scale})`, `${(median(paints) / 1000).toFixed(2)} s`, '< 1 s');
    report(`first page of 50 rows on screen (${scale})`, `${(median(rows) / 1000).toFixed(2)} s`, null);
  } finally {
    await browser.close();
    await app.close();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Records when the first report row enters the DOM, in ms since navigation start (LCP may be an earlier heading). */
const FIRST_ROW_WATCH = `new MutationObserver((_, observer) => {
  if (document.querySelector('tbody tr')) { window.firstRowAt = performance.now(); observer.disconnect(); }
}).observe(document, { childList: true, subtree: true });`;

/** The last largest-contentful-paint entry once the rows are on screen, in ms since navigation start. */
async function largestContentfulPaint(page: Page): Promise<number> {
  // A string: the code runs in the page, whose DOM types this Node program does not have.
  return Number(
    await page.evaluate(`new Promise((resolve) => new PerformanceObserver((list) => {
      const entries = list.getEntries();
      resolve(entries[entries.length - 1].startTime);
    }).observe({ type: 'largest-contentful-paint', buffered: true }))`),
  );
}
