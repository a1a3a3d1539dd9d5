import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { sql } from 'kysely';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { Services } from '../src/platform/context.js';
import { openDatabase } from '../src/platform/db/connect.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { importEpss } from '../src/risk/feeds/import-epss.js';
import { DEFAULT_RISK_POLICY } from '../src/risk/policy.js';
import { refreshScores, refreshThreat } from '../src/risk/rescore.js';
import { cve, loadVulnerabilities } from './dataset.js';
import { report, seconds } from './report.js';

/**
 * Risk benchmarks (issue 5): importing a 300,000-row EPSS file, and rescoring 1M vulnerabilities after a feed
 * update. The vulnerabilities are bulk-loaded with set-based SQL (60% carry a CVE of the feed), not ingested.
 */
const EPSS_ROWS = 300_000;
const VULNERABILITIES = Number(process.env.VIGIL_BENCH_VULNERABILITIES ?? 1_000_000);
const PROJECTS = 20;

function epssFile(dir: string, day: string, shift: number): string {
  const file = path.join(dir, `epss-${day}.csv`);
  const lines = [`#model_version:v2025.03.14,score_date:${day}T00:00:00Z`, 'cve,epss,percentile'];
  for (let k = 0; k < EPSS_ROWS; k++) {
    // Skewed like the real feed: most CVEs near zero, a few near one; the second day moves most of them.
    const p = Math.min(0.99999, Math.pow(((k * 7919 + shift) % EPSS_ROWS) / EPSS_ROWS, 8));
    lines.push(`${cve(k)},${p.toFixed(5)},${(((k * 7919 + shift) % EPSS_ROWS) / EPSS_ROWS).toFixed(5)}`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export async function riskBenchmarks(databaseUrl: string | null): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-risk-'));
  const config = loadConfig({ VIGIL_DATA_DIR: dir, ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  const db = openDatabase(config);
  const svc: Services = { db, clock: systemClock, config, log: pino({ level: 'silent' }) };
  const where = db.dialect;
  try {
    await migrateToLatest(db);
    const first = epssFile(dir, '2026-11-20', 0);
    const second = epssFile(dir, '2026-11-21', 104_729);

    let started = performance.now();
    const empty = await importEpss(svc, first, { actor: 'bench' });
    report(`EPSS import, ${empty.rows.toLocaleString('en')} rows, no vulnerabilities (${where})`, seconds(started), '≤ 5 s');

    started = performance.now();
    await loadVulnerabilities(svc, { vulnerabilities: VULNERABILITIES, projects: PROJECTS, cves: EPSS_ROWS });
    report(`bulk load of ${VULNERABILITIES.toLocaleString('en')} vulnerabilities, 60% with a CVE (${where}, setup)`, seconds(started), null);

    started = performance.now();
    const update = await importEpss(svc, second, { actor: 'bench' });
    report(`EPSS import of the next day, rescoring included: ${update.counts.updated!.toLocaleString('en')} scores changed, ${update.counts.rescored!.toLocaleString('en')} vulnerabilities rescored (${where})`, seconds(started), '≤ 5 s + ≤ 10 s');

    // The rescoring alone: every probability moves, then the set-based pass brings the vulnerabilities along.
    await sql`update epss_scores set epss = epss * 0.9`.execute(db.kysely);
    started = performance.now();
    const moved = await db.kysely.transaction().execute((trx) => refreshThreat(trx, db.dialect, DEFAULT_RISK_POLICY, { kind: 'all' }));
    report(`rescoring after a feed update moved every probability (${moved.toLocaleString('en')} of ${VULNERABILITIES.toLocaleString('en')} vulnerabilities carry a CVE, ${where})`, seconds(started), '≤ 10 s');

    started = performance.now();
    const threat = await db.kysely.transaction().execute((trx) => refreshThreat(trx, db.dialect, DEFAULT_RISK_POLICY, { kind: 'all' }));
    report(`rescoring check after a feed update with nothing to change (${threat} rows written, ${where})`, seconds(started), '≤ 10 s');

    started = performance.now();
    const policy = { ...DEFAULT_RISK_POLICY, missingEpssThreat: 0.02 };
    const all = await db.kysely.transaction().execute((trx) => refreshScores(trx, db.dialect, policy, { kind: 'all' }));
    report(`rescoring every vulnerability after a policy change (${all.toLocaleString('en')} rows written, ${where})`, seconds(started), '≤ 10 s');
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
