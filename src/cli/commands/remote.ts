import { InvalidArgumentError, Option, type Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../platform/errors.js';
import { SEVERITIES, severityRank, type Severity } from '../../vulns/model.js';
import { SORTS } from '../../vulns/report.js';
import { STATES } from '../../vulns/triage-states.js';
import type { Problem } from '../../platform/http/problem.js';
import { callApi, callApiText, RemoteError, remoteFromEnv, streamToApi, withQuery, type Remote } from '../remote.js';
import { locationText, table } from '../format.js';
import type { Io } from './admin.js';

/**
 * Commands that talk to a running Vigil over its API (VIGIL_URL, VIGIL_TOKEN), as a CI job or a developer's
 * shell would: who am I, upload a scanner report (optionally gating the pipeline on what it introduces), and
 * list a project's vulnerabilities.
 */

interface ScanSummary {
  new: number;
  existing: number;
  fixed: number;
  reopened: number;
  total: number;
}

interface UploadResponse {
  scan: { id: number; ref: string; report_type: string; scanner: { id: string; name: string } };
  summary: ScanSummary;
  replayed: boolean;
}

/** A large report is ingested by a worker: the upload answers with the job to poll. */
interface JobJson {
  id: number;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  attempts: number;
  result: UploadResponse | null;
  error: Problem | null;
}

const POLL_MS = 1000;

/** Polls the job until it ends: its result, or its problem as the error the synchronous upload would have been. */
async function waitForJob(io: Io, remote: Remote, job: JobJson, timeoutSeconds: number): Promise<UploadResponse> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let current = job;
  io.err(`ingesting on the server: job ${job.id}\n`);
  while (current.state === 'queued' || current.state === 'running') {
    if (Date.now() > deadline) throw new RemoteError(`job ${job.id} still ${current.state} after ${timeoutSeconds} s (see GET /api/v1/jobs/${job.id})`, null);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    current = await callApi<JobJson>(remote, 'GET', `/api/v1/jobs/${job.id}`);
  }
  if (current.state === 'failed' || !current.result) {
    const problem = current.error;
    throw new RemoteError(`job ${job.id} failed: ${problem?.detail ?? 'no reason given'}`, problem?.status ?? null, problem);
  }
  return current.result;
}

interface VulnerabilityJson {
  id: number;
  title: string;
  severity: string;
  state: string;
  location: Record<string, unknown>;
}

interface Comparison {
  head: string;
  base: string;
  new: VulnerabilityJson[];
}

const PROGRESS_MIN_BYTES = 1024 * 1024;
const MAX_PAGE = 500;

const projectApi = (project: string, rest: string) => `/api/v1/projects/${encodeURIComponent(project)}/${rest}`;

/** A commander parser for a whole number from 1 to `max`. */
const wholeNumber =
  (max: number) =>
  (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`Give a whole number from 1 to ${max}`);
    return n;
  };
const pageSize = wholeNumber(MAX_PAGE);

function readProblem(file: string, error: unknown): AppError {
  const reasons: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory' };
  const code = (error as NodeJS.ErrnoException).code;
  return new AppError('validation', `cannot read ${file}: ${(code && reasons[code]) ?? (error as Error).message}`);
}

/** A stderr progress bar, drawn only on a terminal and only for files large enough to wait for. */
function progressBar(io: Io, label: string, total: number): { advance(bytes: number): void; done(): void } {
  if (!process.stderr.isTTY || total < PROGRESS_MIN_BYTES) return { advance: () => {}, done: () => {} };
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
  let sent = 0;
  let shown = -1;
  return {
    advance(bytes) {
      sent += bytes;
      const percent = Math.floor((sent / total) * 100);
      if (percent === shown) return;
      shown = percent;
      const filled = Math.round(percent / 5);
      const waiting = percent >= 100 ? ', processing…' : '';
      io.err(`\ruploading ${label} [${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${String(percent).padStart(3)}% ${mb(sent)}/${mb(total)} MB${waiting}`);
    },
    done: () => io.err('\r\x1b[K'),
  };
}

interface UploadOptions {
  project: string;
  ref: string;
  commit?: string;
  pipeline?: string;
  scanner?: string;
  reportType?: string;
  format?: string;
  idempotencyKey?: string;
  json: boolean;
  failOn?: Severity;
  wait: boolean;
  waitTimeout: number;
}

