import fs from 'node:fs';

/**
 * The CWE knowledge base: MITRE's weakness catalogue reduced at build time (scripts/build-cwe-data.ts) to what a
 * developer needs next to a finding — what the weakness is, what it leads to, how to mitigate it — read offline.
 * CWE content © The MITRE Corporation, used under the CWE Terms of Use (NOTICE.md).
 */
export interface CweEntry {
  name: string;
  abstraction: string | null;
  description: string;
  consequences: { scope: string[]; impact: string[] }[];
  mitigations: { phases: string[]; text: string; effectiveness: string | null }[];
  /** ChildOf in the Research view (CWE-1000). */
  parents: string[];
  /** PeerOf / CanPrecede: weaknesses worth reading about next. */
  peers: string[];
}

export interface CweKnowledge {
  /** The CWE release, e.g. "4.15". */
  version: string;
  weaknesses: Record<string, CweEntry>;
}

export const CWE_ATTRIBUTION = 'CWE content © The MITRE Corporation, used under the CWE Terms of Use (https://cwe.mitre.org/about/termsofuse.html).';

const DATA = new URL('../../data/cwe.json', import.meta.url);
let loaded: CweKnowledge | null = null;

/** The knowledge base, read once (a few MB, so only when first needed). */
export function cweKnowledge(): CweKnowledge {
  loaded ??= JSON.parse(fs.readFileSync(DATA, 'utf8')) as CweKnowledge;
  return loaded;
}

/** "CWE-79", "cwe-79" or "79" → "79"; null for anything else. */
export function cweNumber(text: string): string | null {
  return /^(?:cwe-)?(\d{1,5})$/i.exec(text.trim())?.[1] ?? null;
}

export function lookupCwe(knowledge: CweKnowledge, id: string): CweEntry | null {
  const number = cweNumber(id);
  return number === null ? null : (knowledge.weaknesses[number] ?? null);
}

/** The weakness and its ancestors, nearest first (breadth-first up the Research view), each once. */
export function ancestry(knowledge: CweKnowledge, id: string, depth = 4): string[] {
  const start = cweNumber(id);
  if (start === null) return [];
  const seen = [start];
  let level = [start];
  for (let d = 0; d < depth && level.length > 0; d++) {
    level = level.flatMap((n) => knowledge.weaknesses[n]?.parents ?? []).filter((n) => !seen.includes(n));
    seen.push(...level);
  }
  return seen;
}
