/**
 * Successive scans of one synthetic codebase. A finding is a key (what it is: rule, file, code, package) plus a
 * shift (where it sits now: lines moved, a package upgraded but still vulnerable), so the share of changes from one
 * run to the next is exact: `new` findings get keys never used before, `fixed` ones are dropped, `moved` ones keep
 * their key and change their shift. Which findings change is drawn from a seeded generator: the same arguments
 * always give the same runs.
 */
export interface SyntheticFinding {
  key: number;
  shift: number;
}

export interface Run {
  findings: SyntheticFinding[];
  /** The first key no run has used yet. */
  nextKey: number;
}

/** Fractions of the previous run's size, e.g. { new: 0.1, fixed: 0.05, moved: 0.05 }. */
export interface ChangeShare {
  new: number;
  fixed: number;
  moved: number;
}

/** What `nextRun` changed: the counts an ingest of the two runs must report. */
export interface RunChanges {
  new: number;
  fixed: number;
  moved: number;
  /** Findings of the previous run still reported (moved included). */
  existing: number;
}

export function firstRun(size: number): Run {
  return { findings: Array.from({ length: size }, (_, key) => ({ key, shift: 0 })), nextKey: size };
}

export function nextRun(previous: Run, share: ChangeShare, seed = 1): { run: Run; changes: RunChanges } {
  const size = previous.findings.length;
  const count = (fraction: number) => Math.round(size * fraction);
  const fixed = count(share.fixed);
  const moved = count(share.moved);
  const added = count(share.new);
  if (fixed + moved > size) throw new Error(`cannot fix ${fixed} and move ${moved} of ${size} findings`);
  // A shuffled order of the previous findings: the first `fixed` go, the next `moved` move.
  const order = shuffled(size, seed);
  const fate = new Uint8Array(size);
  for (let i = 0; i < fixed; i++) fate[order[i]!] = FIXED;
  for (let i = fixed; i < fixed + moved; i++) fate[order[i]!] = MOVED;
  const findings: SyntheticFinding[] = [];
  previous.findings.forEach((f, i) => {
    if (fate[i] === FIXED) return;
    findings.push(fate[i] === MOVED ? { key: f.key, shift: f.shift + 1 } : f);
  });
  for (let i = 0; i < added; i++) findings.push({ key: previous.nextKey + i, shift: 0 });
  return { run: { findings, nextKey: previous.nextKey + added }, changes: { new: added, fixed, moved, existing: size - fixed } };
}

const FIXED = 1;
const MOVED = 2;

/** 0…n-1 in a seeded random order (Fisher–Yates over mulberry32). */
function shuffled(n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
