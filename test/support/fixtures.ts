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
