/**
 * SSVC: the CISA Coordinator decision tree v2.0.3 (CERT/CC SSVC `data/csv/cisa/cisa_coordinator_2_0_3.csv`).
 * Pure. Each decision point arrives with the evidence for its value, and the outcome carries the path through
 * the tree, so a reader can see why a vulnerability landed where it did.
 */

export type Exploitation = 'none' | 'poc' | 'active';
export type Automatable = 'no' | 'yes';
export type TechnicalImpact = 'partial' | 'total';
export type MissionWellBeing = 'low' | 'medium' | 'high';
export type MissionPrevalence = 'minimal' | 'support' | 'essential';
export type PublicWellBeing = 'minimal' | 'material' | 'irreversible';
export type SsvcDecision = 'track' | 'track*' | 'attend' | 'act';

/** In rising urgency. */
export const SSVC_DECISIONS: readonly SsvcDecision[] = ['track', 'track*', 'attend', 'act'];

/** One decision point with the value taken and a human sentence saying why (the evidence). */
export interface SsvcStep {
  point: 'exploitation' | 'automatable' | 'technical_impact' | 'mission_well_being';
  value: string;
  because: string;
}

export interface SsvcInputs {
  exploitation: SsvcStep;
  automatable: SsvcStep;
  technicalImpact: SsvcStep;
  missionWellBeing: SsvcStep;
}

export interface SsvcOutcome {
  decision: SsvcDecision;
  label: 'Track' | 'Track*' | 'Attend' | 'Act';
  /** CISA's one-line meaning of the outcome. */
  meaning: string;
  /** In tree order: exploitation, automatable, technical impact, mission & well-being. */
  path: SsvcStep[];
  version: 'CISA Coordinator 2.0.3';
}

export const EXPLOITATION: readonly Exploitation[] = ['none', 'poc', 'active'];
export const AUTOMATABLE: readonly Automatable[] = ['no', 'yes'];
export const TECHNICAL_IMPACT: readonly TechnicalImpact[] = ['partial', 'total'];
/** Also the column order of a tree leaf below. */
export const MISSION_WELL_BEING: readonly MissionWellBeing[] = ['low', 'medium', 'high'];

type ByMissionWellBeing = readonly [low: SsvcDecision, medium: SsvcDecision, high: SsvcDecision];

/** The published 36-row table, laid out as in standards.md §4 so the two can be compared by eye. */
const TREE: Readonly<Record<Exploitation, Readonly<Record<Automatable, Readonly<Record<TechnicalImpact, ByMissionWellBeing>>>>>> = {
  none: {
    no: { partial: ['track', 'track', 'track'], total: ['track', 'track', 'track*'] },
    yes: { partial: ['track', 'track', 'attend'], total: ['track', 'track', 'attend'] },
  },
  poc: {
    no: { partial: ['track', 'track', 'track*'], total: ['track', 'track*', 'attend'] },
    yes: { partial: ['track', 'track', 'attend'], total: ['track', 'track*', 'attend'] },
  },
  active: {
    no: { partial: ['track', 'track', 'attend'], total: ['track', 'attend', 'act'] },
    yes: { partial: ['attend', 'attend', 'act'], total: ['attend', 'act', 'act'] },
  },
};

const OUTCOMES: Readonly<Record<SsvcDecision, Pick<SsvcOutcome, 'label' | 'meaning'>>> = {
  track: { label: 'Track', meaning: 'remediate within standard update timelines' },
  'track*': { label: 'Track*', meaning: 'standard timelines, but monitor for changes that would raise the decision' },
  attend: { label: 'Attend', meaning: 'remediate sooner than standard timelines, with supervisory attention' },
  act: { label: 'Act', meaning: 'remediate as soon as possible, with leadership involvement' },
};

/** The bare table lookup, for applying the tree set-based (rescoring writes it out as one SQL CASE). */
export function ssvcCell(exploitation: Exploitation, automatable: Automatable, technicalImpact: TechnicalImpact, missionWellBeing: MissionWellBeing): SsvcDecision {
  return TREE[exploitation][automatable][technicalImpact][MISSION_WELL_BEING.indexOf(missionWellBeing)]!;
}

/** Steps carry free strings (they may come from stored or imported data), so check them before the lookup. */
function valueOf<V extends string>(step: SsvcStep, point: SsvcStep['point'], allowed: readonly V[]): V {
  if (step.point !== point) throw new RangeError(`SSVC: expected a ${point} step, got ${step.point}`);
  const value = allowed.find((candidate) => candidate === step.value);
  if (value === undefined) {
    throw new RangeError(`SSVC: ${point} must be one of ${allowed.join(', ')}, got ${JSON.stringify(step.value)}`);
  }
  return value;
}

/** Walks the tree; throws a RangeError when a step is misplaced or has a value the tree does not know. */
export function decideSsvc(inputs: SsvcInputs): SsvcOutcome {
  const exploitation = valueOf(inputs.exploitation, 'exploitation', EXPLOITATION);
  const automatable = valueOf(inputs.automatable, 'automatable', AUTOMATABLE);
  const technicalImpact = valueOf(inputs.technicalImpact, 'technical_impact', TECHNICAL_IMPACT);
  const missionWellBeing = valueOf(inputs.missionWellBeing, 'mission_well_being', MISSION_WELL_BEING);
  const decision = ssvcCell(exploitation, automatable, technicalImpact, missionWellBeing);
  return {
    decision,
    ...OUTCOMES[decision],
    // Copies, so a caller editing its inputs later cannot rewrite an outcome already handed out.
    path: [inputs.exploitation, inputs.automatable, inputs.technicalImpact, inputs.missionWellBeing].map((step) => ({ ...step })),
    version: 'CISA Coordinator 2.0.3',
  };
}
