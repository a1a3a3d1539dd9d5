import type { Finding, ReportType, Scanner } from '../model.js';

/**
 * How a format module plugs into the streaming ingest. The driver never holds the whole document: it hands a
 * module the small header values as they complete, and each finding element on its own, with its JSON pointer.
 *
 * A module may not see the header before the findings (GitLab writes `scan` after `vulnerabilities`), so it
 * turns each element into a `PartialFinding` at once (catching errors early, with their pointer) and completes
 * them when the header is known.
 */
export type PartialFinding = Omit<Finding, 'reportType' | 'scanner'> & {
  reportType: ReportType | null;
  scanner: Scanner | null;
};

export interface ReportHeader {
  formatVersion: string | null;
  scanner: Scanner | null;
  reportType: ReportType | null;
}
