import { JSONParser } from '@streamparser/json';
import { reportTypeFromLocation, type Finding, type ReportType, type Scanner } from '../model.js';
import type { PartialFinding } from '../formats/contract.js';
import { gitlabHeader, gitlabVulnerability, looksLikeGitlab, scannerFromIdentifiers } from '../formats/gitlab.js';
import { ReportError } from '../formats/report-error.js';
import { looksLikeSarif, sarifResult, sarifRun, slimSarifResult } from '../formats/sarif.js';

/**
 * Reads an uploaded report as it arrives: the JSON is tokenised chunk by chunk and only the finding elements
 * (GitLab `vulnerabilities[*]`, SARIF `runs[*].results[*]`) and small header values are ever materialised, so
 * a report of hundreds of megabytes never sits in memory whole. Format is detected from the header values.
 */
export type ReportFormat = 'gitlab' | 'sarif';

export interface ReadLimits {
  maxBytes: number;
  maxFindings: number;
}

export interface Overrides {
  scanner: string | null;
  reportType: ReportType | null;
}

export interface ParsedReport {
  format: ReportFormat;
  formatVersion: string | null;
  /** From the report header (or the overrides): what the scan covered, even when it found nothing. */
  scanners: Scanner[];
  reportTypes: ReportType[];
  findings: Finding[];
}

/** Over a configured limit: the upload is refused as too large, not as malformed. */
export class ReportLimitError extends Error {}

const PATHS = [
  '$.version',
  '$.$schema',
  '$.scan',
  '$.vulnerabilities.*',
  '$.runs.*.tool',
  '$.runs.*.originalUriBaseIds',
  '$.runs.*.automationDetails',
  '$.runs.*.results.*',
];

interface RunParts {
  tool: unknown;
  originalUriBaseIds: unknown;
  automationDetails: unknown;
  results: { raw: unknown; pointer: string }[];
}

const UNKNOWN_SCANNER: Scanner = { id: 'unknown', name: 'unknown scanner', version: null, vendor: null };

function overrideScanner(name: string): Scanner {
  return { id: name.toLowerCase().replace(/\s+/g, '_'), name, version: null, vendor: null };
}

