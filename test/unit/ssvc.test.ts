import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  SSVC_DECISIONS,
  automatableFromCvss,
  decideSsvc,
  missionWellBeingOf,
  technicalImpactFromCvss,
  type Automatable,
  type Exploitation,
  type MissionPrevalence,
  type MissionWellBeing,
  type PublicWellBeing,
  type SsvcDecision,
  type SsvcInputs,
  type SsvcStep,
  type TechnicalImpact,
} from '../../src/risk/ssvc/index.js';

const step = (point: SsvcStep['point'], value: string): SsvcStep => ({ point, value, because: `given ${point} ${value}` });

const inputs = (e: string, a: string, ti: string, mwi: string): SsvcInputs => ({
  exploitation: step('exploitation', e),
  automatable: step('automatable', a),
  technicalImpact: step('technical_impact', ti),
  missionWellBeing: step('mission_well_being', mwi),
});

type Leaf = [low: SsvcDecision, medium: SsvcDecision, high: SsvcDecision];

/** standards.md §4 (= CERTCC/SSVC cisa_coordinator_2_0_3.csv), copied row by row: E, A, TI=partial, TI=total. */
const TABLE: [Exploitation, Automatable, Leaf, Leaf][] = [
  ['none', 'no', ['track', 'track', 'track'], ['track', 'track', 'track*']],
  ['none', 'yes', ['track', 'track', 'attend'], ['track', 'track', 'attend']],
  ['poc', 'no', ['track', 'track', 'track*'], ['track', 'track*', 'attend']],
  ['poc', 'yes', ['track', 'track', 'attend'], ['track', 'track*', 'attend']],
  ['active', 'no', ['track', 'track', 'attend'], ['track', 'attend', 'act']],
  ['active', 'yes', ['attend', 'attend', 'act'], ['attend', 'act', 'act']],
];
const MWI: MissionWellBeing[] = ['low', 'medium', 'high'];
type Cell = [Exploitation, Automatable, TechnicalImpact, MissionWellBeing, SsvcDecision];
const CELLS: Cell[] = TABLE.flatMap(([e, a, partial, total]) =>
  MWI.flatMap((mwi, i): Cell[] => [
    [e, a, 'partial', mwi, partial[i] as SsvcDecision],
    [e, a, 'total', mwi, total[i] as SsvcDecision],
  ]),
);

describe('decideSsvc: CISA Coordinator v2.0.3', () => {
  test('the table has 36 cells: 18 Track, 4 Track*, 10 Attend, 4 Act (counted by hand)', () => {
    assert.equal(CELLS.length, 36);
    assert.equal(new Set(CELLS.map((c) => c.slice(0, 4).join('/'))).size, 36);
    const counts = Object.fromEntries(SSVC_DECISIONS.map((d) => [d, CELLS.filter((c) => c[4] === d).length]));
    assert.deepEqual(counts, { track: 18, 'track*': 4, attend: 10, act: 4 });
  });

  for (const [e, a, ti, mwi, expected] of CELLS) {
    test(`E=${e} A=${a} TI=${ti} MWI=${mwi} → ${expected}`, () => {
      assert.equal(decideSsvc(inputs(e, a, ti, mwi)).decision, expected);
    });
  }

  test('decisions rise in urgency, each with its label and meaning', () => {
    assert.deepEqual(SSVC_DECISIONS, ['track', 'track*', 'attend', 'act']);
    const seen = (e: string, a: string, ti: string, mwi: string) => {
      const { decision, label, meaning, version } = decideSsvc(inputs(e, a, ti, mwi));
      return { decision, label, meaning, version };
    };
    const version = 'CISA Coordinator 2.0.3';
    assert.deepEqual(seen('none', 'no', 'partial', 'low'), {
      decision: 'track',
      label: 'Track',
      meaning: 'remediate within standard update timelines',
      version,
    });
    assert.deepEqual(seen('none', 'no', 'total', 'high'), {
      decision: 'track*',
      label: 'Track*',
      meaning: 'standard timelines, but monitor for changes that would raise the decision',
      version,
    });
    assert.deepEqual(seen('active', 'yes', 'partial', 'low'), {
      decision: 'attend',
      label: 'Attend',
      meaning: 'remediate sooner than standard timelines, with supervisory attention',
      version,
    });
    assert.deepEqual(seen('active', 'yes', 'total', 'high'), {
      decision: 'act',
      label: 'Act',
      meaning: 'remediate as soon as possible, with leadership involvement',
      version,
    });
  });

  test('the path lists the four steps in tree order with their evidence, as copies', () => {
    const given: SsvcInputs = {
      // Deliberately not in tree order, to show the path imposes it.
      missionWellBeing: missionWellBeingOf('essential', 'minimal'),
      technicalImpact: technicalImpactFromCvss('3.1', { C: 'H', I: 'H' }) as SsvcStep,
      automatable: automatableFromCvss('3.1', { AV: 'N', AC: 'L', PR: 'N', UI: 'N' }) as SsvcStep,
      exploitation: { point: 'exploitation', value: 'active', because: 'listed in CISA KEV since 2024-01-02' },
    };
    const outcome = decideSsvc(given);
    assert.equal(outcome.decision, 'act');
    assert.deepEqual(outcome.path, [
      { point: 'exploitation', value: 'active', because: 'listed in CISA KEV since 2024-01-02' },
      {
        point: 'automatable',
        value: 'yes',
        because: 'CVSS 3.1 AV:N/AC:L/PR:N/UI:N: reachable over the network with low complexity, without privileges or user interaction',
      },
      {
        point: 'technical_impact',
        value: 'total',
        because: 'CVSS 3.1 C:H/I:H: high confidentiality and integrity impact, taken as total control of the vulnerable system',
      },
      {
        point: 'mission_well_being',
        value: 'high',
        because: 'Mission prevalence essential, public well-being impact minimal: the system is essential to the mission',
      },
    ]);
    given.exploitation.value = 'none';
    assert.equal(outcome.path[0]?.value, 'active');
  });

  test('rejects values the tree does not know and steps in the wrong slot', () => {
    assert.throws(() => decideSsvc(inputs('public poc', 'no', 'partial', 'low')), /exploitation must be one of none, poc, active, got "public poc"/);
    assert.throws(() => decideSsvc(inputs('none', 'maybe', 'partial', 'low')), RangeError);
    assert.throws(() => decideSsvc(inputs('none', 'no', 'partial', 'very high')), RangeError);
    const swapped = inputs('none', 'no', 'partial', 'low');
    swapped.technicalImpact = step('automatable', 'no');
    assert.throws(() => decideSsvc(swapped), /expected a technical_impact step, got automatable/);
  });
});

