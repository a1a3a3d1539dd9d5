/**
 * The vector grammar of each CVSS version: which metrics exist, their group, their allowed values and the
 * specification's canonical order (standards.md §1.2–1.4). Values are listed in the order of FIRST's JSON-schema
 * patterns so error messages read like the specification.
 */
export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

/** v2 and v3.x call the exploit/fix/confidence group "temporal", v4 calls its only such metric (E) "threat". */
export type MetricGroup = 'base' | 'temporal' | 'threat' | 'environmental' | 'supplemental';

export interface MetricDefinition {
  readonly name: string;
  readonly group: MetricGroup;
  /** Every value a vector may carry, including the "not defined" value for optional metrics. */
  readonly values: readonly string[];
}

export interface CvssGrammar {
  readonly version: CvssVersion;
  /** `CVSS:3.1/`; empty for v2, whose vectors carry no prefix. */
  readonly prefix: string;
  /** `X` (v3.x, v4) or `ND` (v2): the same as leaving the metric out. */
  readonly notDefined: string;
  /** In canonical order. */
  readonly metrics: readonly MetricDefinition[];
  readonly byName: ReadonlyMap<string, MetricDefinition & { readonly index: number }>;
}

function grammar(version: CvssVersion, notDefined: string, groups: [MetricGroup, Record<string, string>][]): CvssGrammar {
  const metrics: MetricDefinition[] = groups.flatMap(([group, table]) =>
    Object.entries(table).map(([name, values]) => ({ name, group, values: values.split(' ') })),
  );
  return {
    version,
    prefix: version === '2.0' ? '' : `CVSS:${version}/`,
    notDefined,
    metrics,
    byName: new Map(metrics.map((metric, index) => [metric.name, { ...metric, index }])),
  };
}

const V2: [MetricGroup, Record<string, string>][] = [
  ['base', { AV: 'L A N', AC: 'H M L', Au: 'M S N', C: 'N P C', I: 'N P C', A: 'N P C' }],
  ['temporal', { E: 'U POC F H ND', RL: 'OF TF W U ND', RC: 'UC UR C ND' }],
  ['environmental', { CDP: 'N L LM MH H ND', TD: 'N L M H ND', CR: 'L M H ND', IR: 'L M H ND', AR: 'L M H ND' }],
];

const V3: [MetricGroup, Record<string, string>][] = [
  ['base', { AV: 'N A L P', AC: 'L H', PR: 'N L H', UI: 'N R', S: 'U C', C: 'N L H', I: 'N L H', A: 'N L H' }],
  ['temporal', { E: 'X U P F H', RL: 'X O T W U', RC: 'X U R C' }],
  [
    'environmental',
    {
      CR: 'X L M H',
      IR: 'X L M H',
      AR: 'X L M H',
      MAV: 'X N A L P',
      MAC: 'X L H',
      MPR: 'X N L H',
      MUI: 'X N R',
      MS: 'X U C',
      MC: 'X N L H',
      MI: 'X N L H',
      MA: 'X N L H',
    },
  ],
];

const V4: [MetricGroup, Record<string, string>][] = [
  [
    'base',
    { AV: 'N A L P', AC: 'L H', AT: 'N P', PR: 'N L H', UI: 'N P A', VC: 'H L N', VI: 'H L N', VA: 'H L N', SC: 'H L N', SI: 'H L N', SA: 'H L N' },
  ],
  ['threat', { E: 'X A P U' }],
  [
    'environmental',
    {
      CR: 'X H M L',
      IR: 'X H M L',
      AR: 'X H M L',
      MAV: 'X N A L P',
      MAC: 'X L H',
      MAT: 'X N P',
      MPR: 'X N L H',
      MUI: 'X N P A',
      MVC: 'X N L H',
      MVI: 'X N L H',
      MVA: 'X N L H',
      MSC: 'X N L H',
      MSI: 'X N L H S',
      MSA: 'X N L H S',
    },
  ],
  ['supplemental', { S: 'X N P', AU: 'X N Y', R: 'X A U I', V: 'X D C', RE: 'X L M H', U: 'X Clear Green Amber Red' }],
];

const GRAMMARS: Record<CvssVersion, CvssGrammar> = {
  '2.0': grammar('2.0', 'ND', V2),
  '3.0': grammar('3.0', 'X', V3),
  '3.1': grammar('3.1', 'X', V3),
  '4.0': grammar('4.0', 'X', V4),
};

export function grammarOf(version: CvssVersion): CvssGrammar {
  return GRAMMARS[version];
}

/** True when the metrics (which never hold the "not defined" value, see parse.ts) set any metric of the group. */
export function definesAny(grammar: CvssGrammar, metrics: Readonly<Record<string, string>>, group: MetricGroup): boolean {
  return grammar.metrics.some((m) => m.group === group && metrics[m.name] !== undefined);
}
