import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fingerprintsOf, positionOf } from '../../src/vulns/fingerprint.js';
import { assignFindings, vetoes, type ExistingFingerprint, type Incoming } from '../../src/vulns/match.js';
import type { Finding } from '../../src/vulns/model.js';
import { container, dast, dependency, identifier, sast, signature, type FindingOverrides } from './finding-builder.js';

const incoming = (finding: Finding): Incoming => ({ fingerprints: fingerprintsOf(finding), position: positionOf(finding) });

/** The fingerprints vulnerability `id` has stored, from the finding it was created from; `only` keeps some layers. */
function stored(id: number, finding: Finding, only?: string[]): ExistingFingerprint[] {
  return fingerprintsOf(finding)
    .filter((fp) => only === undefined || only.includes(fp.algorithm))
    .map((fp) => ({ vulnerabilityId: id, algorithm: fp.algorithm, version: fp.version, hash: fp.hash }));
}

/** A SAST finding of the default rule in the default file at `line`, without a snippet: only location + coarse. */
const at = (line: number, extra: FindingOverrides = {}) => sast({ snippet: null, ...extra, location: { startLine: line, endLine: line, ...extra.location } });

/** The last known start line of each vulnerability, by id. */
const lastLines = (byId: Record<number, number | null>) => new Map(Object.entries(byId).map(([id, line]) => [Number(id), line]));

const assign = (findings: Finding[], existing: ExistingFingerprint[], lines?: Map<number, number | null>) => assignFindings(findings.map(incoming), existing, lines);

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('assignFindings: basics', () => {
  test('no incoming findings: nothing to assign', () => {
    assert.deepEqual(assignFindings([], []), []);
    assert.deepEqual(assignFindings([], stored(1, sast())), []);
  });

  test('no existing vulnerabilities: every finding is new', () => {
    assert.deepEqual(assign([sast(), dependency(), dast()], []), [null, null, null]);
  });

  test('an identical re-ingest maps every finding to its vulnerability, in any order', () => {
    const findings = [
      sast({ tracking: [signature('gitlab:scope_offset', 's1', 3)] }),
      sast({ snippet: null, location: { file: 'app/views.py' } }),
      dependency(),
      container(),
      dast(),
      sast({ identifiers: [identifier('semgrep_id', 'python.xss')], location: { startLine: null, endLine: null } }),
    ];
    const existing = findings.flatMap((f, i) => stored(11 + i, f));
    assert.deepEqual(assign(findings, existing), [11, 12, 13, 14, 15, 16]);
    const reversed = [...findings].reverse();
    assert.deepEqual(assign(reversed, existing), [16, 15, 14, 13, 12, 11]);
  });

  test('a finding that shares no hash with any vulnerability is new', () => {
    assert.deepEqual(assign([sast({ location: { file: 'other.py' } })], stored(1, sast())), [null]);
  });
});

describe('assignFindings: 1:1', () => {
  // Two vulnerabilities of the same rule in the same file, both moved: only the coarse key still matches.
  const existing = [...stored(1, at(5)), ...stored(2, at(30))];

  test('two findings sharing a coarse key take two vulnerabilities, in file/line order', () => {
    assert.deepEqual(assign([at(10), at(40)], existing), [1, 2]);
  });

  test('the outcome for each finding does not depend on input order', () => {
    assert.deepEqual(assign([at(40), at(10)], existing), [2, 1]);
    assert.deepEqual(assign([at(40), at(10)], [...existing].reverse()), [2, 1]);
  });

  test('three findings for two vulnerabilities: the last in file/line order is new, in every input order', () => {
    const findings = [at(10), at(20), at(40)];
    const expected = new Map<Finding, number | null>([
      [findings[0]!, 1],
      [findings[1]!, 2],
      [findings[2]!, null],
    ]);
    for (const order of permutations(findings)) {
      assert.deepEqual(assign(order, existing), order.map((f) => expected.get(f)), order.map((f) => f.location.startLine).join(','));
    }
  });

  test('a vulnerability takes at most one finding per scan', () => {
    assert.deepEqual(assign([at(10), at(40)], stored(7, at(5))), [7, null]);
  });
});

