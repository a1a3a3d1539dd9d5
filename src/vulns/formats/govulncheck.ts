import type { Scanner } from '../model.js';
import type { ReportFormat } from './format.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { array, at, child, isObject, lineNumber, object, objectList, requiredText, text, type Json } from './json-read.js';
import { ReportError } from './report-error.js';
import { advisoryIdentifiers, distinct, finding, firstLine, linkList, osvRecord, packageRef, upgradeAdvice, type OsvRecord } from './advisory.js';

/**
 * govulncheck JSON (`govulncheck -json`, protocol v1): a stream of `{config}`, `{SBOM}`, `{progress}`,
 * `{osv: <OSV record>}` and `{finding: {osv, fixed_version, trace[]}}` objects. `trace[0]` is the vulnerable
 * module (`{module, version}`), package (`+ package`) or symbol (`+ function`, `receiver`, `position`); the last
 * frame of a symbol trace is the caller in the scanned code.
 *
 * - One finding per distinct (OSV id, module): govulncheck writes one `finding` per level it reached (required
 *   module, imported package, called symbol) and per call path. Every level is a finding — a vulnerable module in
 *   go.mod is a vulnerable dependency whether or not it is called, as for every other dependency scanner — and the
 *   deepest level reached is said first in the description ("called" with the call site, "imported",
 *   "required"), so people can tell what govulncheck's own text output calls "affected" from "informational".
 * - Identifiers: the OSV id (`GO-…`, type `osv`), then the record's aliases (CVE, GHSA) in its order.
 * - Package: the module (`stdlib` for the standard library), the version in `trace[0]`, ecosystem `go`; fixed
 *   versions are `fixed_version` as govulncheck writes it (with its leading `v`, like the installed version).
 *   File: `go.mod`.
 * - Severity: the Go vulnerability database gives none, so unknown — unless the OSV record carries
 *   `database_specific.severity` or CVSS vectors (see advisory.ts).
 * - Text from the `osv` record of the same id (summary, details, references); a finding whose record is missing
 *   keeps its id as title.
 */

const SCANNER_ID = 'govulncheck';
const LEVELS = ['required', 'imported', 'called'] as const;
type Level = (typeof LEVELS)[number];

interface Reached {
  osv: string;
  module: string;
  version: string | null;
  fixedVersions: string[];
  level: Level;
  /** For a called symbol: the scanned code's call and the vulnerable symbol it reaches. */
  callSite: string | null;
  /** For an imported package: the package. */
  importedPackage: string | null;
}

/** `pkg.Func`, `pkg.(*T).Method`. */
function symbol(frame: Json, pointer: string): string | null {
  const fn = text(frame, 'function', pointer);
  if (fn === null) return null;
  const receiver = text(frame, 'receiver', pointer);
  const pkg = text(frame, 'package', pointer);
  return [pkg, receiver === null ? fn : `(${receiver}).${fn}`].filter((p) => p !== null).join('.');
}

export function govulncheckFinding(value: unknown, pointer: string): Reached {
  const raw = object(value, pointer);
  const osv = requiredText(raw, 'osv', pointer, FIELD_LIMITS.identifier);
  const tracePointer = at(pointer, 'trace');
  const frames = objectList(array(raw.trace, tracePointer), tracePointer);
  if (frames.length === 0) throw new ReportError(tracePointer, 'must have at least one frame');
  const [top, topPointer] = frames[0]!;
  const called = symbol(top, topPointer);
  const importedPackage = text(top, 'package', topPointer);
  let callSite: string | null = null;
  if (called !== null) {
    const [caller, callerPointer] = frames[frames.length - 1]!;
    const [position, positionPointer] = child(caller, 'position', callerPointer);
    const file = position && text(position, 'filename', positionPointer, FIELD_LIMITS.path);
    const line = position && lineNumber(position, 'line', positionPointer);
    const site = [symbol(caller, callerPointer), file === null ? null : `(${file}${line === null ? '' : `:${line}`})`].filter((p) => p !== null).join(' ');
    callSite = frames.length > 1 && site !== '' ? `${site} reaches ${called}` : called;
  }
  const fixed = text(raw, 'fixed_version', pointer);
  return {
    osv,
    module: requiredText(top, 'module', topPointer),
    version: text(top, 'version', topPointer),
    fixedVersions: fixed === null ? [] : [fixed],
    level: called !== null ? 'called' : importedPackage !== null ? 'imported' : 'required',
    callSite,
    importedPackage,
  };
}