async function upload(io: Io, remote: Remote, file: string, opts: UploadOptions): Promise<UploadResponse | { job: JobJson }> {
  const stat = await fs.promises.stat(file).catch((error: unknown) => {
    throw readProblem(file, error);
  });
  if (!stat.isFile()) throw readProblem(file, new Error(stat.isDirectory() ? 'is a directory' : 'not a regular file'));
  const progress = progressBar(io, path.basename(file), stat.size);
  let readError: unknown = null;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of fs.createReadStream(file)) {
        progress.advance((chunk as Buffer).length);
        yield chunk as Buffer;
      }
    } catch (error) {
      readError = error;
      throw error;
    }
  }
  const target = withQuery(projectApi(opts.project, 'scans'), {
    ref: opts.ref,
    commit: opts.commit,
    pipeline_id: opts.pipeline,
    scanner: opts.scanner,
    report_type: opts.reportType,
    format: opts.format,
    idempotency_key: opts.idempotencyKey,
  });
  try {
    return await streamToApi<UploadResponse | { job: JobJson }>(remote, 'POST', target, { contentType: /\.gz$/i.test(file) ? 'application/gzip' : 'application/json', chunks: chunks(), length: stat.size });
  } catch (error) {
    throw readError ? readProblem(file, readError) : error;
  } finally {
    progress.done();
  }
}

/** The CI gate: fails when the branch introduces a vulnerability at or above the threshold. */
async function gate(io: Io, remote: Remote, project: string, ref: string, threshold: Severity): Promise<void> {
  const comparison = await callApi<Comparison>(remote, 'GET', withQuery(projectApi(project, 'compare'), { head: ref }));
  const blocking = comparison.new.filter((v) => severityRank(v.severity as Severity) >= severityRank(threshold));
  const where = `on ${comparison.head} compared with ${comparison.base}`;
  if (blocking.length === 0) {
    io.err(`--fail-on ${threshold}: passed, no new vulnerability at or above ${threshold} ${where} (${comparison.new.length} new in all)\n`);
    return;
  }
  io.err(`new vulnerabilities at or above ${threshold} ${where}:\n`);
  io.err(table(blocking.map((v) => ['  ' + v.severity, v.title, locationText(v.location)])));
  throw new AppError('internal', `--fail-on ${threshold}: failed, ${blocking.length} new ${blocking.length === 1 ? 'vulnerability' : 'vulnerabilities'} at or above ${threshold}`);
}

function summaryLine(response: UploadResponse): string {
  const { scan, summary: s } = response;
  const replayed = response.replayed ? ' (already uploaded: idempotency key)' : '';
  return `scan ${scan.id} on ${scan.ref} (${scan.report_type}:${scan.scanner.id}): ${s.new} new, ${s.existing} existing, ${s.fixed} fixed, ${s.reopened} reopened, ${s.total} findings${replayed}\n`;
}

interface ListOptions {
  project: string;
  state?: string;
  severity?: string;
  reportType?: string;
  scanner?: string;
  ref?: string;
  identifier?: string;
  location?: string;
  sort?: string;
  limit?: number;
  all: boolean;
  json: boolean;
}

async function listVulnerabilities(io: Io, remote: Remote, opts: ListOptions): Promise<void> {
  const collected: VulnerabilityJson[] = [];
  let cursor: string | undefined;
  let more = false;
  do {
    const page = await callApi<{ items: VulnerabilityJson[]; next_cursor: string | null }>(
      remote,
      'GET',
      withQuery(projectApi(opts.project, 'vulnerabilities'), {
        state: opts.state,
        severity: opts.severity,
        report_type: opts.reportType,
        scanner: opts.scanner,
        ref: opts.ref,
        identifier: opts.identifier,
        location: opts.location,
        sort: opts.sort,
        limit: opts.limit ?? (opts.all ? MAX_PAGE : undefined),
        cursor,
      }),
    );
    // JSON lines stream page by page; the table waits for every row so its columns line up.
    if (opts.json) io.out(page.items.map((v) => `${JSON.stringify(v)}\n`).join(''));
    else collected.push(...page.items);
    cursor = page.next_cursor ?? undefined;
    more = cursor !== undefined;
  } while (opts.all && more);
  if (!opts.json) {
    io.out(collected.length === 0 ? 'no vulnerabilities match\n' : table([['ID', 'SEVERITY', 'STATE', 'TITLE', 'LOCATION'], ...collected.map((v) => [String(v.id), v.severity, v.state, v.title, locationText(v.location)])]));
  }
  if (more) io.err('(more vulnerabilities match: use --all, or a larger --limit)\n');
}

