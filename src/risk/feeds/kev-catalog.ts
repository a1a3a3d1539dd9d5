import { CVE_ID } from './epss-csv.js';
import { FeedError, SKIPPED_LISTED, tooManySkipped, type SkippedItem } from './feed-error.js';

/** One entry of CISA's Known Exploited Vulnerabilities catalog (standards.md §3). */
export interface KevEntry {
  cve: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  shortDescription: string;
  requiredAction: string;
  /** Stored as published: 15 entries of the first catalog are due before they were added. */
  dueDate: string;
  knownRansomware: boolean;
  notes: string;
  cwes: string[];
}

export interface KevCatalog {
  catalogVersion: string;
  /** ISO 8601 UTC. */
  dateReleased: string;
  entries: KevEntry[];
  skipped: SkippedItem[];
  skippedCount: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CWE = /^CWE-\d+$/;
const REQUIRED = ['vendorProject', 'product', 'vulnerabilityName', 'shortDescription', 'requiredAction'] as const;

/** Validates a parsed catalog document; bad entries are skipped and listed, a wrong document is rejected. */
export function readKevCatalog(doc: unknown): KevCatalog {
  if (!isObject(doc)) throw new FeedError('/', 'expected a JSON object (CISA\'s known_exploited_vulnerabilities.json)');
  const { catalogVersion, dateReleased, vulnerabilities, count } = doc;
  if (typeof catalogVersion !== 'string' || catalogVersion.trim() === '') throw new FeedError('/catalogVersion', 'is required (a string such as "2025.08.25")');
  const released = typeof dateReleased === 'string' ? new Date(dateReleased) : null;
  if (!released || Number.isNaN(released.getTime())) throw new FeedError('/dateReleased', 'is required (an ISO date-time)');
  if (!Array.isArray(vulnerabilities)) throw new FeedError('/vulnerabilities', 'is required (an array)');
  if (count !== undefined && count !== vulnerabilities.length) {
    throw new FeedError('/count', `says ${String(count)} but the catalog lists ${vulnerabilities.length} entries: the file is incomplete`);
  }

  const entries: KevEntry[] = [];
  const skipped: SkippedItem[] = [];
  let skippedCount = 0;
  const seen = new Map<string, number>();
  vulnerabilities.forEach((raw, index) => {
    const result = readEntry(raw);
    if (typeof result !== 'string' && seen.has(result.cve)) {
      skippedCount++;
      if (skipped.length < SKIPPED_LISTED) skipped.push({ where: `/vulnerabilities/${index}`, reason: `${result.cve} already appeared at /vulnerabilities/${seen.get(result.cve)}` });
    } else if (typeof result === 'string') {
      skippedCount++;
      if (skipped.length < SKIPPED_LISTED) skipped.push({ where: `/vulnerabilities/${index}`, reason: result });
    } else {
      seen.set(result.cve, index);
      entries.push(result);
    }
  });
  if (entries.length === 0) throw new FeedError('/vulnerabilities', 'has no usable entries');
  if (tooManySkipped(skippedCount, entries.length)) {
    throw new FeedError('/vulnerabilities', `${skippedCount} of ${vulnerabilities.length} entries are unusable (first: ${skipped[0]!.where}: ${skipped[0]!.reason}); not imported`);
  }
  return { catalogVersion: catalogVersion.trim(), dateReleased: released.toISOString(), entries, skipped, skippedCount };
}

/** The entry, or why it is unusable. */
function readEntry(raw: unknown): KevEntry | string {
  if (!isObject(raw)) return 'is not an object';
  const cve = raw.cveID;
  if (typeof cve !== 'string' || !CVE_ID.test(cve)) return `cveID ${JSON.stringify(cve)} is not a CVE id`;
  for (const field of REQUIRED) {
    if (typeof raw[field] !== 'string') return `${cve}: ${field} is missing or not a string`;
  }
  for (const field of ['dateAdded', 'dueDate'] as const) {
    const value = raw[field];
    if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) return `${cve}: ${field} ${JSON.stringify(value)} is not a YYYY-MM-DD date`;
  }
  const cwes = raw.cwes ?? [];
  if (!Array.isArray(cwes) || cwes.some((c) => typeof c !== 'string' || !CWE.test(c))) return `${cve}: cwes must be a list of CWE-<number> ids`;
  return {
    cve,
    vendorProject: raw.vendorProject as string,
    product: raw.product as string,
    vulnerabilityName: raw.vulnerabilityName as string,
    dateAdded: raw.dateAdded as string,
    shortDescription: raw.shortDescription as string,
    requiredAction: raw.requiredAction as string,
    dueDate: raw.dueDate as string,
    // Not an enum in CISA's schema: anything but "Known" counts as unknown.
    knownRansomware: raw.knownRansomwareCampaignUse === 'Known',
    notes: typeof raw.notes === 'string' ? raw.notes : '',
    cwes: cwes as string[],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