export async function readReport(source: AsyncIterable<Uint8Array | string>, limits: ReadLimits, overrides: Overrides): Promise<ParsedReport> {
  const header: { version: unknown; schema: unknown; scan: unknown } = { version: undefined, schema: undefined, scan: undefined };
  const gitlabFindings: PartialFinding[] = [];
  const runs: RunParts[] = [];
  let count = 0;
  let bytes = 0;

  const parser = new JSONParser({ paths: PATHS, keepStack: false });
  // The parser reports some failures (a document that ends mid-value) through onError rather than by throwing.
  let parseFailure: Error | null = null;
  parser.onError = (error) => {
    parseFailure ??= error;
  };
  parser.onValue = ({ value, key, stack }) => {
    const keys = [...stack.slice(1).map((s) => s.key), key];
    const top = keys[0];
    if (keys.length === 1) {
      if (top === 'version') header.version = value;
      else if (top === '$schema') header.schema = value;
      else if (top === 'scan') header.scan = value;
      return;
    }
    if (top === 'vulnerabilities') {
      if (typeof key !== 'number') throw new ReportError('/vulnerabilities', 'must be an array');
      if (++count > limits.maxFindings) throw new ReportLimitError(`the report has more than ${limits.maxFindings} findings (the configured limit)`);
      gitlabFindings.push(gitlabVulnerability(value, `/vulnerabilities/${key}`));
      return;
    }
    if (top === 'runs') {
      const runIndex = keys[1];
      if (typeof runIndex !== 'number') throw new ReportError('/runs', 'must be an array');
      const run = (runs[runIndex] ??= { tool: undefined, originalUriBaseIds: undefined, automationDetails: undefined, results: [] });
      const part = keys[2];
      if (part === 'results') {
        if (typeof key !== 'number') throw new ReportError(`/runs/${runIndex}/results`, 'must be an array');
        if (++count > limits.maxFindings) throw new ReportLimitError(`the report has more than ${limits.maxFindings} findings (the configured limit)`);
        run.results.push({ raw: slimSarifResult(value), pointer: `/runs/${runIndex}/results/${key}` });
      } else if (part === 'tool' || part === 'originalUriBaseIds' || part === 'automationDetails') {
        run[part] = value;
      }
    }
  };

  let sawAnything = false;
  try {
    for await (const chunk of source) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (bytes > limits.maxBytes) throw new ReportLimitError(`the report is larger than ${limits.maxBytes} bytes (the configured limit)`);
      if (!sawAnything) {
        const text = (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')).trimStart();
        if (text.length > 0) {
          sawAnything = true;
          if (!text.startsWith('{')) throw new ReportError('', 'a report must be a JSON object (GitLab security report or SARIF 2.1.0 log)');
        }
      }
      parser.write(chunk);
      if (parseFailure) throw parseFailure;
    }
    if (!sawAnything) throw new ReportError('', 'the report is empty');
    if (!parser.isEnded) parser.end();
    if (parseFailure) throw parseFailure;
  } catch (error) {
    if (error instanceof ReportError || error instanceof ReportLimitError) throw error;
    const message = (error as Error).message.replace(/ in state \w+$/, '');
    throw new ReportError('', `not valid JSON: ${/ended|end of|incomplete/i.test(message) ? `the document ends early after ${bytes} bytes (truncated?)` : message}`);
  }

  const common = { ...(overrides.scanner && { scanner: overrideScanner(overrides.scanner) }) };
  if (runs.length > 0 || looksLikeSarif({ version: header.version, schema: header.schema, hasRuns: runs.length > 0 })) {
    if (gitlabFindings.length > 0) throw new ReportError('', 'the document has both SARIF runs and GitLab vulnerabilities');
    const findings: Finding[] = [];
    const scanners: Scanner[] = [];
    const reportTypes = new Set<ReportType>();
    runs.forEach((parts, i) => {
      const context = sarifRun(parts, `/runs/${i}`);
      for (const { raw, pointer } of parts.results) {
        const finding = sarifResult(raw, pointer, context);
        if (!finding) continue;
        findings.push({ ...finding, ...common, ...(overrides.reportType && { reportType: overrides.reportType }) });
      }
      scanners.push(common.scanner ?? context.scanner);
      reportTypes.add(overrides.reportType ?? context.reportType);
    });
    return { format: 'sarif', formatVersion: typeof header.version === 'string' ? header.version : null, scanners, reportTypes: [...reportTypes], findings };
  }

  if (gitlabFindings.length > 0 || looksLikeGitlab({ version: header.version, scan: header.scan, hasVulnerabilities: gitlabFindings.length > 0 })) {
    const head = gitlabHeader({ version: header.version, scan: header.scan });
    const scanners = new Map<string, Scanner>();
    const reportTypes = new Set<ReportType>();
    const findings = gitlabFindings.map((partial) => {
      const reportType = overrides.reportType ?? partial.reportType ?? head.reportType ?? reportTypeFromLocation(partial.location);
      // v14 vulnerabilities name their scanner without a version; the header's, when it is the same scanner, has it.
      const own = partial.scanner && head.scanner?.id === partial.scanner.id ? head.scanner : partial.scanner;
      // Last resort for reports that name no scanner anywhere: an explicit "unknown" (the `scanner` parameter names it).
      const scanner = common.scanner ?? own ?? head.scanner ?? scannerFromIdentifiers(partial.identifiers) ?? UNKNOWN_SCANNER;
      scanners.set(scanner.id, scanner);
      reportTypes.add(reportType);
      return { ...partial, reportType, scanner };
    });
    // The scope is what the scan says it covered (its header), so an empty report on a branch speaks for the same
    // scope as a full one on the default branch; only a report without a header falls back to its findings.
    const scopeScanner = common.scanner ?? head.scanner;
    const scopeType = overrides.reportType ?? head.reportType;
    if (findings.length === 0 && (!scopeScanner || !scopeType)) {
      throw new ReportError('/scan', 'an empty report must say which scanner and report type it covers (scan.scanner, scan.type), or pass scanner and report_type');
    }
    return {
      format: 'gitlab',
      formatVersion: head.formatVersion,
      scanners: scopeScanner ? [scopeScanner] : [...scanners.values()],
      reportTypes: scopeType ? [scopeType] : [...reportTypes],
      findings,
    };
  }

  throw new ReportError('', 'not a known report format: expected a GitLab security report (version + vulnerabilities) or a SARIF 2.1.0 log (version + runs)');
}
