import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { consoleActor } from '../src/platform/audit/actor.js';
import { createGroup } from '../src/platform/namespaces/groups.js';
import { createProject } from '../src/platform/namespaces/projects.js';
import type { ScanSummary } from '../src/vulns/ingest/ingest.js';
import { openInstance } from './instance.js';
import { report, seconds } from './report.js';
import { firstRun, nextRun } from './runs.js';
import { SYNTHETIC_FORMATS, writeReport, type SyntheticFormat } from './synthetic-report.js';

/**
 * Ingest benchmarks (issue 8): synthetic reports uploaded over HTTP to a Vigil server in a child process, timed
 * from the first byte sent to the answer (parse, match, write, commit). A 10,000-finding report first, then the
 * same report again, then its next run with 10% new, 5% fixed and 5% moved findings; and a 100,000-finding report
 * streamed to a fresh server whose peak RSS is the figure for memory.
 */
const SMALL = Number(process.env.VIGIL_BENCH_FINDINGS ?? 10_000);
const LARGE = Number(process.env.VIGIL_BENCH_LARGE_FINDINGS ?? 100_000);
const FORMAT = (process.env.VIGIL_BENCH_FORMAT ?? 'sarif') as SyntheticFormat;
if (!SYNTHETIC_FORMATS.includes(FORMAT)) throw new Error(`VIGIL_BENCH_FORMAT must be one of ${SYNTHETIC_FORMATS.join(', ')}`);

/** Streams a report file to the upload route; resolves with the scan summary. */
export async function uploadFile(url: string, token: string, projectId: number, file: string, ref = 'main'): Promise<ScanSummary> {
  const request = http.request(`${url}/api/v1/projects/${projectId}/scans?ref=${encodeURIComponent(ref)}&async=false`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': fs.statSync(file).size },
  });
  const answer = new Promise<http.IncomingMessage>((resolve, reject) => request.on('response', resolve).on('error', reject));
  await pipeline(fs.createReadStream(file), request);
  const response = await answer;
  let body = '';
  for await (const chunk of response) body += chunk;
  if (response.statusCode !== 201) throw new Error(`upload failed: ${response.statusCode} ${body}`);
  return (JSON.parse(body) as { summary: ScanSummary }).summary;
}

const describe = (s: ScanSummary) => `${s.new} new, ${s.existing} existing, ${s.fixed} fixed`;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function ingestBenchmarks(databaseUrl: string | null): Promise<void> {
  const instance = await openInstance(databaseUrl, 'ingest');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-reports-'));
  const where = instance.svc.db.dialect;
  try {
    const group = await createGroup(instance.svc, consoleActor('bench'), null, { path: 'bench' });
    const small = await createProject(instance.svc, consoleActor('bench'), group, { path: 'small' });
    const large = await createProject(instance.svc, consoleActor('bench'), group, { path: 'large' });
    const first = firstRun(SMALL);
    const firstFile = path.join(dir, `first.${FORMAT}.json`);
    const smallBytes = await writeReport(firstFile, FORMAT, first);
    const nextFile = path.join(dir, `next.${FORMAT}.json`);
    await writeReport(nextFile, FORMAT, nextRun(first, { new: 0.1, fixed: 0.05, moved: 0.05 }).run);
    const largeFile = path.join(dir, `large.${FORMAT}.json`);
    const largeBytes = await writeReport(largeFile, FORMAT, firstRun(LARGE));

    let server = await instance.serve();
    const size = `${SMALL.toLocaleString('en')}-finding ${FORMAT} report, ${megabytes(smallBytes)}`;
    let started = performance.now();
    let summary = await uploadFile(server.url, instance.token, small.id, firstFile);
    report(`first ingest of a ${size} (${describe(summary)}; ${where})`, seconds(started), '≤ 2 s');
    started = performance.now();
    summary = await uploadFile(server.url, instance.token, small.id, firstFile);
    report(`identical re-ingest of it (${describe(summary)}; ${where})`, seconds(started), '≤ 1 s');
    started = performance.now();
    summary = await uploadFile(server.url, instance.token, small.id, nextFile);
    report(`ingest of its next run: 10% new, 5% fixed, 5% moved (${describe(summary)}; ${where})`, seconds(started), null);
    await server.stop();

    // A fresh server: its peak RSS is the large ingest's, not what earlier uploads left behind.
    server = await instance.serve();
    started = performance.now();
    summary = await uploadFile(server.url, instance.token, large.id, largeFile);
    const elapsed = seconds(started);
    const peak = await server.stop();
    const what = `${LARGE.toLocaleString('en')}-finding ${FORMAT} report, ${megabytes(largeBytes)}, streamed`;
    report(`ingest of a ${what} (${describe(summary)}; ${where})`, elapsed, '≤ 20 s');
    report(`peak RSS of the server process during it (${where})`, megabytes(peak), '≤ 600 MB');
  } finally {
    await instance.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
