import type { PackageRef, Severity } from '../vulns/model.js';
import { severityRank } from '../vulns/model.js';
import { ecosystemOf, isFixedBy, parseFix, schemeFor, type Ecosystem, type Fix } from './versions.js';

/**
 * The upgrade plan: for each vulnerable package (name and installed version, per ecosystem and, for containers, per
 * image) the minimal safe upgrade — the lowest version that clears every open vulnerability of that package — or,
 * honestly, that no listed version does. Pure: the caller reads the vulnerabilities.
 */
export interface PackageVulnerability {
  id: number;
  title: string;
  severity: Severity;
  identifier: string | null;
  package: PackageRef;
  /** The container image the package is in (container scanning), else null. */
  image: string | null;
  file: string | null;
}

export interface PackageUpgrade {
  ecosystem: Ecosystem;
  name: string;
  installed: string | null;
  image: string | null;
  /** The lowest version that fixes every vulnerability it can; null: no listed version fixes any. */
  target: string | null;
  fixes: { id: number; severity: Severity; identifier: string | null }[];
  /** Vulnerabilities the target leaves open: no fix is known for them (or none on the path of the others). */
  unfixed: { id: number; severity: Severity; identifier: string | null }[];
  files: string[];
}

const worstFirst = (a: { severity: Severity }, b: { severity: Severity }) => severityRank(b.severity) - severityRank(a.severity);

/** Groups by package and picks each group's target. Sorted: most severe fixes first, then by name. */
export function planUpgrades(vulnerabilities: readonly PackageVulnerability[]): PackageUpgrade[] {
  const groups = new Map<string, PackageVulnerability[]>();
  for (const v of vulnerabilities) {
    const key = JSON.stringify([ecosystemOf(v.package), v.package.name, v.package.version, v.image]);
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const plans = [...groups.values()].map((group) => upgradeFor(group));
  const worst = (p: PackageUpgrade) => Math.max(-1, ...[...p.fixes, ...p.unfixed].map((f) => severityRank(f.severity)));
  return plans.sort((a, b) => worst(b) - worst(a) || b.fixes.length - a.fixes.length || a.name.localeCompare(b.name) || (a.image ?? '').localeCompare(b.image ?? ''));
}

function upgradeFor(group: PackageVulnerability[]): PackageUpgrade {
  const first = group[0]!;
  const ecosystem = ecosystemOf(first.package);
  const scheme = schemeFor(ecosystem);
  const installed = first.package.version;
  const fixesOf = new Map(group.map((v) => [v.id, (v.package.fixedVersions ?? []).map((t) => parseFix(ecosystem, t)).filter((f): f is Fix => f !== null)]));
  const above = (version: string) => installed === null || !scheme.valid(installed) || scheme.compare(version, installed) > 0;
  const candidates = [...new Set([...fixesOf.values()].flat().map((f) => (f.kind === 'version' ? f.version : f.lowest)))]
    .filter((c) => scheme.valid(c) && above(c))
    .sort(scheme.compare);
  // The lowest candidate that fixes the most: all of them when some version does.
  let target: string | null = null;
  let best = 0;
  for (const candidate of candidates) {
    const fixed = group.filter((v) => isFixedBy(ecosystem, candidate, fixesOf.get(v.id)!)).length;
    if (fixed > best) {
      best = fixed;
      target = candidate;
    }
  }
  const entry = (v: PackageVulnerability) => ({ id: v.id, severity: v.severity, identifier: v.identifier });
  const fixedByTarget = (v: PackageVulnerability) => target !== null && isFixedBy(ecosystem, target, fixesOf.get(v.id)!);
  return {
    ecosystem,
    name: first.package.name,
    installed,
    image: first.image,
    target,
    fixes: group.filter(fixedByTarget).map(entry).sort(worstFirst),
    unfixed: group.filter((v) => !fixedByTarget(v)).map(entry).sort(worstFirst),
    files: [...new Set(group.map((v) => v.file).filter((f): f is string => f !== null))].sort(),
  };
}

/** "3 vulnerabilities, 1 critical, 1 high" — the count, then the two worst severities that occur. */
function severityCount(items: readonly { severity: Severity }[]): string {
  const counts = new Map<Severity, number>();
  for (const i of [...items].sort(worstFirst)) counts.set(i.severity, (counts.get(i.severity) ?? 0) + 1);
  const notable = [...counts].filter(([s]) => s === 'critical' || s === 'high').map(([s, n]) => `${n} ${s}`);
  return [`${items.length} ${items.length === 1 ? 'vulnerability' : 'vulnerabilities'}`, ...notable].join(', ');
}

/** One line of the plan: "upgrade lodash 4.17.15 → 4.17.21 fixes 3 vulnerabilities, 1 high". */
export function upgradeLine(p: PackageUpgrade): string {
  const what = `${p.name} ${p.installed ?? '(version unknown)'}`;
  const where = p.image ? ` in ${p.image}` : '';
  if (p.target === null) return `no fix available for ${what}${where}: ${severityCount(p.unfixed)} open`;
  const rest = p.unfixed.length > 0 ? `; ${severityCount(p.unfixed)} stay open (no fix known)` : '';
  return `upgrade ${what} → ${p.target}${where} fixes ${severityCount(p.fixes)}${rest}`;
}

/** The plan as Markdown for a merge request description. */
export function planMarkdown(project: string, plans: readonly PackageUpgrade[]): string {
  const upgrades = plans.filter((p) => p.target !== null);
  const stuck = plans.filter((p) => p.target === null);
  const fixed = upgrades.reduce((n, p) => n + p.fixes.length, 0);
  const lines = [`## Security upgrades for ${project}`, ''];
  if (plans.length === 0) return [...lines, 'No open vulnerability in a package.', ''].join('\n');
  lines.push(`${upgrades.length} ${upgrades.length === 1 ? 'upgrade fixes' : 'upgrades fix'} ${fixed} ${fixed === 1 ? 'vulnerability' : 'vulnerabilities'}.`, '');
  if (upgrades.length > 0) {
    lines.push('| Package | Ecosystem | From | To | Fixes |', '| --- | --- | --- | --- | --- |');
    for (const p of upgrades) {
      const ids = p.fixes.map((f) => f.identifier ?? `#${f.id}`).join(', ');
      lines.push(`| \`${p.name}\`${p.image ? ` (${p.image})` : ''} | ${p.ecosystem} | ${p.installed ?? '?'} | **${p.target}** | ${severityCount(p.fixes)}: ${ids} |`);
    }
    lines.push('');
  }
  const open = [...upgrades.filter((p) => p.unfixed.length > 0), ...stuck];
  if (open.length > 0) {
    lines.push('### No fix available', '');
    for (const p of open) lines.push(`- \`${p.name}\` ${p.installed ?? ''}${p.image ? ` in ${p.image}` : ''}: ${p.unfixed.map((f) => `${f.identifier ?? `#${f.id}`} (${f.severity})`).join(', ')}`);
    lines.push('');
  }
  return lines.join('\n');
}
