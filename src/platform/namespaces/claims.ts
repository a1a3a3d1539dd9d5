import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/constraints.js';
import { conflict } from '../errors.js';
import { pathKey } from './paths.js';

/**
 * Groups and projects share one URL space: `acme/api` is either a group or a project, never both. The
 * path_claims primary key makes that hold even for two servers racing to create the same path.
 */
export async function claimPath(trx: Kysely<Database>, fullPath: string, kind: 'group' | 'project'): Promise<void> {
  const taken = await trx.selectFrom('path_claims').select('owner_kind').where('path_key', '=', pathKey(fullPath)).executeTakeFirst();
  if (taken) throw conflict(`"${fullPath}" is already taken by a ${taken.owner_kind}`, 'body/path');
  try {
    await trx.insertInto('path_claims').values({ path_key: pathKey(fullPath), owner_kind: kind }).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`"${fullPath}" is already taken`, 'body/path');
    throw error;
  }
}

export async function releasePath(trx: Kysely<Database>, fullPath: string): Promise<void> {
  await trx.deleteFrom('path_claims').where('path_key', '=', pathKey(fullPath)).execute();
}
