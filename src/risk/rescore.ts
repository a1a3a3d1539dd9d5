import { sql, type Kysely, type RawBuilder } from 'kysely';
import { isDistinct } from '../platform/db/compare.js';
import type { DialectName } from '../platform/db/connect.js';
import { chunks } from '../platform/db/batch.js';
import type { Database } from '../platform/db/schema.js';
import { SEVERITIES } from '../vulns/model.js';
import type { RiskPolicy } from './policy.js';
import { loadRiskPolicy } from './policy-store.js';
import { AUTOMATABLE, EXPLOITATION, MISSION_WELL_BEING, ssvcCell, TECHNICAL_IMPACT } from './ssvc/index.js';

/**
 * Set-based rescoring: the risk columns of many vulnerabilities are recomputed by a few UPDATE statements, never
 * row by row, so a feed refresh over a million vulnerabilities stays within seconds. The expressions are the SQL
 * form of score.ts (riskScore, exploitationOf) and ssvc/decision.ts; tests hold the two equal.
 */
export type RescoreScope = { kind: 'all' } | { kind: 'project'; projectId: number } | { kind: 'ids'; ids: readonly number[] };

type Db = Kysely<Database>;

/** The columns an expression reads: the vulnerability's own, or the freshly joined feed values. */
interface ThreatColumns {
  epss: RawBuilder<unknown>;
  kev: RawBuilder<unknown>;
  ransomware: RawBuilder<unknown>;
}

const OWN: ThreatColumns = { epss: sql.ref('vulnerability_risk.epss'), kev: sql.ref('vulnerability_risk.kev'), ransomware: sql.ref('vulnerability_risk.kev_ransomware') };
/** SSVC mission & well-being of the vulnerability's project (medium until a maintainer sets it). */
const MISSION_OF_PROJECT = sql`coalesce((SELECT s.mission_well_being FROM project_risk_settings s WHERE s.project_id = vulnerability_risk.project_id), 'medium')`;
const FRESH: ThreatColumns = { epss: sql.ref('t.epss'), kev: sql.ref('t.kev'), ransomware: sql.ref('t.ransomware') };

/**
 * After a feed changed: copies EPSS and KEV onto the vulnerabilities whose CVEs they cover and rescores exactly
 * those whose values moved. Returns how many vulnerabilities changed.
 */
export async function refreshThreat(db: Db, dialect: DialectName, policy: RiskPolicy, scope: RescoreScope): Promise<number> {
  let changed = 0;
  // The aggregate reads only the covering identifier index and the feeds; the project's mission & well-being is
  // looked up for the rows that change, not joined for all of them.
  for (const filter of scopeFilters(scope, sql.ref('vi.vulnerability_id'), sql`(SELECT r.project_id FROM vulnerability_risk r WHERE r.vulnerability_id = vi.vulnerability_id)`)) {
    const result = await sql`
      UPDATE vulnerability_risk SET
        epss = t.epss, epss_percentile = t.percentile, kev = t.kev, kev_ransomware = t.ransomware,
        risk_score = ${riskExpression(policy, dialect, FRESH)},
        ssvc = ${ssvcExpression(policy, dialect, FRESH, MISSION_OF_PROJECT)}
      FROM (
        SELECT vi.vulnerability_id AS id, max(e.epss) AS epss, max(e.percentile) AS percentile,
          max(CASE WHEN k.cve IS NULL THEN 0 ELSE 1 END) AS kev,
          max(CASE WHEN k.known_ransomware = 1 THEN 1 ELSE 0 END) AS ransomware
        FROM vulnerability_identifiers vi
        LEFT JOIN epss_scores e ON e.cve = vi.value
        LEFT JOIN kev_entries k ON k.cve = vi.value AND k.removed_at IS NULL
        WHERE vi.type = 'cve' AND ${filter}
        GROUP BY vi.vulnerability_id
      ) t
      WHERE vulnerability_risk.vulnerability_id = t.id AND (
        ${isDistinct(dialect, sql.ref('vulnerability_risk.epss'), sql.ref('t.epss'))}
        OR ${isDistinct(dialect, sql.ref('vulnerability_risk.epss_percentile'), sql.ref('t.percentile'))}
        OR vulnerability_risk.kev <> t.kev OR vulnerability_risk.kev_ransomware <> t.ransomware)`.execute(db);
    changed += Number(result.numAffectedRows ?? 0);
  }
  return changed;
}

/** Recomputes risk score and SSVC decision from the vulnerabilities' own columns (policy, settings or inputs changed). */
export async function refreshScores(db: Db, dialect: DialectName, policy: RiskPolicy, scope: RescoreScope): Promise<number> {
  const risk = riskExpression(policy, dialect, OWN);
  const ssvc = ssvcExpression(policy, dialect, OWN, MISSION_OF_PROJECT);
  let changed = 0;
  for (const filter of scopeFilters(scope, sql.ref('vulnerability_risk.vulnerability_id'), sql.ref('vulnerability_risk.project_id'))) {
    const result = await sql`
      UPDATE vulnerability_risk SET risk_score = ${risk}, ssvc = ${ssvc}
      WHERE ${filter} AND (${isDistinct(dialect, sql.ref('risk_score'), risk)} OR ${isDistinct(dialect, sql.ref('ssvc'), ssvc)})`.execute(db);
    changed += Number(result.numAffectedRows ?? 0);
  }
  return changed;
}