export function registerRemoteCommands(program: Command, io: Io): void {
  const remote = () => remoteFromEnv(process.env);

  program
    .command('whoami')
    .description('show who VIGIL_TOKEN belongs to on the server at VIGIL_URL (checks remote access)')
    .action(async () => {
      const me = await callApi<{ username: string; is_admin: boolean }>(remote(), 'GET', '/api/v1/user');
      io.out(`${me.username}${me.is_admin ? ' (administrator)' : ''}\n`);
    });

  program
    .command('upload')
    .description('upload a scanner report (any format `vigil formats` lists, optionally .gz) to a project on VIGIL_URL')
    .argument('<file>', 'the report; a name ending in .gz is sent as gzip')
    .requiredOption('--project <path>', 'full path of the project, e.g. acme/api')
    .requiredOption('--ref <branch>', 'the branch that was scanned')
    .option('--commit <sha>', 'the commit that was scanned')
    .option('--pipeline <id>', 'the CI pipeline or job that produced the report')
    .option('--scanner <name>', "override the scanner named in the report")
    .option('--report-type <type>', 'override the report type (sast, dependency_scanning, …)')
    .option('--format <id>', 'the report format (see `vigil formats`), when it cannot be detected — e.g. an empty Gitleaks []')
    .option('--idempotency-key <key>', 'upload at most once: a retry with the same key returns the first scan')
    .option('--json', 'print the API response as one line of JSON instead of the summary', false)
    .option('--wait', 'when the server hands a large report to a worker, wait for the ingestion and print its result (implied by --fail-on)', false)
    .option('--wait-timeout <seconds>', 'give up waiting after this long', wholeNumber(86_400), 3600)
    .addOption(
      new Option('--fail-on <severity>', 'CI gate: after the upload, exit 1 if the ref has a new vulnerability (compared with the default branch) at or above this severity, listing them on stderr').choices(SEVERITIES),
    )
    .addHelpText(
      'after',
      `
Severity order for --fail-on: ${SEVERITIES.join(' > ')}.

In CI (the gate): vigil upload gl-sast-report.json --project acme/api --ref "$CI_COMMIT_REF_NAME" \\
    --commit "$CI_COMMIT_SHA" --pipeline "$CI_PIPELINE_ID" --idempotency-key "$CI_JOB_ID-sast" --fail-on high
exits 0 when the branch adds nothing at or above high, 1 when it does, and 3 to 7 when the upload itself fails.
"New" means present on --ref and not on the project's default branch, so an upload to the default branch
itself always passes the gate.`,
    )
    .action(async (file: string, opts: UploadOptions) => {
      const server = remote();
      const answer = await upload(io, server, file, opts);
      if ('job' in answer && !opts.wait && !opts.failOn) {
        io.out(opts.json ? `${JSON.stringify(answer)}\n` : `queued: job ${answer.job.id} ingests the report (follow it with GET /api/v1/jobs/${answer.job.id}, or upload with --wait)\n`);
        return;
      }
      const response = 'job' in answer ? await waitForJob(io, server, answer.job, opts.waitTimeout) : answer;
      io.out(opts.json ? `${JSON.stringify(response)}\n` : summaryLine(response));
      if (opts.failOn) await gate(io, server, opts.project, opts.ref, opts.failOn);
    });

  program
    .command('fix-plan')
    .description("a project's minimal safe upgrades on VIGIL_URL: per package the lowest version that fixes its open vulnerabilities")
    .requiredOption('--project <path>', 'full path of the project, e.g. acme/api')
    .addOption(new Option('--format <format>', 'text: one line per package; markdown: a merge request description; json: the API response').choices(['text', 'markdown', 'json']).default('text'))
    .action(async (opts: { project: string; format: 'text' | 'markdown' | 'json' }) => {
      const path = projectApi(opts.project, 'upgrade-plan');
      if (opts.format === 'markdown') {
        io.out(await callApiText(remote(), withQuery(path, { format: 'markdown' })));
        return;
      }
      const plan = await callApi<{ upgrades: { summary: string }[]; images: { image: string; newer_tags: string[] }[] }>(remote(), 'GET', path);
      if (opts.format === 'json') {
        io.out(`${JSON.stringify(plan)}\n`);
        return;
      }
      io.out(plan.upgrades.length === 0 ? 'no open vulnerability in a package\n' : plan.upgrades.map((u) => `${u.summary}\n`).join(''));
      for (const image of plan.images.filter((i) => i.newer_tags.length > 0)) io.out(`newer image known for ${image.image}: ${image.newer_tags.join(', ')}\n`);
    });

  program
    .command('vulns')
    .description("a project's vulnerabilities on VIGIL_URL")
    .command('list')
    .description('list vulnerabilities as a table (id, severity, state, title, location) or as JSON lines')
    .requiredOption('--project <path>', 'full path of the project, e.g. acme/api')
    .option('--state <list>', `comma-separated states: ${STATES.join(', ')}`)
    .option('--severity <list>', `comma-separated severities: ${SEVERITIES.join(', ')}`)
    .option('--report-type <list>', 'comma-separated report types, e.g. sast,dependency_scanning')
    .option('--scanner <name>', 'only findings of this scanner')
    .option('--ref <branch>', 'only vulnerabilities present on this branch')
    .option('--identifier <id>', 'only vulnerabilities with this identifier (CVE-…, CWE-…, rule id)')
    .option('--location <text>', 'only vulnerabilities whose location contains this text')
    .addOption(new Option('--sort <order>', 'order (default: severity)').choices(SORTS))
    .option('--limit <n>', `how many to show (the page size with --all; 1–${MAX_PAGE}, default 50)`, pageSize)
    .option('--all', 'follow the pages to the end', false)
    .option('--json', 'print one JSON object a line', false)
    .action(async (opts: ListOptions) => listVulnerabilities(io, remote(), opts));
}
