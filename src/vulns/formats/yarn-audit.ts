import type { Finding, Scanner } from '../model.js';
import type { ReportFormat } from './format.js';
import { packageFinding } from './advisory.js';
import { FIELD_LIMITS } from './limits.js';
import { at, isObject, object, optionalObject, requiredText, scalarText, shown } from './json-read.js';
import { installedVersions, npmAdvisory, npmPurl, type NpmAdvisory } from './npm-advisory.js';
import { ReportError } from './report-error.js';

/**
 * `yarn audit --json` (yarn 1): JSON Lines, one record per line — `{type: 'auditAdvisory', data: {resolution:
 * {id, path, dev, optional, bundled}, advisory}}` for every dependency path that reaches a vulnerable package,
 * `auditAction` records, and an `auditSummary` record last. The advisory object is npm's (see npm-advisory.ts).
 *
 * Counting: one finding per (advisory id, package, installed version). yarn repeats the whole advisory once per
 * path (`resolution.path`); those records are ONE finding. The installed version of a record is the
 * `advisory.findings[]` entry whose `paths` include `resolution.path` (every distinct version the advisory names
 * when none does). Repeats are merged: the first record's text wins, CWE ids are the union (yarn has been seen to
 * write `cwe: "[]"` on one record of an advisory and the list on the others).
 *
 * A stream without the closing `auditSummary` is refused: it was cut short (a cut at a line boundary is still valid
 * JSON Lines), or yarn failed (an `error` record, whose text is quoted). File: `yarn.lock` (yarn audit reads it;
 * the report does not name it). yarn 2+ (`yarn npm audit`) writes a different shape and is not read here.
 */

const YARN_SCANNER: Scanner = { id: 'yarn_audit', name: 'yarn audit', version: null, vendor: 'Yarn' };
const LOCK_FILE = 'yarn.lock';

const AUDIT_RECORDS = new Set(['auditAdvisory', 'auditAction', 'auditSummary']);
/** yarn's log records, which may come before the audit records (`{"type":"warning","data":"…"}`). */
const LOG_RECORDS = new Set(['info', 'warning', 'error']);

/** The installed versions this record's path reaches. */
function recordVersions(advisory: NpmAdvisory, path: string | null): (string | null)[] {
  const reached = path === null ? [] : advisory.installs.filter((install) => install.paths.includes(path));
  return installedVersions(reached.length > 0 ? reached : advisory.installs);
}

/** yarn audit JSON Lines (yarn 1). */
export const yarnAuditFormat: ReportFormat = {
  id: 'yarn_audit',
  name: 'yarn audit JSON Lines',
  container: 'json-stream',
  detection: 'JSON Lines whose first record is {"type": "auditAdvisory" | "auditAction" | "auditSummary", "data": {…}} (or a yarn {"type": "info" | "warning" | "error", "data": "…"} log line)',
  reportTypes: ['dependency_scanning'],
  detect(opening) {
    if (opening.container !== 'json-stream' || !isObject(opening.first)) return false;
    const { type, data } = opening.first;
    if (typeof type !== 'string') return false;
    if (AUDIT_RECORDS.has(type)) return isObject(data);
    return LOG_RECORDS.has(type) && typeof data === 'string' && Object.keys(opening.first).length === 2;
  },
  reader() {
    const findings = new Map<string, Finding>();
    let summary = false;
    let failure: string | null = null;
    return {
      // Every top-level record is handed over (json-stream); the paths are not consulted.
      elementPaths: ['$'],
      headerPaths: [],
      take(_keys, value, pointer) {
        const record = object(value, pointer);
        const type = requiredText(record, 'type', pointer, FIELD_LIMITS.other, scalarText);
        const dataPointer = at(pointer, 'data');
        if (type === 'auditAdvisory') {
          const data = object(record.data, dataPointer);
          const advisory = npmAdvisory(data.advisory, at(dataPointer, 'advisory'));
          const resolutionPointer = at(dataPointer, 'resolution');
          const resolution = optionalObject(data.resolution, resolutionPointer);
          const path = resolution && scalarText(resolution, 'path', resolutionPointer);
          for (const version of recordVersions(advisory, path)) {
            const key = JSON.stringify([advisory.id, advisory.moduleName, version]);
            const known = findings.get(key);
            if (known) {
              const cwes = advisory.identifiers.filter((i) => i.type === 'cwe' && !known.identifiers.some((k) => k.type === 'cwe' && k.value === i.value));
              known.identifiers.push(...cwes);
              continue;
            }
            const pkg = { name: advisory.moduleName, version, ecosystem: 'npm', purl: npmPurl(advisory.moduleName, version), fixedVersions: advisory.fixedVersions };
            findings.set(key, packageFinding(advisory, pkg, LOCK_FILE, YARN_SCANNER));
          }
        } else if (type === 'auditSummary') {
          object(record.data, dataPointer);
          summary = true;
        } else if (type === 'error') {
          failure ??= typeof record.data === 'string' ? record.data : shown(record.data);
        }
      },
      finish() {
        if (!summary) {
          throw new ReportError('', failure === null ? 'the yarn audit stream ends before its auditSummary record (truncated?)' : `yarn audit failed: ${shown(failure)}`);
        }
        return { formatVersion: null, scanners: [YARN_SCANNER], reportTypes: ['dependency_scanning'], findings: [...findings.values()] };
      },
    };
  },
};
