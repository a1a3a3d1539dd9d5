import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The real scanner reports in ../shared/fixtures/reports (tests run from dist/test/<suite>/). */
export const REPORTS_DIR = fileURLToPath(new URL('../../../../shared/fixtures/reports/', import.meta.url));

export function reportFile(relative: string): Buffer {
  return fs.readFileSync(`${REPORTS_DIR}${relative}`);
}

export function reportJson(relative: string): any {
  return JSON.parse(reportFile(relative).toString('utf8'));
}

/** The EPSS and KEV snapshots in ../shared/fixtures/feeds. */
export const FEEDS_DIR = fileURLToPath(new URL('../../../../shared/fixtures/feeds/', import.meta.url));
export const EPSS_EXCERPT = `${FEEDS_DIR}epss_scores-2026-09-29-excerpt.csv`;
export const EPSS_VUNNEL = `${FEEDS_DIR}epss_scores-vunnel-example-1.csv`;
export const KEV_JSON = `${FEEDS_DIR}known_exploited_vulnerabilities.json`;
