import * as pep440 from '@renovatebot/pep440';
import * as rubySemver from '@renovatebot/ruby-semver';
import semver from 'semver';

/**
 * Version order per ecosystem, for "the lowest version that fixes it". Well-kept libraries where they exist —
 * `semver` (npm, Cargo, Go modules), Renovate's PEP 440 (PyPI) and RubyGems implementations — and small comparators
 * written here where none is maintained on its own: Maven's ComparableVersion rules, NuGet's four-part versions,
 * dpkg's algorithm (Debian, Ubuntu) and a segment-wise order for Alpine and RPM.
 */
export const ECOSYSTEMS = ['npm', 'pypi', 'maven', 'go', 'rubygems', 'nuget', 'cargo', 'debian', 'alpine', 'rpm', 'other'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

export interface VersionScheme {
  valid(version: string): boolean;
  /** Negative, zero or positive, like a sort comparator; only for valid versions. */
  compare(a: string, b: string): number;
}

const ALIASES: Record<string, Ecosystem> = {
  npm: 'npm', yarn: 'npm', pnpm: 'npm', node: 'npm', 'node-pkg': 'npm', nodejs: 'npm', javascript: 'npm',
  pypi: 'pypi', pip: 'pypi', python: 'pypi', 'python-pkg': 'pypi', pipenv: 'pypi', poetry: 'pypi',
  maven: 'maven', gradle: 'maven', java: 'maven', 'java-archive': 'maven', jar: 'maven', sbt: 'maven',
  go: 'go', golang: 'go', gomod: 'go', 'go-module': 'go', gobinary: 'go',
  rubygems: 'rubygems', gem: 'rubygems', ruby: 'rubygems', bundler: 'rubygems', gemspec: 'rubygems',
  nuget: 'nuget', dotnet: 'nuget', 'dotnet-core': 'nuget', '.net': 'nuget',
  cargo: 'cargo', 'crates.io': 'cargo', rust: 'cargo', 'rust-crate': 'cargo',
  debian: 'debian', deb: 'debian', ubuntu: 'debian', dpkg: 'debian',
  alpine: 'alpine', apk: 'alpine', wolfi: 'alpine',
  rpm: 'rpm', redhat: 'rpm', centos: 'rpm', rocky: 'rpm', alma: 'rpm', amazon: 'rpm', fedora: 'rpm', suse: 'rpm', opensuse: 'rpm', oracle: 'rpm',
};

/** The ecosystem from what the report says (Trivy's target types, Grype's package types, purl types, …). */
export function ecosystemOf(pkg: { ecosystem?: string | null; purl?: string | null }): Ecosystem {
  const purlType = /^pkg:([a-z0-9.+-]+)\//i.exec(pkg.purl ?? '')?.[1]?.toLowerCase();
  for (const name of [pkg.ecosystem?.toLowerCase().trim(), purlType]) {
    if (!name) continue;
    const known = ALIASES[name] ?? ALIASES[name.split(/[\s:/-]/)[0]!];
    if (known) return known;
  }
  return 'other';
}

const semverScheme = (strip: (v: string) => string): VersionScheme => ({
  valid: (v) => semver.valid(strip(v), { loose: true }) !== null,
  compare: (a, b) => semver.compare(strip(a), strip(b), { loose: true }),
});

/** Splits into numeric and text runs: "1.10rc2" → [1, 10, "rc", 2]. */
function segments(version: string): (number | string)[] {
  return (version.toLowerCase().match(/\d+|[a-z]+/g) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Maven's qualifier order (ComparableVersion): alpha < beta < milestone < rc < snapshot < release < sp. */
const MAVEN_QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const MAVEN_ALIASES: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone', cr: 'rc', ga: '', final: '', release: '' };

function mavenCompare(a: string, b: string): number {
  const norm = (v: string) => segments(v).map((s) => (typeof s === 'string' ? (MAVEN_ALIASES[s] ?? s) : s));
  const x = norm(a);
  const y = norm(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    // A missing part is 0 against a number and "" (a release) against a qualifier: 1.0 = 1.0.0 = 1.0-ga, 1.0-rc1 < 1.0.
    const p = x[i] ?? (typeof y[i] === 'number' ? 0 : '');
    const q = y[i] ?? (typeof x[i] === 'number' ? 0 : '');
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    if (typeof p === 'number') return 1; // a number is newer than any qualifier
    if (typeof q === 'number') return -1;
    const rank = (s: string) => {
      const r = MAVEN_QUALIFIERS.indexOf(s);
      return r === -1 ? MAVEN_QUALIFIERS.length : r; // unknown qualifiers after the known ones, alphabetically
    };
    return rank(p) - rank(q) || (p < q ? -1 : 1);
  }
  return 0;
}

/** Segment-wise: numbers numerically, letters alphabetically, a number after letters; longer wins a tie. */
function segmentCompare(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === q) continue;
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    if (typeof p !== typeof q) return typeof p === 'number' ? 1 : -1;
    return p < q ? -1 : 1;
  }
  return 0;
}

/** dpkg's comparison of one upstream or revision part: non-digits (with ~ lowest, letters before others), digits. */
function dpkgPart(a: string, b: string): number {
  const order = (c: string | undefined) => (c === undefined ? 0 : c === '~' ? -1 : /[a-z]/i.test(c) ? c.charCodeAt(0) : c.charCodeAt(0) + 256);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !/\d/.test(a[i]!)) || (j < b.length && !/\d/.test(b[j]!))) {
      const p = i < a.length && !/\d/.test(a[i]!) ? a[i] : undefined;
      const q = j < b.length && !/\d/.test(b[j]!) ? b[j] : undefined;
      if (order(p) !== order(q)) return order(p) - order(q);
      if (p !== undefined) i++;
      if (q !== undefined) j++;
    }
    const m = /^\d*/.exec(a.slice(i))![0];
    const n = /^\d*/.exec(b.slice(j))![0];
    const diff = Number(m || 0) - Number(n || 0);
    if (diff !== 0) return diff;
    i += m.length;
    j += n.length;
  }
  return 0;
}

