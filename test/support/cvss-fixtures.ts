import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CvssError } from '../../src/risk/cvss/index.js';

/** The CVSS test-vector files in ../shared/fixtures/cvss (tests run from dist/test/<suite>/); see its README. */
export const CVSS_FIXTURES_DIR = fileURLToPath(new URL('../../../../shared/fixtures/cvss/', import.meta.url));

export interface FixtureFile<C> {
  /** Test lines in the file (section headers and blank lines excluded). */
  lines: number;
  /** One case per distinct line (identical lines expect identical results, so each is checked once). */
  cases: (C & { occurrences: number })[];
}

/** Test lines → how often each occurs, in file order. */
function distinctLines(relative: string, skip: (line: string) => boolean): { lines: number; distinct: Map<string, number> } {
  const lines = fs
    .readFileSync(`${CVSS_FIXTURES_DIR}${relative}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !skip(line));
  const distinct = new Map<string, number>();
  for (const line of lines) distinct.set(line, (distinct.get(line) ?? 0) + 1);
  return { lines: lines.length, distinct };
}

/** A score as written by the fixture files: Python `None`, metaeffekt `NaN` → null; Python's `-0.0` → 0. */
export function fixtureScore(text: string): number | null {
  if (text === 'None' || text === 'NaN') return null;
  const score = Number(text);
  if (Number.isNaN(score)) throw new Error(`not a score: ${text}`);
  return score === 0 ? 0 : score;
}

export interface RedHatCase {
  vector: string;
  /** `(base, temporal, environmental)` for v2/v3.x, `(score,)` or a bare score for v4. */
  expected: (number | null)[];
}

/** `VECTOR - EXPECTED` lines of redhat/<name>. */
export function redHatFile(name: string): FixtureFile<RedHatCase> {
  const { lines, distinct } = distinctLines(`redhat/${name}`, () => false);
  const cases = [...distinct].map(([line, occurrences]) => {
    const [vector, expected] = line.split(' - ');
    if (!vector || expected === undefined) throw new Error(`redhat/${name}: bad line ${line}`);
    const scores = expected.replace(/^\(|\)$/g, '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    return { vector, expected: scores.map(fixtureScore), occurrences };
  });
  return { lines, cases };
}

export interface MetaeffektCase {
  vector: string;
  /** The columns after the vector, as written (see the README's table for their meaning per file). */
  columns: string[];
}

/** Space-separated lines of metaeffekt/<name>; `#` lines are section headers. */
export function metaeffektFile(name: string): FixtureFile<MetaeffektCase> {
  const { lines, distinct } = distinctLines(`metaeffekt/${name}`, (line) => line.startsWith('#'));
  const cases = [...distinct].map(([line, occurrences]) => {
    const [vector, ...columns] = line.trim().split(' ');
    return { vector: vector!, columns, occurrences };
  });
  return { lines, cases };
}

/** Asserts that `work` fails with a CvssError of exactly this message, naming this metric. */
export function throwsCvssError(work: () => unknown, message: string, metric: string | null): void {
  assert.throws(work, (error: unknown) => {
    assert.ok(error instanceof CvssError, `not a CvssError: ${String(error)}`);
    assert.equal(error.message, message);
    assert.equal(error.metric, metric);
    return true;
  });
}
