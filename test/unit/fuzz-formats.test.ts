import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ReportError } from '../../src/vulns/formats/report-error.js';
import { readReport, ReportLimitError } from '../../src/vulns/ingest/read-report.js';
import { REPORT_TYPES, SEVERITIES } from '../../src/vulns/model.js';

/**
 * Every parser, fed mutated real reports, must end cleanly: a ReportError / limit error (a 4xx for the uploader)
 * or a well-formed result — never another exception (a 500), never a hang. Mutations are seeded, so a failure
 * reproduces; the seed and mutation are in the failure message.
 */
const REPORTS = fileURLToPath(new URL('../../../../shared/fixtures/reports/', import.meta.url));
const fixtures = fs
  .readdirSync(REPORTS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => fs.readdirSync(path.join(REPORTS, d.name), { recursive: true, withFileTypes: true }).filter((f) => f.isFile()).map((f) => path.join(f.parentPath ?? (f as unknown as { path: string }).path, f.name)));

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

const WRONG_VALUES: unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(5000), true, [], {}, [null], { a: [] }, '\u0000', 'NaN'];

/** Replaces one random value somewhere in the document with a value of the wrong type. */
function mutateJson(doc: unknown, random: () => number): unknown {
  const copy = structuredClone(doc);
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > 12 || slots.length > 5000) return;
    if (Array.isArray(node)) node.forEach((v, i) => (slots.push([node, i]), walk(v, depth + 1)));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) slots.push([node as Record<string, unknown>, k]), walk(v, depth + 1);
  };
  walk(copy, 0);
  for (let n = 0; n < 1 + Math.floor(random() * 3) && slots.length > 0; n++) {
    const [parent, key] = slots[Math.floor(random() * slots.length)]!;
    (parent as Record<string | number, unknown>)[key] = WRONG_VALUES[Math.floor(random() * WRONG_VALUES.length)];
  }
  return copy;
}

function mutateBytes(bytes: Buffer, random: () => number): { name: string; data: Buffer } {
  const at = () => Math.floor(random() * bytes.length);
  switch (Math.floor(random() * 4)) {
    case 0: {
      const cut = at();
      return { name: `truncate at ${cut}`, data: bytes.subarray(0, cut) };
    }
    case 1: {
      const data = Buffer.from(bytes);
      for (let i = 0; i < 8; i++) data[at()] = Math.floor(random() * 256);
      return { name: 'flip 8 bytes', data };
    }
    case 2: {
      const [a, b] = [at(), at()].sort((x, y) => x - y);
      return { name: `delete ${a}..${b}`, data: Buffer.concat([bytes.subarray(0, a), bytes.subarray(b!)]) };
    }
    default: {
      const [a, b] = [at(), at()].sort((x, y) => x - y);
      return { name: `duplicate ${a}..${b}`, data: Buffer.concat([bytes.subarray(0, b), bytes.subarray(a!, b), bytes.subarray(b!)]) };
    }
  }
}

async function outcome(data: Buffer): Promise<string> {
  const run = readReport(Readable.from([data.subarray(0, Math.ceil(data.length / 2)), data.subarray(Math.ceil(data.length / 2))]), { maxBytes: 50e6, maxFindings: 1e6 }, { scanner: null, reportType: null });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('hang: no result within 20 s')), 20_000)));
  try {
    const report = await Promise.race([run, timeout]);
    for (const f of report.findings) {
      assert.equal(typeof f.title, 'string');
      assert.ok(f.identifiers.length > 0, 'a finding without identifiers');
      assert.ok((SEVERITIES as readonly string[]).includes(f.severity), f.severity);
      assert.ok((REPORT_TYPES as readonly string[]).includes(f.reportType), f.reportType);
      JSON.stringify(f, (_key, value: unknown) => {
        assert.ok(typeof value !== 'string' || !value.includes('\u0000'), 'a NUL character reached a finding');
        return value;
      });
    }
    return 'ok';
  } catch (error) {
    if (error instanceof ReportError || error instanceof ReportLimitError) return 'rejected';
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

test(`mutated fixtures end in a clean error or a clean result (${fixtures.length} fixtures)`, async () => {
  const failures: string[] = [];
  const tally = { ok: 0, rejected: 0 };
  for (const file of fixtures) {
    const bytes = fs.readFileSync(file);
    if (bytes.length === 0 || /LICENSE|README/.test(file)) continue;
    // Big files get fewer runs: the point is coverage of shapes, not volume. VIGIL_FUZZ_SCALE=10 digs deeper.
    const scale = Number(process.env.VIGIL_FUZZ_SCALE ?? 1);
    const runs = scale * (bytes.length > 1_000_000 ? 2 : bytes.length > 100_000 ? 6 : 16);
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      // not a single JSON document: byte mutations only
    }
    for (let i = 0; i < runs; i++) {
      const seed = (i + 1) * 7919 + bytes.length;
      const random = prng(seed);
      const mutation = parsed !== undefined && i % 2 === 0 ? { name: 'wrong-typed values', data: Buffer.from(JSON.stringify(mutateJson(parsed, random))) } : mutateBytes(bytes, random);
      try {
        tally[(await outcome(mutation.data)) as 'ok' | 'rejected']++;
      } catch (error) {
        failures.push(`${path.relative(REPORTS, file)} seed ${seed} (${mutation.name}): ${(error as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(tally.rejected > 0 && tally.ok > 0, JSON.stringify(tally));
});