describe('assignFindings: nearest line', () => {
  const three = [...stored(1, at(1)), ...stored(2, at(2)), ...stored(3, at(3))];

  test('among several coarse candidates the one whose last known line is nearest wins', () => {
    const lines = lastLines({ 1: 100, 2: 12, 3: 50 });
    assert.deepEqual(assign([at(10)], three, lines), [2]);
  });

  test('the nearest line beats the lower id, for each of two findings', () => {
    const lines = lastLines({ 1: 40, 2: 10 });
    const existing = [...stored(1, at(1)), ...stored(2, at(2))];
    assert.deepEqual(assign([at(11), at(39)], existing, lines), [2, 1]);
    assert.deepEqual(assign([at(39), at(11)], existing, lines), [1, 2]);
  });

  test('equally near: the lowest id wins, whatever the order of the stored rows', () => {
    const lines = lastLines({ 3: 5, 2: 15, 1: 100 });
    assert.deepEqual(assign([at(10)], three, lines), [2]);
    assert.deepEqual(assign([at(10)], [...three].reverse(), lines), [2]);
  });

  test('a vulnerability with a known line beats one without; without any lines the lowest id wins', () => {
    assert.deepEqual(assign([at(10)], three, lastLines({ 3: 900 })), [3]);
    assert.deepEqual(assign([at(10)], three, lastLines({ 1: null, 3: 900 })), [3]);
    assert.deepEqual(assign([at(10)], [...three].reverse()), [1]);
  });

  test('a nearer vulnerability already taken is skipped', () => {
    const lines = lastLines({ 1: 10, 2: 30, 3: 500 });
    // The finding at line 10 matches vulnerability 1 exactly by location first; the one at 12 gets the next nearest.
    const existing = [...stored(1, at(10)), ...stored(2, at(30)), ...stored(3, at(500))];
    assert.deepEqual(assign([at(12), at(10)], existing, lines), [2, 1]);
  });
});

describe('assignFindings: strongest algorithm first', () => {
  test('a tracking match beats a coarse match with a lower id', () => {
    const finding = sast({ snippet: null, tracking: [signature('gitlab:scope_offset', 'stable', 3)] });
    // Vulnerability 2 is the same finding before its file was renamed: only the tracking id still matches.
    const renamed = sast({ snippet: null, tracking: finding.tracking, location: { file: 'old/db.py' } });
    const sameFileElsewhere = sast({ snippet: null, location: { startLine: 90, endLine: 90 } });
    const existing = [...stored(1, sameFileElsewhere), ...stored(2, renamed)];
    assert.deepEqual(assign([finding], existing, lastLines({ 1: 10 })), [2]);
  });

  test('a content match beats a nearer coarse match', () => {
    const moved = sast({ location: { startLine: 60, endLine: 62 } });
    const existing = [...stored(1, sast({ snippet: 'other()', location: { startLine: 59, endLine: 59 } })), ...stored(2, sast())];
    assert.deepEqual(assign([moved], existing, lastLines({ 1: 59, 2: 10 })), [2]);
  });

  test("a strong match is never taken by another finding's weaker one, even one earlier in the file", () => {
    const earlier = sast({ snippet: 'other()', location: { startLine: 1, endLine: 1 } });
    const later = sast({ location: { startLine: 80, endLine: 82 } });
    const existing = [...stored(1, sast()), ...stored(2, sast({ snippet: 'third()', location: { startLine: 40, endLine: 40 } }))];
    assert.deepEqual(assign([earlier, later], existing), [2, 1]);
  });

  test('tracking signatures are tried by priority', () => {
    const a = sast({ snippet: null, tracking: [signature('gitlab:location', 'loc', 1), signature('gitlab:scope_offset', 'scope', 3)] });
    const existing = [
      ...stored(1, sast({ snippet: null, tracking: [signature('gitlab:location', 'loc', 1)], location: { file: 'x.py' } })),
      ...stored(2, sast({ snippet: null, tracking: [signature('gitlab:scope_offset', 'scope', 3)], location: { file: 'y.py' } })),
    ];
    assert.deepEqual(assign([a], existing), [2]);
  });
});

