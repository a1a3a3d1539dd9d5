import type { Services } from '../platform/context.js';
import type { User } from '../platform/auth/users.js';
import { visibleTo } from '../platform/namespaces/access.js';

/** Vulnerabilities carrying a CVE, in projects the user can see: nothing about other projects leaks, not even a count. */
export async function affectedBy(svc: Services, viewer: User, cve: string) {
  let query = svc.db.kysely
    .selectFrom('vulnerability_identifiers')
    .innerJoin('vulnerabilities', 'vulnerabilities.id', 'vulnerability_identifiers.vulnerability_id')
    .innerJoin('projects', 'projects.id', 'vulnerabilities.project_id')
    .innerJoin('vulnerability_risk', 'vulnerability_risk.vulnerability_id', 'vulnerabilities.id')
    .select(['vulnerabilities.id', 'vulnerabilities.project_id', 'projects.full_path', 'vulnerabilities.title', 'vulnerabilities.state', 'vulnerabilities.severity', 'vulnerability_risk.risk_score', 'vulnerability_risk.ssvc'])
    .where('vulnerability_identifiers.type', '=', 'cve')
    .where('vulnerability_identifiers.value', '=', cve);
  if (!viewer.isAdmin) query = query.where(visibleTo(viewer.id));
  const rows = await query.orderBy('vulnerability_risk.risk_score', 'desc').orderBy('vulnerabilities.id').limit(500).execute();
  return rows.map((r) => ({ vulnerability_id: r.id, project_id: r.project_id, project_path: r.full_path, title: r.title, state: r.state, severity: r.severity, risk_score: r.risk_score, ssvc: r.ssvc }));
}
