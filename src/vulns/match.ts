import type { Fingerprint } from './fingerprint.js';

/**
 * Assigns incoming findings to existing vulnerabilities. Pure: the caller loads the existing fingerprints that
 * share a hash with the incoming ones (one set-based query) and writes the outcome.
 *
 * - Algorithms are tried strongest first, and a fingerprint is only ever compared with one of the same
 *   algorithm and version.
 * - 1:1: a vulnerability takes at most one finding per scan, and findings sharing a key are taken in file/line
 *   order, so two identical-looking findings map to two vulnerabilities, every time.
 * - A scanner id designed to survive edits (SARIF `fingerprints`, GitLab scope_offset / rule_value signatures) that
 *   both sides carry and that differs means "different finding": such a vulnerability is not matched through a
 *   weaker layer. Partial fingerprints, line hashes and line-based layers never veto — lines and code move.
 * - When several vulnerabilities share a key (same rule in the same file), the one whose last known line is nearest
 *   wins, then the oldest.
 */
export interface ExistingFingerprint {
  vulnerabilityId: number;
  algorithm: string;
  version: number;
  hash: string;
}

export interface Incoming {
  fingerprints: Fingerprint[];
  position: [string, number, number];
}

const keyOf = (algorithm: string, version: number) => `${algorithm}@${version}`;
const VETOING = /^tracking:(sarif-fingerprint:|gitlab:(scope_offset|scope_offset_compressed|rule_value)$)/;
export const vetoes = (algorithm: string) => VETOING.test(algorithm);

/** File, lines, then the strongest fingerprint: the order never depends on how the scanner sorted its output. */
function comparePosition(a: Incoming, b: Incoming): number {
  if (a.position[0] !== b.position[0]) return a.position[0] < b.position[0] ? -1 : 1;
  const byLine = a.position[1] - b.position[1] || a.position[2] - b.position[2];
  if (byLine !== 0) return byLine;
  const [x, y] = [a.fingerprints[0]?.hash ?? '', b.fingerprints[0]?.hash ?? ''];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Returns, for each incoming finding (same order), the id of the vulnerability it is, or null for a new one. */
export function assignFindings(incoming: Incoming[], existing: ExistingFingerprint[], lines: ReadonlyMap<number, number | null> = new Map()): (number | null)[] {
  const byHash = new Map<string, number[]>();
  const stableOf = new Map<number, Map<string, Set<string>>>();
  for (const e of existing) {
    const k = `${keyOf(e.algorithm, e.version)}|${e.hash}`;
    const list = byHash.get(k) ?? [];
    list.push(e.vulnerabilityId);
    byHash.set(k, list);
    if (vetoes(e.algorithm)) {
      const perVuln = stableOf.get(e.vulnerabilityId) ?? new Map<string, Set<string>>();
      const hashes = perVuln.get(keyOf(e.algorithm, e.version)) ?? new Set<string>();
      hashes.add(e.hash);
      perVuln.set(keyOf(e.algorithm, e.version), hashes);
      stableOf.set(e.vulnerabilityId, perVuln);
    }
  }
  for (const list of byHash.values()) list.sort((a, b) => a - b);

  const strengths = new Map<string, number>();
  for (const f of incoming) for (const fp of f.fingerprints) strengths.set(keyOf(fp.algorithm, fp.version), fp.strength);
  const algorithms = [...strengths.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);

  const order = incoming.map((_, i) => i).sort((a, b) => comparePosition(incoming[a]!, incoming[b]!) || a - b);
  const result: (number | null)[] = incoming.map(() => null);
  const taken = new Set<number>();

  const vetoed = (finding: Incoming, vulnerabilityId: number): boolean => {
    const stable = stableOf.get(vulnerabilityId);
    if (!stable) return false;
    return finding.fingerprints.some((fp) => {
      if (!vetoes(fp.algorithm)) return false;
      const theirs = stable.get(keyOf(fp.algorithm, fp.version));
      return theirs !== undefined && !theirs.has(fp.hash);
    });
  };

  for (const algorithm of algorithms) {
    for (const i of order) {
      if (result[i] !== null) continue;
      const finding = incoming[i]!;
      const fp = finding.fingerprints.find((f) => keyOf(f.algorithm, f.version) === algorithm);
      if (!fp) continue;
      const candidates = (byHash.get(`${algorithm}|${fp.hash}`) ?? []).filter((id) => !taken.has(id) && !vetoed(finding, id));
      const distance = (id: number) => Math.abs((lines.get(id) ?? Number.MAX_SAFE_INTEGER / 2) - finding.position[1]);
      const winner = candidates.length < 2 ? candidates[0] : candidates.reduce((best, id) => (distance(id) < distance(best) ? id : best));
      if (winner !== undefined) {
        result[i] = winner;
        taken.add(winner);
      }
    }
  }
  return result;
}
