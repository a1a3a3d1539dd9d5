import { sql } from 'kysely';
import type { Services } from '../src/platform/context.js';
import { createBenchProjects } from './namespaces.js';

/**
 * A large database built with set-based SQL (not ingested): `vulnerabilities` rows as wide as real ones, with their
 * risk and SLA rows, and a CVE on 60% of them (the k-th CVE of the synthetic EPSS feed). The risk and web
 * benchmarks share it.
 */
export interface Dataset {
  groupPath: string;
  projectIds: number[];
}

/** The k-th CVE of the synthetic feed; the same expression is written in SQL below. */
export const cve = (k: number) => `CVE-${2000 + (k % 25)}-${10000 + Math.floor(k / 25)}`;

export async function loadVulnerabilities(svc: Services, options: { vulnerabilities: number; projects: number; cves: number; nested?: boolean }): Promise<Dataset> {
  const { groupPath, projectIds: projects } = await createBenchProjects(svc, options.projects, options.nested ?? false);
  const db = svc.db.kysely;
  const postgres = svc.db.dialect === 'postgres';
  // Literals, not parameters: a bound JS number is a float to SQLite, and i % 300000.0 is no integer.
  const n = sql.lit(options.vulnerabilities);
  const series = postgres ? sql`select i from generate_series(1, ${n}) as s(i)` : sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${n}) select i from n`;
  const firstProject = projects[0]!;
  // Every project holds every severity (the severity follows the row's turn through the projects, not the project).
  // Rows as wide as real ones: an advisory's description is typically a kilobyte or two.
  const description = postgres ? sql`repeat('advisory text ', 110)` : sql`substr(replace(hex(zeroblob(800)), '00', 'advisory text '), 1, 1540)`;
  const now = new Date().toISOString();
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString();
  await sql`insert into vulnerabilities (id, project_id, title, description, severity, scanner_severity, severity_overridden, report_type, scanner_id,
      primary_identifier, location_json, details_json, state, present_on_default, first_detected_at, last_detected_at, created_at, updated_at)
    select i, ${sql.lit(firstProject)} + (i % ${sql.lit(options.projects)}), 'vulnerability ' || i, ${description},
      case (i / ${sql.lit(options.projects)}) % 5 when 0 then 'critical' when 1 then 'high' when 2 then 'medium' when 3 then 'low' else 'unknown' end,
      'medium', 0, 'dependency_scanning', 'bench', 'cve:' || i,
      '{"file":"package-lock.json","startLine":null,"endLine":null,"package":{"name":"left-pad","version":"1.0.' || (i % 10) || '"}}', '{}',
      'detected', 1, ${now}, ${now}, ${now}, ${now}
    from (${series}) s`.execute(db);
  // One in 997 is known exploited (KEV lists about 1,400 of some 300,000 CVEs).
  await sql`insert into vulnerability_risk (vulnerability_id, project_id, severity, severity_overridden, kev, cvss_version, cvss_score, ssvc_automatable, ssvc_technical_impact)
    select id, project_id, severity, 0, case when id % 997 = 0 then 1 else 0 end, case when id % 3 = 0 then null else '3.1' end, case when id % 3 = 0 then null else (id % 100) / 10.0 end,
      case when id % 2 = 0 then 'yes' else 'no' end, case when id % 4 = 0 then 'total' else 'partial' end
    from vulnerabilities`.execute(db);
  await sql`insert into vulnerability_sla (vulnerability_id, project_id, detected_at, default_detected_at, started_at, due_at, due_soon_at)
    select id, project_id, ${now}, ${now}, ${now}, ${due}, ${due} from vulnerabilities`.execute(db);
  const k = sql`(i % ${sql.lit(options.cves)})`;
  await sql`insert into vulnerability_identifiers (vulnerability_id, position, type, value)
    select i, 0, 'cve', 'CVE-' || (2000 + ${k} % 25) || '-' || (10000 + ${k} / 25)
    from (${series}) s where i % 10 < 6`.execute(db);
  return { groupPath, projectIds: projects };
}
