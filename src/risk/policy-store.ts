import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import { DEFAULT_RISK_POLICY, type RiskPolicy } from './policy.js';

/** The instance's risk policy: one row, defaults until an admin changes it. */
export async function loadRiskPolicy(db: Kysely<Database>): Promise<RiskPolicy> {
  const row = await db.selectFrom('risk_policy').select('policy_json').where('id', '=', 1).executeTakeFirst();
  if (!row) return DEFAULT_RISK_POLICY;
  const stored = JSON.parse(row.policy_json) as Partial<RiskPolicy>;
  // Fields added in later versions fall back to their defaults.
  return { ...DEFAULT_RISK_POLICY, ...stored, severityWeights: { ...DEFAULT_RISK_POLICY.severityWeights, ...stored.severityWeights } };
}

export async function saveRiskPolicy(db: Kysely<Database>, policy: RiskPolicy, now: string): Promise<void> {
  await db
    .insertInto('risk_policy')
    .values({ id: 1, policy_json: JSON.stringify(policy), updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ policy_json: JSON.stringify(policy), updated_at: now }))
    .execute();
}