/**
 * Brings the given vulnerabilities' risk up to date after they changed (new, rescanned, re-rated): their severity
 * is copied over, then threat and score are recomputed.
 */
export async function rescoreIds(db: Db, dialect: DialectName, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  for (const part of chunks(ids)) {
    await sql`UPDATE vulnerability_risk SET severity = v.severity, severity_overridden = v.severity_overridden
      FROM vulnerabilities v WHERE v.id = vulnerability_risk.vulnerability_id AND vulnerability_risk.vulnerability_id IN (${sql.join(part)})`.execute(db);
  }
  const policy = await loadRiskPolicy(db);
  await refreshThreat(db, dialect, policy, { kind: 'ids', ids });
  await refreshScores(db, dialect, policy, { kind: 'ids', ids });
}

function scopeFilters(scope: RescoreScope, id: RawBuilder<unknown>, projectId: RawBuilder<unknown>): RawBuilder<unknown>[] {
  switch (scope.kind) {
    case 'all':
      return [sql`1 = 1`];
    case 'project':
      return [sql`${projectId} = ${scope.projectId}`];
    case 'ids':
      return chunks(scope.ids).map((part) => sql`${id} IN (${sql.join(part)})`);
  }
}

/** riskScore() of score.ts, in the same order of multiplication so both give the same double. */
function riskExpression(policy: RiskPolicy, dialect: DialectName, c: ThreatColumns): RawBuilder<unknown> {
  const n = (x: number) => literal(dialect, x);
  const threat = sql`CASE WHEN ${c.kev} = 1 OR vulnerability_risk.exploitation_override = 'active' THEN ${n(policy.kevThreat)}
    WHEN ${c.epss} IS NOT NULL THEN ${c.epss} ELSE ${n(policy.missingEpssThreat)} END`;
  const severityWeight = sql`CASE vulnerability_risk.severity ${sql.join(
    SEVERITIES.map((s) => sql`WHEN ${sql.lit(s)} THEN ${n(policy.severityWeights[s] / 10)}`),
    sql` `,
  )} ELSE ${n(policy.severityWeights.unknown / 10)} END`;
  const weight = sql`CASE WHEN vulnerability_risk.cvss_score IS NOT NULL AND vulnerability_risk.severity_overridden = 0
    THEN vulnerability_risk.cvss_score / ${n(10)} ELSE ${severityWeight} END`;
  const modifier = sql`CASE WHEN ${c.kev} = 1 AND ${c.ransomware} = 1 THEN ${n(policy.ransomwareModifier)}
    WHEN ${c.kev} = 1 THEN ${n(policy.kevModifier)} ELSE ${n(1)} END`;
  const product = sql`(((${n(100)} * (${threat})) * (${weight})) * (${modifier}))`;
  return sql`(CASE WHEN ${product} > ${n(100)} THEN ${n(100)} ELSE ${product} END)`;
}

/** exploitationOf() and the SSVC table as one CASE over "exploitation|automatable|impact|mission". */
function ssvcExpression(policy: RiskPolicy, dialect: DialectName, c: ThreatColumns, mwi: RawBuilder<unknown>): RawBuilder<unknown> {
  const exploitation = sql`CASE WHEN vulnerability_risk.exploitation_override IS NOT NULL THEN vulnerability_risk.exploitation_override
    WHEN ${c.kev} = 1 THEN 'active'
    WHEN vulnerability_risk.exploit_reference IS NOT NULL THEN 'poc'
    WHEN ${c.epss} IS NOT NULL AND ${c.epss} >= ${literal(dialect, policy.pocEpss)} THEN 'poc' ELSE 'none' END`;
  const key = sql`(${exploitation}) || '|' || coalesce(vulnerability_risk.ssvc_automatable, 'no') || '|' || coalesce(vulnerability_risk.ssvc_technical_impact, 'partial') || '|' || ${mwi}`;
  const cells = EXPLOITATION.flatMap((e) =>
    AUTOMATABLE.flatMap((a) => TECHNICAL_IMPACT.flatMap((ti) => MISSION_WELL_BEING.map((m) => sql`WHEN ${sql.lit(`${e}|${a}|${ti}|${m}`)} THEN ${sql.lit(ssvcCell(e, a, ti, m))}`))),
  );
  return sql`(CASE ${key} ${sql.join(cells, sql` `)} END)`;
}

/** A policy number as an 8-byte float on both databases (PostgreSQL would otherwise do exact numeric maths). */
function literal(dialect: DialectName, value: number): RawBuilder<unknown> {
  if (!Number.isFinite(value)) throw new RangeError(`risk policy: ${value} is not a finite number`);
  return sql.raw(`CAST(${String(value)} AS ${dialect === 'sqlite' ? 'REAL' : 'double precision'})`);
}
