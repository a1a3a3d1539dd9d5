import type { Finding, Identifier, Scanner } from '../model.js';
import type { ReportFormat } from './format.js';
import { FIELD_LIMITS } from './limits.js';
import { ghsaIn, isCve, isGhsa, packageFinding } from './advisory.js';
import { at, object, requiredText, scalarProse, scalarText, scalarValue, textList } from './json-read.js';
import { ReportError } from './report-error.js';

/**
 * `pip-audit -f json`, both shapes:
 *
 * - pip-audit 2+: `{dependencies: [{name, version, vulns: [{id, fix_versions[], aliases[], description}]} |
 *   {name, skip_reason}], fixes: [...]}`;
 * - pip-audit 1.x: the same dependency objects as a top-level array.
 *
 * One finding per (dependency, vuln). The driver hands over each vuln on its own (`$.dependencies.*.vulns.*`,
 * `$.*.vulns.*`) and the dependency's `name` / `version` beside it, so a dependency with many vulns is never held
 * whole; skipped dependencies and `fixes` are not findings and are not read.
 *
 * Identifiers: the vuln `id` first (PYSEC-… and other OSV ids as type `osv`, GHSA-… as `ghsa`, CVE-… as `cve`),
 * then its aliases, CVEs first (identity names a package finding by its CVE, else its GHSA). The link is the id's
 * osv.dev page (pip-audit's ids are OSV ids, from the PyPI and OSV services alike). pip-audit rates nothing:
 * severity is `unknown`. Title: `<id> in <package>`; description: pip-audit's (present with `--desc`).
 * Solution: the fix versions. File: the report does not say what was audited (an environment, a requirements
 * file, a pyproject), so every finding is on `requirements.txt`, which keeps identity the same between runs.
 * pip-audit writes no format version.
 */

const PIP_SCANNER: Scanner = { id: 'pip_audit', name: 'pip-audit', version: null, vendor: 'PyPA' };
const MANIFEST = 'requirements.txt';
/** The keys of a pip-audit dependency object (for recognising the pip-audit 1.x array). */
const DEPENDENCY_KEYS = new Set(['name', 'version', 'vulns', 'skip_reason']);

interface Vuln {
  id: string;
  aliases: string[];
  fixVersions: string[];
  description: string | null;
}

interface Dependency {
  pointer: string;
  name: string | null;
  version: string | null;
  vulns: Vuln[];
}

function vulnValue(raw: unknown, pointer: string): Vuln {
  const vuln = object(raw, pointer);
  return {
    id: requiredText(vuln, 'id', pointer, FIELD_LIMITS.identifier, scalarText),
    aliases: textList(vuln, 'aliases', pointer, FIELD_LIMITS.identifier, scalarValue),
    fixVersions: textList(vuln, 'fix_versions', pointer, FIELD_LIMITS.other, scalarValue),
    description: scalarProse(vuln, 'description', pointer, FIELD_LIMITS.description),
  };
}

function identifierOf(id: string): Identifier {
  if (isCve(id)) return { type: 'cve', value: id.toUpperCase(), name: null, url: null };
  if (isGhsa(id)) return { type: 'ghsa', value: ghsaIn(id)!, name: null, url: null };
  return { type: 'osv', value: id, name: null, url: null };
}

/** The id, then the aliases (CVEs first), without repeats. */
function identifiersOf(vuln: Vuln): Identifier[] {
  const aliases = [...vuln.aliases.filter(isCve), ...vuln.aliases.filter((a) => !isCve(a))];
  const out: Identifier[] = [];
  for (const identifier of [vuln.id, ...aliases].map(identifierOf)) {
    if (!out.some((o) => o.type === identifier.type && o.value.toLowerCase() === identifier.value.toLowerCase())) out.push(identifier);
  }
  return out;
}

function vulnFinding(dependency: Dependency, vuln: Vuln): Finding {
  if (dependency.name === null) throw new ReportError(at(dependency.pointer, 'name'), 'must be a non-empty string');
  const { name, version } = dependency;
  const fixes = vuln.fixVersions;
  const purl = `pkg:pypi/${encodeURIComponent(name.toLowerCase())}${version === null ? '' : `@${encodeURIComponent(version)}`}`;
  return packageFinding(
    {
      title: `${vuln.id} in ${name}`,
      description: vuln.description,
      severity: 'unknown',
      identifiers: identifiersOf(vuln),
      links: [{ name: null, url: `https://osv.dev/vulnerability/${encodeURIComponent(vuln.id)}` }],
      cvssVectors: [],
      solution: fixes.length === 0 ? null : `Upgrade ${name} to ${fixes.length === 1 ? fixes[0] : `one of ${fixes.join(', ')}`}.`,
    },
    { name, version, ecosystem: 'pypi', purl, fixedVersions: fixes },
    MANIFEST,
    PIP_SCANNER,
  );
}

/** pip-audit JSON (`{dependencies, fixes}`, and the pip-audit 1.x top-level array). */
export const pipAuditFormat: ReportFormat = {
  id: 'pip_audit',
  name: 'pip-audit JSON',
  container: 'json',
  detection: 'a JSON object whose keys are "dependencies" (first) and "fixes", or an array whose first element has only "name", "version", "vulns", "skip_reason" (pip-audit 1.x)',
  reportTypes: ['dependency_scanning'],
  detect(opening) {
    if (opening.container !== 'json') return false;
    if (opening.rootKind === 'object') return opening.keys[0] === 'dependencies' && opening.keys.every((k) => k === 'dependencies' || k === 'fixes');
    const keys = opening.firstElementKeys;
    return keys.includes('name') && (keys.includes('vulns') || keys.includes('skip_reason')) && keys.every((k) => DEPENDENCY_KEYS.has(k));
  },
  reader() {
    const dependencies = new Map<string, Dependency>();
    return {
      elementPaths: ['$.dependencies.*.vulns.*', '$.*.vulns.*'],
      headerPaths: ['$.dependencies.*.name', '$.dependencies.*.version', '$.*.name', '$.*.version'],
      take(keys, value, pointer) {
        // pip-audit 2+: ['dependencies', i, field, …]; pip-audit 1.x: [i, field, …].
        const legacy = typeof keys[0] === 'number';
        if (!legacy && keys[0] !== 'dependencies') return;
        const base = legacy ? 0 : 1;
        const index = keys[base];
        if (typeof index !== 'number') throw new ReportError('/dependencies', 'must be an array');
        const dependencyPointer = legacy ? `/${index}` : `/dependencies/${index}`;
        let dependency = dependencies.get(dependencyPointer);
        if (!dependency) dependencies.set(dependencyPointer, (dependency = { pointer: dependencyPointer, name: null, version: null, vulns: [] }));
        const field = keys[base + 1];
        if (field === 'vulns') {
          if (typeof keys[base + 2] !== 'number') throw new ReportError(at(dependencyPointer, 'vulns'), 'must be an array');
          dependency.vulns.push(vulnValue(value, pointer));
        } else if (field === 'name') dependency.name = requiredText({ name: value }, 'name', dependencyPointer, FIELD_LIMITS.other, scalarText);
        else if (field === 'version') dependency.version = scalarText({ version: value }, 'version', dependencyPointer);
      },
      finish() {
        const findings = [...dependencies.values()].flatMap((dependency) => dependency.vulns.map((vuln) => vulnFinding(dependency, vuln)));
        return { formatVersion: null, scanners: [PIP_SCANNER], reportTypes: ['dependency_scanning'], findings };
      },
    };
  },
};
