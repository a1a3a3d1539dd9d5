import type { Finding, Scanner, Severity } from '../model.js';
import { normaliseRepoPath } from '../paths.js';
import type { ReportFormat } from './format.js';
import { FIELD_LIMITS } from './limits.js';
import { array, arrayIndex, at, object, optionalObject, text, textList, type Json } from './json-read.js';
import { ReportError } from './report-error.js';
import {
  advisoryIdentifiers,
  cveFirst,
  distinct,
  ecosystemName,
  finding,
  firstLine,
  linkList,
  osvFixedVersions,
  osvRecord,
  packageRef,
  severityFromScore,
  upgradeAdvice,
  worse,
  type OsvRecord,
} from './advisory.js';

/**
 * OSV-Scanner JSON (`osv-scanner --format json`): `results[]` of `{source: {path, type}, packages[]}`, each package
 * `{package: {name, version, ecosystem, commit}, vulnerabilities[] (full OSV records), groups[]}`.
 *
 * - One finding per package and group: a group is one vulnerability under all its ids (GHSA + PYSEC + CVE), which
 *   OSV-Scanner has already collapsed. Reports without `groups` (before 1.3) get one group per record.
 * - Identifiers: the group's `ids` and `aliases`, CVE first, then GHSA, then the rest (`osv`).
 * - Severity: the group's `max_severity` (a CVSS score: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low, 0 info); else
 *   the worst of its records' `database_specific.severity` (GitHub's CRITICAL / HIGH / MODERATE / LOW); else the
 *   worst CVSS 3 base score computed from their `severity` vectors; else unknown.
 * - Text: title = the first record's `summary` (else the first line of its `details`, else the first id);
 *   description = that record's `details`. Fixed versions: the `fixed` range events of the records' affected entries
 *   for this package.
 * - File: `source.path`, normalised. OSV-Scanner writes absolute paths and names no checkout root, so the path is
 *   kept as written (a commit-matched source is the repository directory itself).
 * - The vulnerabilities are the streamed elements; a package's `package` and `groups` are small header values.
 */

const SCANNER: Scanner = { id: 'osv-scanner', name: 'OSV-Scanner', version: null, vendor: 'Google' };
/** The top-level keys an OSV-Scanner document has. */
const OSV_SCANNER_KEYS = new Set(['results', 'experimental_config']);

interface Group {
  ids: string[];
  aliases: string[];
  maxSeverity: number | null;
}

interface PackageEntry {
  name: string | null;
  version: string | null;
  ecosystem: string | null;
  commit: string | null;
  groups: Group[] | null;
  records: OsvRecord[];
}

export function osvScannerGroups(value: unknown, pointer: string): Group[] {
  return array(value, pointer).map((item, i) => {
    const p = at(pointer, i);
    const group = object(item, p);
    const ids = textList(group, 'ids', p, FIELD_LIMITS.identifier);
    if (ids.length === 0) throw new ReportError(at(p, 'ids'), 'must list at least one id');
    return { ids, aliases: textList(group, 'aliases', p, FIELD_LIMITS.identifier), maxSeverity: score(group.max_severity, at(p, 'max_severity')) };
  });
}

/** `max_severity`: a CVSS score, written as a string ("7.5"); blank is none. */
function score(value: unknown, pointer: string): number | null {
  if (value == null || value === '') return null;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (!Number.isFinite(number) || number < 0 || number > 10) throw new ReportError(pointer, `${JSON.stringify(value)} is not a CVSS score (0 to 10)`);
  return number;
}

