import { FeedError, SKIPPED_LISTED, tooManySkipped, type SkippedItem } from './feed-error.js';
import type { Line } from './source.js';

/** FIRST's daily EPSS file (standards.md §2): a `#model_version:…,score_date:…` line, a header, one row per CVE. */
export interface EpssSnapshot {
  modelVersion: string;
  /** The full timestamp from the file, normalised to ISO 8601 UTC. */
  scoreDate: string;
  /** Parallel arrays: a 300,000-row file stays a few megabytes instead of 300,000 objects. */
  cves: string[];
  epss: Float64Array;
  percentiles: Float64Array;
  skipped: SkippedItem[];
  skippedCount: number;
}

export const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const PROBABILITY = /^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/;
const META = /(model_version|score_date)\s*:\s*([^,]+)/g;
const HEADER = 'cve,epss,percentile';

export function parseEpssMeta(line: string): { modelVersion: string; scoreDate: string } {
  if (!line.startsWith('#')) throw new FeedError('line 1', `expected the "#model_version:…,score_date:…" line FIRST puts first, found "${preview(line)}"`);
  const meta = new Map([...line.matchAll(META)].map((m) => [m[1]!, m[2]!.trim()]));
  const modelVersion = meta.get('model_version');
  const rawDate = meta.get('score_date');
  if (!modelVersion || !/^[\w.-]{1,64}$/.test(modelVersion)) throw new FeedError('line 1', `no usable model_version in "${preview(line)}"`);
  // Older files write +0000, newer ones Z; Date accepts +00:00 but not +0000.
  const date = rawDate ? new Date(rawDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : null;
  if (!date || Number.isNaN(date.getTime())) throw new FeedError('line 1', `no usable score_date in "${preview(line)}"`);
  return { modelVersion, scoreDate: date.toISOString() };
}

/** Reads the whole file; bad rows are skipped and listed, a wrong file is rejected with where and why. */
export async function readEpssCsv(batches: AsyncIterable<Line[]>): Promise<EpssSnapshot> {
  let meta: { modelVersion: string; scoreDate: string } | null = null;
  let headerSeen = false;
  const cves: string[] = [];
  let epss: Float64Array<ArrayBuffer> = new Float64Array(1 << 16);
  let percentiles: Float64Array<ArrayBuffer> = new Float64Array(1 << 16);
  const lineOf = new Map<string, number>();
  const skipped: SkippedItem[] = [];
  let skippedCount = 0;
  const skip = (number: number, reason: string) => {
    skippedCount++;
    if (skipped.length < SKIPPED_LISTED) skipped.push({ where: `line ${number}`, reason });
  };

  let current = 0;
  try {
    for await (const batch of batches) {
      for (const { number, text, complete } of batch) {
        current = number;
        if (number === 1) {
          meta = parseEpssMeta(text.replace(/^\uFEFF/, ''));
          continue;
        }
        if (!headerSeen) {
          if (text.trim().toLowerCase() !== HEADER) throw new FeedError(`line ${number}`, `expected the header "${HEADER}", found "${preview(text)}"`);
          headerSeen = true;
          continue;
        }
        if (text.trim() === '') continue;
        if (!complete) {
          skip(number, 'the file ends in the middle of this line (no line break): it may have been cut off');
          continue;
        }
        const row = readRow(text);
        if (typeof row === 'string') {
          skip(number, row);
          continue;
        }
        const [cve, e, p] = row;
        const earlier = lineOf.get(cve);
        if (earlier !== undefined) {
          skip(number, `${cve} already appeared on line ${earlier}`);
          continue;
        }
        lineOf.set(cve, number);
        if (cves.length === epss.length) {
          epss = grow(epss);
          percentiles = grow(percentiles);
        }
        epss[cves.length] = Number(e);
        percentiles[cves.length] = Number(p);
        cves.push(cve);
      }
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new FeedError(`line ${current + 1}`, error instanceof TypeError ? 'the file is not UTF-8 text' : (error as Error).message);
  }
  if (!meta) throw new FeedError('line 1', 'the file is empty');
  if (!headerSeen) throw new FeedError('line 2', `expected the header "${HEADER}", found the end of the file`);
  if (cves.length === 0) throw new FeedError(`line ${current}`, 'the file has no usable rows');
  if (tooManySkipped(skippedCount, cves.length)) {
    throw new FeedError('file', `${skippedCount} of ${skippedCount + cves.length} rows are unusable (first: ${skipped[0]!.where}: ${skipped[0]!.reason}); not imported`);
  }
  return { ...meta, cves, epss: epss.subarray(0, cves.length), percentiles: percentiles.subarray(0, cves.length), skipped, skippedCount };
}

/** The row's three fields, or why it is unusable. */
function readRow(text: string): [cve: string, epss: string, percentile: string] | string {
  const fields = text.split(',');
  if (fields.length !== 3) return `expected 3 fields (cve,epss,percentile), found ${fields.length}`;
  const [cve, e, p] = fields.map((f) => f.trim()) as [string, string, string];
  if (!CVE_ID.test(cve)) return `"${preview(cve)}" is not a CVE id`;
  if (!PROBABILITY.test(e)) return `epss "${preview(e)}" is not a probability between 0 and 1`;
  if (!PROBABILITY.test(p)) return `percentile "${preview(p)}" is not between 0 and 1`;
  return [cve, e, p];
}

function grow(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
