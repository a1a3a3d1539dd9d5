import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** Where the browser tests save a screenshot of every page they visit (VIGIL_SCREENSHOTS_DIR, default test-results/screenshots). */
export const SCREENSHOTS_DIR = path.resolve(process.env.VIGIL_SCREENSHOTS_DIR ?? 'test-results/screenshots');

/** The whole page by default; `screen` keeps what the viewport shows (a phone's long list is unreadable whole). */
export async function screenshot(page: Page, name: string, extent: 'page' | 'screen' = 'page'): Promise<void> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: extent === 'page' });
}