function packageFindings(entry: PackageEntry, sourcePath: string | null): Finding[] {
  const groups = entry.groups ?? entry.records.map((r) => ({ ids: [r.id], aliases: r.aliases, maxSeverity: null }));
  // A record no group names still is a vulnerability of the package.
  const grouped = new Set(groups.flatMap((g) => g.ids.map((id) => id.toLowerCase())));
  for (const record of entry.records) if (!grouped.has(record.id.toLowerCase())) groups.push({ ids: [record.id], aliases: record.aliases, maxSeverity: null });

  const file = sourcePath === null ? null : normaliseRepoPath(sourcePath) || null;
  return groups.map((group) => {
    const ids = new Set(group.ids.map((id) => id.toLowerCase()));
    const records = entry.records.filter((r) => ids.has(r.id.toLowerCase()));
    const named = records.find((r) => r.summary !== null) ?? records.find((r) => r.details !== null) ?? records[0];
    const severity: Severity = group.maxSeverity !== null ? severityFromScore(group.maxSeverity) : records.reduce<Severity>((s, r) => worse(s, r.severity), 'unknown');
    // A source matched by commit (`type: git`) has a package without name or version: the repository and commit stand in.
    const name = entry.name ?? records.find((r) => r.repo !== null)?.repo ?? sourcePath ?? group.ids[0]!;
    const fixedVersions = osvFixedVersions(records, entry.name ?? '');
    return finding({
      title: named?.summary ?? firstLine(named?.details ?? null) ?? group.ids[0]!,
      description: named?.details ?? null,
      severity,
      reportType: 'dependency_scanning',
      scanner: SCANNER,
      identifiers: cveFirst(advisoryIdentifiers([...group.ids, ...group.aliases], 'osv')),
      location: {
        file,
        package: packageRef(name, entry.version ?? entry.commit, { ecosystem: ecosystemName(entry.ecosystem), fixedVersions }),
      },
      solution: upgradeAdvice(name, fixedVersions),
      links: linkList(records.flatMap((r) => r.links)),
      cvssVectors: distinct(records.flatMap((r) => r.cvssVectors.map((v) => v.vector))).map((vector) => ({ vendor: null, vector })),
    });
  });
}

/** OSV-Scanner JSON: every vulnerability group of every package of every scanned source. */
export const osvScannerFormat: ReportFormat = {
  id: 'osv-scanner',
  name: 'OSV-Scanner JSON',
  container: 'json',
  detection: 'a JSON object whose first key is "results" and whose only other key is "experimental_config"',
  reportTypes: ['dependency_scanning'],
  detect(opening) {
    if (opening.container !== 'json' || opening.rootKind !== 'object') return false;
    return opening.keys[0] === 'results' && opening.keys.every((k) => OSV_SCANNER_KEYS.has(k));
  },
  reader() {
    const sources = new Map<number, string | null>();
    const packages = new Map<string, { result: number; entry: PackageEntry }>();
    const entryAt = (result: number, index: number) => {
      const key = `${result}/${index}`;
      const known = packages.get(key);
      if (known) return known.entry;
      const entry: PackageEntry = { name: null, version: null, ecosystem: null, commit: null, groups: null, records: [] };
      packages.set(key, { result, entry });
      return entry;
    };
    return {
      elementPaths: ['$.results.*.packages.*.vulnerabilities.*'],
      headerPaths: ['$.results.*.source', '$.results.*.packages.*.package', '$.results.*.packages.*.groups'],
      take(keys, value, pointer) {
        if (keys[0] !== 'results') return;
        const result = arrayIndex(keys[1], '/results');
        const resultPointer = `/results/${result}`;
        if (keys[2] === 'source') {
          const source = optionalObject(value, pointer);
          sources.set(result, source && text(source, 'path', pointer, FIELD_LIMITS.path));
          return;
        }
        const entry = entryAt(result, arrayIndex(keys[3], `${resultPointer}/packages`));
        if (keys[4] === 'vulnerabilities') {
          arrayIndex(keys[5], at(`${resultPointer}/packages/${keys[3]}`, 'vulnerabilities'));
          entry.records.push(osvRecord(value, pointer));
        } else if (keys[4] === 'groups') {
          entry.groups = value == null ? null : osvScannerGroups(value, pointer);
        } else if (keys[4] === 'package') {
          const pkg: Json = optionalObject(value, pointer) ?? {};
          entry.name = text(pkg, 'name', pointer);
          entry.version = text(pkg, 'version', pointer);
          entry.ecosystem = text(pkg, 'ecosystem', pointer);
          entry.commit = text(pkg, 'commit', pointer);
        }
      },
      finish() {
        const findings = [...packages.values()].flatMap(({ result, entry }) => packageFindings(entry, sources.get(result) ?? null));
        return { formatVersion: null, scanners: [SCANNER], reportTypes: ['dependency_scanning'], findings };
      },
    };
  },
};

