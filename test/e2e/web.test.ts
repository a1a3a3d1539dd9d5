import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Caller } from '../support/app.js';
import { DESKTOP, launchBrowser, PHONE, signInWithForm } from '../support/browser.js';
import { screenshot } from '../support/screenshots.js';
import { SEEDED, startSeededServer, type SeededServer } from '../support/seeded-server.js';

/**
 * The web app in a real browser (Debian's Chromium) against a real server on loopback, seeded by uploading the
 * real fixtures: sign in, navigate, filter the report, open a vulnerability, dismiss it with a reason, watch the
 * dashboard change, compare a branch. Every page visited is saved as a screenshot (test-results/screenshots).
 */
const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

function assertBuilt(): void {
  assert.ok(fs.existsSync(path.join(WEB_DIST, 'index.html')), `the web app is not built at ${WEB_DIST}: run npm run build`);
}

/** Fails the test on any error the page logs or throws: a broken page must not pass because its text happens to match. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

describe('a new instance in the browser', () => {
  let server: SeededServer;
  let browser: Browser;
  before(async () => {
    assertBuilt();
    server = await startSeededServer({ empty: true });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('signed out, any page leads to the sign-in form, and back to the page after signing in', async () => {
    const page = await (await browser.newContext(DESKTOP)).newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/-/vulnerabilities`);
    await page.waitForURL(/\/login\?next=%2F-%2Fvulnerabilities/);
    await screenshot(page, '01-sign-in');
    await page.getByLabel('Username').fill(server.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: /password/i }).waitFor();
    await page.getByLabel('Password').fill(server.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/-/vulnerabilities`);
    assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  });

  test('with no projects, the home page says how to upload a first report, with the exact commands', async () => {
    const page = await (await browser.newContext(DESKTOP)).newPage();
    await signInWithForm(page, server.url, server.username, server.password);
    await page.getByRole('heading', { name: 'Upload a first report' }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /npx vigil upload gl-sast-report\.json --project acme\/api --ref main/);
    assert.ok(text.includes(`${server.url}/api/v1/projects/acme%2Fapi/scans?ref=main`), 'the curl command names this server');
    assert.match(text, /npx vigil projects create acme\/api/);
    await screenshot(page, '02-home-empty');
  });
});

interface Item {
  id: number;
  title: string;
  severity: string;
  state: string;
}

/** Every open item the API lists for a report URL, page after page: what the browser must agree with. */
async function listAll(api: Caller, url: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const reply = await api.get(`${url}${url.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(reply.status, 200, url);
    const body = reply.body as { items: Item[]; next_cursor: string | null };
    items.push(...body.items);
    cursor = body.next_cursor;
  } while (cursor);
  return items;
}

const path_ = (p: string) => p.split('/').map(encodeURIComponent).join('/');

describe('a seeded instance in the browser', () => {
  let server: SeededServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  before(async () => {
    assertBuilt();
    server = await startSeededServer();
    browser = await launchBrowser();
    page = await (await browser.newContext(DESKTOP)).newPage();
    await signInWithForm(page, server.url, server.username, server.password);
    // Watched from here: before signing in, the app's probe of the session is answered 401, as it should be.
    errors = watchErrors(page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the home page lists groups and projects, and the filter narrows them', async () => {
    const groups = page.getByRole('region', { name: 'Groups' });
    const projects = page.getByRole('region', { name: 'Projects' });
    await projects.getByRole('link', { name: SEEDED.android }).waitFor();
    assert.deepEqual(await groups.getByRole('link', { name: /^acme/ }).allInnerTexts(), ['acme', 'acme/platform']);
    assert.deepEqual(await projects.getByRole('link', { name: /^acme/ }).allInnerTexts(), [SEEDED.images, SEEDED.android, SEEDED.web]);
    await screenshot(page, '03-home');
    await page.getByRole('searchbox', { name: 'Filter groups and projects' }).fill('andr');
    await projects.getByRole('link', { name: SEEDED.web }).waitFor({ state: 'detached' });
    assert.deepEqual(await projects.getByRole('link', { name: /^acme/ }).allInnerTexts(), [SEEDED.android]);
    assert.deepEqual(errors, []);
  });

  test('the group report filters by severity through the menu; the URL keeps the filter and the rows match the API', async () => {
    await page.goto(`${server.url}/groups/acme/-/vulnerabilities`);
    const table = page.getByRole('table', { name: /^Vulnerabilities/ });
    await table.getByRole('row').nth(1).waitFor();
    await page.locator('summary', { hasText: 'Severity' }).click();
    // A click, not check(): the box is controlled by the URL, so it turns checked a render later.
    await page.getByRole('checkbox', { name: /^High/ }).click();
    await page.waitForURL(/severity=high/);
    await page.keyboard.press('Escape');
    const expected = await listAll(server.api, '/api/v1/groups/acme/vulnerabilities?state=detected,confirmed&severity=high');
    assert.ok(expected.length > 0 && expected.length <= 100, `the seed has a page of open high vulnerabilities (${expected.length})`);
    await table.getByRole('row').nth(expected.length).waitFor();
    const titles = await table.locator('tbody tr td:nth-child(3) a:first-child').allInnerTexts();
    assert.deepEqual(titles, expected.map((v) => v.title));
    assert.deepEqual(new Set(await table.locator('tbody tr td:nth-child(2)').allInnerTexts()), new Set(['High']));
    await screenshot(page, '04-group-report-high');

    // The URL is the filter: opened fresh (as a shared link would be), the same rows and the filter chip come back.
    const shared = page.url();
    const other = await (await browser.newContext(DESKTOP)).newPage();
    await signInWithForm(other, server.url, server.username, server.password, new URL(shared).pathname + new URL(shared).search);
    await other.getByRole('button', { name: /^Remove filter Severity: High/ }).waitFor();
    await other.getByRole('table', { name: /^Vulnerabilities/ }).getByRole('row').nth(expected.length).waitFor();
    assert.equal(await other.getByRole('table', { name: /^Vulnerabilities/ }).locator('tbody tr').count(), expected.length);
    await other.context().close();
    assert.deepEqual(errors, []);
  });

  test('a vulnerability opens from the report, is dismissed with a reason, and the dashboard counts one fewer', async () => {
    const api = server.api;
    const openCount = async () => {
      await page.goto(`${server.url}/groups/acme/-/dashboard`);
      const headline = page.getByRole('link', { name: /^Open, all severities/ });
      const text = (await headline.getAttribute('aria-label')) ?? (await headline.innerText());
      return Number(/Open, all severities\s+([\d,]+)/.exec(text.replace(/\n/g, ' '))![1]!.replace(/,/g, ''));
    };
    const before = await openCount();
    const groupOpen = await listAll(api, '/api/v1/groups/acme/vulnerabilities?state=detected,confirmed');
    assert.equal(before, groupOpen.length, 'the dashboard headline counts what the report lists');
    await page.getByRole('img', { name: /^Stacked area chart of open vulnerabilities/ }).waitFor();
    await screenshot(page, '05-group-dashboard-before');

    // A CVE in the container image: its identifiers link to the public pages.
    await page.goto(`${server.url}/projects/${path_(SEEDED.images)}/-/vulnerabilities?identifier=CVE-2019-12900`);
    const link = page.getByRole('table', { name: /^Vulnerabilities/ }).getByRole('link', { name: /BZ2_decompress/ });
    const title = await link.innerText();
    await link.click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const id = Number(/\/vulnerabilities\/(\d+)$/.exec(page.url())![1]);
    const identifiers = page.getByRole('region', { name: 'Identifiers' });
    assert.match((await identifiers.getByRole('link', { name: 'CVE-2019-12900', exact: true }).getAttribute('href')) ?? '', /^https:\/\/(nvd\.nist\.gov|www\.cve\.org)\/.*CVE-2019-12900/);
    await screenshot(page, '06-vulnerability');

    await page.getByRole('group', { name: 'Triage this vulnerability' }).getByRole('button', { name: 'Dismiss' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').selectOption('not_applicable');
    await dialog.getByLabel('Comment').fill('bzip2 is never used to decompress untrusted input in this image');
    await screenshot(page, '07-dismiss-dialog');
    await dialog.getByRole('button', { name: 'Dismiss' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'History' }).getByText(/never used to decompress/).first().waitFor();
    const detail = (await api.get(`/api/v1/vulnerabilities/${id}`)).body as { state: string; dismissal_reason?: string };
    assert.equal(detail.state, 'dismissed');
    await screenshot(page, '08-vulnerability-dismissed');

    assert.equal(await openCount(), before - 1);
    await screenshot(page, '09-group-dashboard-after');
    assert.deepEqual(errors, []);
  });

  test('the branch view shows what feature-branch introduces and fixes, per scanner, with the CI gate command', async () => {
    const expected = (await server.api.get(`/api/v1/projects/${encodeURIComponent(SEEDED.android)}/compare?head=feature-branch`)).body as { new: Item[]; fixed: Item[] };
    assert.ok(expected.new.length > 0 && expected.fixed.length > 0, 'the seed has a branch that adds and fixes');
    await page.goto(`${server.url}/projects/${path_(SEEDED.android)}/-/branches`);
    await page.getByRole('combobox', { name: 'Branch' }).selectOption('feature-branch');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/branch=feature-branch/);
    const main = page.locator('main');
    await main.getByRole('link', { name: expected.new[0]!.title }).first().waitFor();
    const text = await main.innerText();
    for (const v of [...expected.new, ...expected.fixed]) assert.ok(text.includes(v.title), `the comparison names "${v.title}"`);
    assert.ok(expected.fixed.some((v) => v.title === 'Cipher with no integrity'), 'feature-branch fixes CIPHER_INTEGRITY');
    assert.ok(text.includes('npx vigil upload <report> --project acme/platform/android --ref feature-branch --fail-on high'), 'the shell command gates this branch');
    assert.ok(text.includes(`export VIGIL_URL=${server.url}`), 'the command names this server');
    const failing = expected.new.filter((v) => ['critical', 'high'].includes(v.severity)).length;
    assert.match(await page.getByRole('region', { name: 'Gate merges in CI' }).getByRole('status').first().innerText(), failing > 0 ? /^Would fail/ : /^Would pass/);
    await screenshot(page, '10-branch-comparison');
    assert.deepEqual(errors, []);
  });

  test('on a phone in dark mode the report fits the screen and the colours follow the system', async () => {
    const context = await browser.newContext({ ...PHONE, colorScheme: 'dark' });
    const phone = await context.newPage();
    await signInWithForm(phone, server.url, server.username, server.password, `/projects/${path_(SEEDED.web)}/-/vulnerabilities`);
    const phoneErrors = watchErrors(phone);
    await phone.getByRole('table', { name: /^Vulnerabilities/ }).getByRole('row').nth(1).waitFor();
    // Evaluated in the page (a string: this file is compiled without the DOM's types).
    const layout = await phone.evaluate<{ overflow: number; background: string }>('({ overflow: document.documentElement.scrollWidth - window.innerWidth, background: getComputedStyle(document.body).backgroundColor })');
    assert.ok(layout.overflow <= 0, `the page scrolls sideways by ${layout.overflow}px`);
    assert.equal(layout.background, 'rgb(13, 17, 23)');
    await screenshot(phone, '11-phone-dark-report', 'screen');
    await phone.goto(`${server.url}/projects/${path_(SEEDED.web)}/-/dashboard`);
    await phone.getByRole('img', { name: /^Stacked area chart/ }).waitFor();
    assert.ok((await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')) <= 0, 'the dashboard fits the phone');
    await screenshot(phone, '12-phone-dark-dashboard', 'screen');
    assert.deepEqual(phoneErrors, []);
    await context.close();
  });
});
