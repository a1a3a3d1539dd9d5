import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import { ancestorPaths, pathKey, selfAndAncestorPaths } from '../platform/namespaces/paths.js';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from './policy.js';

/** Where a policy in effect comes from: the scope itself, an ancestor group, or Vigil's defaults. */
export interface EffectivePolicy {
  policy: SlaPolicy;
  source: { type: 'project' | 'group'; id: number; path: string } | { type: 'default' };
}

type Db = Kysely<Database>;

async function ownPolicy(db: Db, scopeType: 'group' | 'project', scopeId: number): Promise<SlaPolicy | null> {
  const row = await db.selectFrom('sla_policies').select('policy_json').where('scope_type', '=', scopeType).where('scope_id', '=', scopeId).executeTakeFirst();
  return row ? ({ ...DEFAULT_SLA_POLICY, ...(JSON.parse(row.policy_json) as Partial<SlaPolicy>) } as SlaPolicy) : null;
}

/** The nearest group policy at or above the given path (the group itself included when `includeSelf`). */
async function groupPolicy(db: Db, groupPaths: string[]): Promise<EffectivePolicy> {
  if (groupPaths.length === 0) return { policy: DEFAULT_SLA_POLICY, source: { type: 'default' } };
  const rows = await db
    .selectFrom('sla_policies')
    .innerJoin('namespaces', 'namespaces.id', 'sla_policies.scope_id')
    .select(['namespaces.id', 'namespaces.full_path', 'sla_policies.policy_json'])
    .where('sla_policies.scope_type', '=', 'group')
    .where(sql`lower(namespaces.full_path)`, 'in', groupPaths.map(pathKey))
    .execute();
  const nearest = rows.sort((a, b) => b.full_path.length - a.full_path.length)[0];
  if (!nearest) return { policy: DEFAULT_SLA_POLICY, source: { type: 'default' } };
  return { policy: { ...DEFAULT_SLA_POLICY, ...(JSON.parse(nearest.policy_json) as Partial<SlaPolicy>) }, source: { type: 'group', id: nearest.id, path: nearest.full_path } };
}

export async function effectiveProjectPolicy(db: Db, project: { id: number; fullPath: string }): Promise<EffectivePolicy> {
  const own = await ownPolicy(db, 'project', project.id);
  if (own) return { policy: own, source: { type: 'project', id: project.id, path: project.fullPath } };
  return groupPolicy(db, ancestorPaths(project.fullPath));
}

export async function effectiveGroupPolicy(db: Db, group: { id: number; fullPath: string }): Promise<EffectivePolicy> {
  return groupPolicy(db, selfAndAncestorPaths(group.fullPath));
}

export async function ownScopePolicy(db: Db, scopeType: 'group' | 'project', scopeId: number): Promise<SlaPolicy | null> {
  return ownPolicy(db, scopeType, scopeId);
}

export async function saveScopePolicy(db: Db, scopeType: 'group' | 'project', scopeId: number, policy: SlaPolicy | null, now: string): Promise<void> {
  if (policy === null) {
    await db.deleteFrom('sla_policies').where('scope_type', '=', scopeType).where('scope_id', '=', scopeId).execute();
    return;
  }
  const policy_json = JSON.stringify(policy);
  await db
    .insertInto('sla_policies')
    .values({ scope_type: scopeType, scope_id: scopeId, policy_json, updated_at: now })
    .onConflict((oc) => oc.columns(['scope_type', 'scope_id']).doUpdateSet({ policy_json, updated_at: now }))
    .execute();
}