describe('missionWellBeingOf', () => {
  const cases: [MissionPrevalence, PublicWellBeing, MissionWellBeing][] = [
    ['minimal', 'minimal', 'low'],
    ['minimal', 'material', 'medium'],
    ['minimal', 'irreversible', 'high'],
    ['support', 'minimal', 'medium'],
    ['support', 'material', 'medium'],
    ['support', 'irreversible', 'high'],
    ['essential', 'minimal', 'high'],
    ['essential', 'material', 'high'],
    ['essential', 'irreversible', 'high'],
  ];
  for (const [prevalence, wellBeing, expected] of cases) {
    test(`${prevalence} × ${wellBeing} → ${expected}`, () => {
      const got = missionWellBeingOf(prevalence, wellBeing);
      assert.equal(got.point, 'mission_well_being');
      assert.equal(got.value, expected);
      assert.match(got.because, new RegExp(`^Mission prevalence ${prevalence}, public well-being impact ${wellBeing}: `));
    });
  }

  test('says why for each rule, including the gap in the definitions', () => {
    assert.match(missionWellBeingOf('minimal', 'material').because, /do not cover minimal mission prevalence with material .*treated as medium, as CISA's guide does/);
    assert.match(missionWellBeingOf('support', 'material').because, /supports the mission/);
    assert.match(missionWellBeingOf('minimal', 'irreversible').because, /irreversible$/);
    assert.match(missionWellBeingOf('essential', 'irreversible').because, /essential to the mission and the public well-being impact is irreversible$/);
  });
});

const v3 = (vector: string): Record<string, string> =>
  Object.fromEntries(vector.split('/').map((pair) => pair.split(':') as [string, string]));

describe('automatableFromCvss', () => {
  test('v3.1 and v3.0: yes only for AV:N/AC:L/PR:N/UI:N', () => {
    assert.deepEqual(automatableFromCvss('3.1', v3('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')), {
      point: 'automatable',
      value: 'yes',
      because: 'CVSS 3.1 AV:N/AC:L/PR:N/UI:N: reachable over the network with low complexity, without privileges or user interaction',
    });
    assert.deepEqual(automatableFromCvss('3.0', v3('AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H')), {
      point: 'automatable',
      value: 'no',
      because: 'CVSS 3.0 AV:N/AC:L/PR:L/UI:N: not automatable because of PR:L (automatable needs AV:N/AC:L/PR:N/UI:N)',
    });
    assert.equal(automatableFromCvss('3.1', v3('AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))?.value, 'no');
    assert.equal(automatableFromCvss('3.1', v3('AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'))?.value, 'no');
    assert.match(automatableFromCvss('3.1', v3('AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H'))?.because ?? '', /because of AV:L, UI:R /);
  });

  test('v2: yes only for AV:N/AC:L/Au:N', () => {
    assert.deepEqual(automatableFromCvss('2.0', v3('AV:N/AC:L/Au:N/C:P/I:P/A:P')), {
      point: 'automatable',
      value: 'yes',
      because: 'CVSS 2.0 AV:N/AC:L/Au:N: reachable over the network with low complexity and no authentication',
    });
    assert.equal(automatableFromCvss('2.0', v3('AV:N/AC:M/Au:N/C:P/I:P/A:P'))?.value, 'no');
    assert.equal(automatableFromCvss('2.0', v3('AV:N/AC:L/Au:S/C:P/I:P/A:P'))?.value, 'no');
  });

  test('v4: AV:N/AC:L/AT:N/PR:N/UI:N unless the supplemental AU says otherwise', () => {
    const base = 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    assert.deepEqual(automatableFromCvss('4.0', v3(base)), {
      point: 'automatable',
      value: 'yes',
      because:
        'CVSS 4.0 AV:N/AC:L/AT:N/PR:N/UI:N: reachable over the network with low complexity, no attack requirements, without privileges or user interaction',
    });
    assert.deepEqual(automatableFromCvss('4.0', v3(base.replace('AT:N', 'AT:P'))), {
      point: 'automatable',
      value: 'no',
      because: 'CVSS 4.0 AV:N/AC:L/AT:P/PR:N/UI:N: not automatable because of AT:P (automatable needs AV:N/AC:L/AT:N/PR:N/UI:N)',
    });
    assert.equal(automatableFromCvss('4.0', v3(base.replace('UI:N', 'UI:P')))?.value, 'no');
    assert.deepEqual(automatableFromCvss('4.0', v3(`${base}/AU:N`)), {
      point: 'automatable',
      value: 'no',
      because: "CVSS 4.0 AU:N: the vector's supplemental Automatable metric says no",
    });
    assert.deepEqual(automatableFromCvss('4.0', v3(`${base.replace('AV:N', 'AV:L')}/AU:Y`)), {
      point: 'automatable',
      value: 'yes',
      because: "CVSS 4.0 AU:Y: the vector's supplemental Automatable metric says yes",
    });
    assert.equal(automatableFromCvss('4.0', v3(`${base}/AU:X`))?.value, 'yes', 'AU:X is not defined: fall back to the heuristic');
    assert.equal(automatableFromCvss('3.1', { ...v3('AV:L/AC:L/PR:N/UI:N'), AU: 'Y' })?.value, 'no', 'AU means nothing before v4');
  });

  test('null when the vector cannot tell', () => {
    assert.equal(automatableFromCvss('3.1', v3('AV:N/AC:L/PR:N')), null);
    assert.equal(automatableFromCvss('4.0', v3('AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H')), null, 'no AT');
    assert.equal(automatableFromCvss('2.0', v3('AV:N/AC:L/C:C/I:C/A:C')), null, 'no Au');
    assert.equal(automatableFromCvss('5.0', v3('AV:N/AC:L/PR:N/UI:N')), null, 'unknown version');
    assert.equal(automatableFromCvss('3.1', {}), null);
    assert.equal(automatableFromCvss('4.0', { AU: 'Y' })?.value, 'yes', 'a stated AU needs nothing else');
  });
});

describe('technicalImpactFromCvss', () => {
  test('v3.x: total only for C:H and I:H', () => {
    assert.deepEqual(technicalImpactFromCvss('3.1', v3('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N')), {
      point: 'technical_impact',
      value: 'total',
      because: 'CVSS 3.1 C:H/I:H: high confidentiality and integrity impact, taken as total control of the vulnerable system',
    });
    assert.deepEqual(technicalImpactFromCvss('3.0', v3('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:H')), {
      point: 'technical_impact',
      value: 'partial',
      because: 'CVSS 3.0 C:H/I:L: partial because of I:L (total needs C:H/I:H)',
    });
    assert.equal(technicalImpactFromCvss('3.1', v3('AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'))?.value, 'partial');
  });

  test('v2: total only for C:C and I:C', () => {
    assert.deepEqual(technicalImpactFromCvss('2.0', v3('AV:N/AC:L/Au:N/C:C/I:C/A:C')), {
      point: 'technical_impact',
      value: 'total',
      because: 'CVSS 2.0 C:C/I:C: complete confidentiality and integrity impact, taken as total control of the vulnerable system',
    });
    assert.deepEqual(technicalImpactFromCvss('2.0', v3('AV:N/AC:L/Au:N/C:P/I:C/A:C')), {
      point: 'technical_impact',
      value: 'partial',
      because: 'CVSS 2.0 C:P/I:C: partial because of C:P (total needs C:C/I:C)',
    });
  });

  test('v4: total only for VC:H and VI:H; subsequent-system impact does not count', () => {
    assert.deepEqual(technicalImpactFromCvss('4.0', v3('AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N')), {
      point: 'technical_impact',
      value: 'total',
      because: 'CVSS 4.0 VC:H/VI:H: high confidentiality and integrity impact on the vulnerable system, taken as total control of it',
    });
    assert.equal(technicalImpactFromCvss('4.0', v3('AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:H/SC:H/SI:H/SA:H'))?.value, 'partial');
  });

  test('null when the vector cannot tell', () => {
    assert.equal(technicalImpactFromCvss('3.1', v3('AV:N/AC:L/PR:N/UI:N/S:U/C:H')), null);
    assert.equal(technicalImpactFromCvss('4.0', v3('AV:N/AC:L/AT:N/PR:N/UI:N/C:H/I:H')), null, 'v3 names in a v4 vector');
    assert.equal(technicalImpactFromCvss('2.0', {}), null);
    assert.equal(technicalImpactFromCvss('3.2', v3('C:H/I:H')), null, 'unknown version');
  });
});