function dpkgCompare(a: string, b: string): number {
  const split = (v: string) => {
    const epoch = /^(\d+):/.exec(v);
    const rest = epoch ? v.slice(epoch[0].length) : v;
    const dash = rest.lastIndexOf('-');
    return { epoch: epoch ? Number(epoch[1]) : 0, upstream: dash === -1 ? rest : rest.slice(0, dash), revision: dash === -1 ? '' : rest.slice(dash + 1) };
  };
  const x = split(a);
  const y = split(b);
  return x.epoch - y.epoch || dpkgPart(x.upstream, y.upstream) || dpkgPart(x.revision, y.revision);
}

/** NuGet: up to four numbers (missing ones are 0), then a release above any of its pre-releases; metadata ignored. */
function nugetCompare(a: string, b: string): number {
  const split = (v: string) => {
    const [release, ...label] = v.replace(/\+.*$/, '').split('-');
    const numbers = release!.split('.').map(Number);
    return { numbers: [0, 1, 2, 3].map((i) => numbers[i] ?? 0), label: label.join('-') };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 4; i++) if (x.numbers[i] !== y.numbers[i]) return x.numbers[i]! - y.numbers[i]!;
  if (x.label === y.label) return 0;
  if (x.label === '') return 1;
  if (y.label === '') return -1;
  return segmentCompare(x.label, y.label);
}

const anyDigit = (v: string) => /\d/.test(v) && v.length <= 200;

const SCHEMES: Record<Ecosystem, VersionScheme> = {
  npm: semverScheme((v) => v),
  cargo: semverScheme((v) => v),
  go: semverScheme((v) => v.replace(/^v/, '').replace(/\+incompatible$/, '')),
  pypi: { valid: (v) => pep440.valid(v) !== null, compare: (a, b) => pep440.compare(a, b) },
  rubygems: { valid: (v) => rubySemver.valid(v) !== null, compare: (a, b) => (rubySemver.eq(a, b) ? 0 : rubySemver.lt(a, b) ? -1 : 1) },
  maven: { valid: anyDigit, compare: mavenCompare },
  nuget: { valid: (v) => /^\d+(\.\d+){0,3}(-[0-9A-Za-z.-]+)?(\+.*)?$/.test(v), compare: nugetCompare },
  debian: { valid: (v) => /^(\d+:)?\d[\w.+~:-]*$/.test(v), compare: dpkgCompare },
  alpine: { valid: anyDigit, compare: segmentCompare },
  rpm: { valid: anyDigit, compare: segmentCompare },
  other: { valid: anyDigit, compare: segmentCompare },
};

export function schemeFor(ecosystem: Ecosystem): VersionScheme {
  return SCHEMES[ecosystem];
}

/** npm writes fixes as ranges (">=4.17.21", ">=2.0.0 <3.0.0 || >=3.0.1"); every other report lists versions. */
export type Fix = { kind: 'version'; version: string } | { kind: 'range'; range: string; lowest: string };

export function parseFix(ecosystem: Ecosystem, text: string): Fix | null {
  const t = text.trim();
  if (t === '' || t === '<0.0.0') return null;
  if (ecosystem === 'npm' && /[<>=^~|* ]/.test(t)) {
    const range = semver.validRange(t, { loose: true });
    const lowest = range === null ? null : semver.minVersion(range, { loose: true });
    return range === null || lowest === null ? null : { kind: 'range', range, lowest: lowest.version };
  }
  // Other reports sometimes prefix the lowest fixed version with >= as well.
  const version = t.replace(/^>=\s*/, '');
  return schemeFor(ecosystem).valid(version) ? { kind: 'version', version } : null;
}

/** The release line a version is on (its first two numbers): a fix listed for 2.12.x fixes 2.12.5, not 2.13.0. */
function lineOf(version: string): string {
  return segments(version).filter((s) => typeof s === 'number').slice(0, 2).join('.');
}

/**
 * Whether `candidate` carries the fix, given the fixes one vulnerability lists: inside a fixed range; or at least
 * the newest fixed version; or on the line of a listed fix, at or above it (backports: "2.17.1, 2.12.2").
 */
export function isFixedBy(ecosystem: Ecosystem, candidate: string, fixes: readonly Fix[]): boolean {
  const scheme = schemeFor(ecosystem);
  if (fixes.some((f) => f.kind === 'range' && semver.satisfies(candidate, f.range, { loose: true, includePrerelease: false }))) return true;
  const versions = fixes.flatMap((f) => (f.kind === 'version' ? [f.version] : [])).sort(scheme.compare);
  if (versions.length === 0) return false;
  if (scheme.compare(candidate, versions[versions.length - 1]!) >= 0) return true;
  return versions.some((f) => lineOf(f) === lineOf(candidate) && scheme.compare(candidate, f) >= 0);
}