function reachability(reached: Reached): string {
  switch (reached.level) {
    case 'called':
      return `Called: ${reached.callSite}.`;
    case 'imported':
      return `Imported: the vulnerable package ${reached.importedPackage} is imported; govulncheck found no call to its vulnerable symbols.`;
    default:
      return `Required: the vulnerable module is a dependency; govulncheck found no import of its vulnerable packages.`;
  }
}

/** govulncheck's JSON stream (protocol v1): each vulnerable module of each OSV entry. */
export const govulncheckFormat: ReportFormat = {
  id: 'govulncheck',
  name: 'govulncheck JSON',
  container: 'json-stream',
  detection: 'a stream of JSON objects whose first is {"config": {"scanner_name": "govulncheck", …}}',
  reportTypes: ['dependency_scanning'],
  detect(opening) {
    if (opening.container !== 'json-stream' || !isObject(opening.first)) return false;
    const config = opening.first.config;
    return isObject(config) && config.scanner_name === SCANNER_ID;
  },
  reader() {
    const records = new Map<string, OsvRecord>();
    const reached = new Map<string, Reached>();
    let scanner: Scanner = { id: SCANNER_ID, name: 'govulncheck', version: null, vendor: 'Go' };
    let protocol: string | null = null;
    return {
      elementPaths: ['$'],
      headerPaths: [],
      take(_keys, value, pointer) {
        const message = object(value, pointer);
        if (message.config != null) {
          const p = at(pointer, 'config');
          const config = object(message.config, p);
          scanner = { ...scanner, version: text(config, 'scanner_version', p) };
          protocol = text(config, 'protocol_version', p);
        } else if (message.osv != null) {
          const record = osvRecord(message.osv, at(pointer, 'osv'));
          records.set(record.id, record);
        } else if (message.finding != null) {
          const found = govulncheckFinding(message.finding, at(pointer, 'finding'));
          const key = `${found.osv}\u0000${found.module}`;
          const known = reached.get(key);
          if (!known) reached.set(key, found);
          else {
            known.version ??= found.version;
            known.fixedVersions = distinct([...known.fixedVersions, ...found.fixedVersions]);
            if (LEVELS.indexOf(found.level) > LEVELS.indexOf(known.level)) Object.assign(known, { level: found.level, callSite: found.callSite, importedPackage: found.importedPackage });
          }
        }
        // `progress` and `SBOM` messages say nothing about vulnerabilities.
      },
      finish() {
        const findings = [...reached.values()].map((r) => {
          const record = records.get(r.osv);
          const description = [reachability(r), record?.details].filter((p): p is string => !!p).join('\n\n');
          return finding({
            title: record?.summary ?? firstLine(record?.details ?? null) ?? r.osv,
            description: clip(description, FIELD_LIMITS.description),
            severity: record?.severity ?? 'unknown',
            reportType: 'dependency_scanning',
            scanner,
            identifiers: advisoryIdentifiers([r.osv, ...(record?.aliases ?? [])], 'osv'),
            location: { file: 'go.mod', package: packageRef(r.module, r.version, { ecosystem: 'go', fixedVersions: r.fixedVersions }) },
            solution: upgradeAdvice(r.module, r.fixedVersions),
            links: linkList(record?.links ?? []),
            cvssVectors: record?.cvssVectors ?? [],
          });
        });
        return { formatVersion: protocol, scanners: [scanner], reportTypes: ['dependency_scanning'], findings };
      },
    };
  },
};