describe('assignFindings: stable ids veto weak matches', () => {
  const withId = (algorithm: string, value: string, extra: FindingOverrides = {}) => at(10, { tracking: [signature(algorithm, value, 3)], ...extra });

  for (const algorithm of ['gitlab:scope_offset', 'gitlab:scope_offset_compressed', 'gitlab:rule_value', 'sarif-fingerprint:matchHash/v1']) {
    test(`a different ${algorithm} on both sides vetoes a coarse match`, () => {
      assert.deepEqual(assign([withId(algorithm, 'new', { location: { startLine: 50, endLine: 50 } })], stored(1, withId(algorithm, 'old'))), [null]);
    });
  }

  test('the veto holds even when the line has not moved', () => {
    assert.deepEqual(assign([withId('gitlab:scope_offset', 'new')], stored(1, withId('gitlab:scope_offset', 'old'))), [null]);
  });

  test('the vetoed vulnerability is passed over for another candidate', () => {
    const existing = [...stored(1, withId('gitlab:scope_offset', 'old')), ...stored(2, at(70))];
    assert.deepEqual(assign([withId('gitlab:scope_offset', 'new')], existing, lastLines({ 1: 10, 2: 70 })), [2]);
  });

  test('any of the stable ids a vulnerability has carried lets it match', () => {
    const existing = [...stored(1, withId('gitlab:scope_offset', 'old')), ...stored(1, withId('gitlab:scope_offset', 'older'), ['tracking:gitlab:scope_offset'])];
    assert.deepEqual(assign([withId('gitlab:scope_offset', 'older', { location: { file: 'moved.py' } })], existing), [1]);
  });

  for (const algorithm of ['gitlab:location', 'sarif-partial:primaryLocationLineHash', 'gitlab:scope_offset_v2']) {
    test(`a different ${algorithm} does not veto`, () => {
      assert.deepEqual(assign([withId(algorithm, 'new')], stored(1, withId(algorithm, 'old'))), [1]);
    });
  }

  test('a finding without tracking matches a vulnerability that has it (identity upgrade)', () => {
    assert.deepEqual(assign([at(50)], stored(1, withId('gitlab:scope_offset', 'old'))), [1]);
  });

  test('a finding with tracking matches a vulnerability stored before it had any', () => {
    assert.deepEqual(assign([withId('gitlab:scope_offset', 'new')], stored(1, at(40))), [1]);
  });

  test('a stable id of another algorithm does not veto', () => {
    assert.deepEqual(assign([withId('gitlab:rule_value', 'new')], stored(1, withId('gitlab:scope_offset', 'old'))), [1]);
  });

  test('vetoes() names the stable algorithms', () => {
    const names = [
      'tracking:sarif-fingerprint:matchHash/v1',
      'tracking:sarif-fingerprint:x',
      'tracking:gitlab:scope_offset',
      'tracking:gitlab:scope_offset_compressed',
      'tracking:gitlab:rule_value',
      'tracking:gitlab:location',
      'tracking:gitlab:scope_offset_v2',
      'tracking:sarif-partial:primaryLocationLineHash',
      'sarif-fingerprint:x',
      'content',
      'coarse',
    ];
    assert.deepEqual(
      names.filter((n) => vetoes(n)),
      names.slice(0, 5),
    );
  });
});

describe('assignFindings: versions', () => {
  const reversion = (rows: ExistingFingerprint[], version: number) => rows.map((r) => ({ ...r, version }));

  test('a fingerprint of another version never matches, even with the same hash', () => {
    assert.deepEqual(assign([sast()], reversion(stored(1, sast()), 0)), [null]);
    assert.deepEqual(assign([sast()], reversion(stored(1, sast()), 2)), [null]);
  });

  test('only the vulnerability with the same version matches', () => {
    assert.deepEqual(assign([sast()], [...reversion(stored(1, sast()), 0), ...stored(2, sast())]), [2]);
  });

  test('a stable id of another version does not veto', () => {
    const old = reversion(stored(1, at(10, { tracking: [signature('gitlab:scope_offset', 'old', 3)] }), ['tracking:gitlab:scope_offset']), 0);
    const existing = [...old, ...stored(1, at(10))];
    assert.deepEqual(assign([at(10, { tracking: [signature('gitlab:scope_offset', 'new', 3)] })], existing), [1]);
  });
});
