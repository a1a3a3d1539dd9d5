import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Opening, ReportFormat } from '../../src/vulns/formats/format.js';
import { ReportError } from '../../src/vulns/formats/report-error.js';
import { readReport, type ParsedReport, type ReadLimits } from '../../src/vulns/ingest/read-report.js';
import { sniff, SNIFF_BYTES } from '../../src/vulns/ingest/sniff.js';
import type { Finding } from '../../src/vulns/model.js';
import { REPORTS_DIR, reportFile, reportJson } from './fixtures.js';

/**
 * What the format tests share: the real scanner reports (fixtures.ts's REPORTS_DIR), read the way an upload is —
 * through the streaming driver with one or more formats — or sniffed the way the driver picks a format, and the
 * check that a read fails with a ReportError at a given pointer.
 */

export { REPORTS_DIR, reportFile, reportJson };

/** Limits no fixture comes near, and no scanner or report type given with the upload. */
export const LIMITS: ReadLimits = { maxBytes: 1e9, maxFindings: 1e7 };
export const NO_OVERRIDES = { scanner: null, reportType: null };

/** The absolute path of a fixture, e.g. `fixturePath('grype/many_vulns.json')`. */
export function fixturePath(relative: string): string {
  return path.join(REPORTS_DIR, relative);
}

/** Every fixture file (the top-level README and LICENSE files aside), relative to REPORTS_DIR with `/` between parts, sorted. */
export function allFixtureFiles(): string[] {
  return fs
    .readdirSync(REPORTS_DIR, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !/^(README|LICENSE)/.test(entry.name))
    .map((entry) => path.relative(REPORTS_DIR, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The fixture files in one directory (and below it), as `allFixtureFiles` lists them. */
export function fixturesIn(directory: string): string[] {
  return allFixtureFiles().filter((file) => file.startsWith(`${directory}/`));
}

/** What the driver sniffs from the start of a report; fails when it is not JSON, JSON Lines, XML or CSV. */
export function openingOfText(text: string, what = 'the text'): Opening {
  const opening = sniff(text);
  assert.ok(opening && !('invalid' in opening), `${what} sniffs`);
  return opening;
}

/** What the driver sniffs from a fixture (relative to REPORTS_DIR, or absolute): its first 256 KiB. Every fixture sniffs. */
export function openingOf(file: string): Opening {
  const fd = fs.openSync(path.resolve(REPORTS_DIR, file), 'r');
  const buffer = Buffer.alloc(SNIFF_BYTES);
  const length = fs.readSync(fd, buffer, 0, SNIFF_BYTES, 0);
  fs.closeSync(fd);
  return openingOfText(buffer.subarray(0, length).toString('utf8'), file);
}

/** The fixtures (as `allFixtureFiles` lists them) whose opening `format` recognises. */
export function recognisedFixtures(format: ReportFormat): string[] {
  return allFixtureFiles().filter((file) => format.detect(openingOf(file)));
}

/** Whether `format` recognises a report that begins with `text` (false when `text` does not even sniff). */
export function detectsText(format: ReportFormat, text: string): boolean {
  const opening = sniff(text);
  return opening !== null && !('invalid' in opening) && format.detect(opening);
}

/** The first `fraction` of a fixture's bytes: an upload cut short. */
export function truncated(file: string, fraction = 0.6): Buffer {
  const bytes = fs.readFileSync(path.resolve(REPORTS_DIR, file));
  return bytes.subarray(0, Math.floor(bytes.length * fraction));
}

/**
 * JSON Lines: one record a line, written as JSON — a string record too, unless `rawStrings`: then it is the line as
 * it is. No final newline unless asked.
 */
export function jsonLines(records: readonly unknown[], { rawStrings = false, finalNewline = false } = {}): Buffer {
  const text = records.map((record) => (rawStrings && typeof record === 'string' ? record : JSON.stringify(record))).join('\n');
  return Buffer.from(finalNewline ? `${text}\n` : text);
}

/** A report to read: a file path, the bytes, or a value to write as one JSON document. */
export type ReportInput = string | Buffer | object;

/** Reads a report through the streaming driver, as an upload with no overrides, recognised among `formats`. */
export function readWith(formats: readonly ReportFormat[], input: ReportInput, limits: ReadLimits = LIMITS): Promise<ParsedReport> {
  const stream =
    typeof input === 'string' ? fs.createReadStream(input) : Readable.from([Buffer.isBuffer(input) ? input : Buffer.from(JSON.stringify(input))]);
  return readReport(stream, limits, NO_OVERRIDES, formats);
}

/** How many of `items` there are of each value (of `key(item)`, when given), as `{value: count}`. */
export function tally<T>(items: readonly T[], key: (item: T) => unknown = (item) => item): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const value = String(key(item));
    out[value] = (out[value] ?? 0) + 1;
  }
  return out;
}

/** How many findings there are of each severity. */
export function severities(findings: readonly Finding[]): Record<string, number> {
  return tally(findings, (finding) => finding.severity);
}

function assertReportError(error: unknown, pointer: string, message: string | RegExp): void {
  assert.ok(error instanceof ReportError, `expected a ReportError, got ${String(error)}`);
  assert.equal(error.pointer, pointer);
  if (typeof message === 'string') assert.equal(error.message, `${pointer || '/'}: ${message}`);
  else assert.match(error.message, message);
}

/** Fails unless `promise` rejects with a ReportError at `pointer` whose text is `message` (or matches it). */
export async function rejectsAt(promise: Promise<unknown>, pointer: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assertReportError(error, pointer, message);
    return true;
  });
}

/** As `rejectsAt`, for a read that throws. */
export function throwsAt(action: () => unknown, pointer: string, message: string | RegExp): void {
  assert.throws(action, (error: unknown) => {
    assertReportError(error, pointer, message);
    return true;
  });
}
