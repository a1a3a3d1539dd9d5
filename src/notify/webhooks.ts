import type { Selectable } from 'kysely';
import { recordAudit } from '../platform/audit/audit.js';
import type { Actor } from '../platform/audit/actor.js';
import type { Services } from '../platform/context.js';
import { toDbTime } from '../platform/db/time.js';
import { invalid, notFound } from '../platform/errors.js';
import type { WebhooksTable } from './tables.js';
import { maskSecret, newWebhookSecret } from './signing.js';
import { resolveWebhookUrl, UrlRefused } from './url-guard.js';
import type { WebhookFormat } from './webhook-payload.js';

/** The group or project a webhook belongs to: it hears events of that project, or of every project below the group. */
export interface WebhookScope {
  type: 'group' | 'project';
  id: number;
  path: string;
}

export interface Webhook {
  id: number;
  scope: WebhookScope;
  url: string;
  format: WebhookFormat;
  events: string[];
  active: boolean;
  secretMasked: string;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookInput {
  url: string;
  format: WebhookFormat;
  events: string[];
  active: boolean;
}

type Row = Selectable<WebhooksTable>;

function toWebhook(row: Row, scope: WebhookScope): Webhook {
  return {
    id: row.id,
    scope,
    url: row.url,
    format: row.format,
    events: JSON.parse(row.events_json) as string[],
    active: row.active === 1,
    secretMasked: maskSecret(row.secret),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Refused URLs are the caller's bad input: 400 on body/url with the guard's reason. */
async function checkedUrl(svc: Services, url: string): Promise<string> {
  try {
    return (await resolveWebhookUrl(url, svc.config.webhookAllowHosts)).url.toString();
  } catch (error) {
    if (error instanceof UrlRefused) throw invalid('body/url', error.message);
    throw error;
  }
}

export async function listWebhooks(svc: Services, scope: WebhookScope): Promise<Webhook[]> {
  const rows = await svc.db.kysely.selectFrom('webhooks').selectAll().where('scope_type', '=', scope.type).where('scope_id', '=', scope.id).orderBy('id').execute();
  return rows.map((r) => toWebhook(r, scope));
}

async function webhookRow(svc: Services, scope: WebhookScope, id: number): Promise<Row> {
  const row = await svc.db.kysely.selectFrom('webhooks').selectAll().where('id', '=', id).where('scope_type', '=', scope.type).where('scope_id', '=', scope.id).executeTakeFirst();
  if (!row) throw notFound(`webhook ${id} of ${scope.type} "${scope.path}"`);
  return row;
}

export async function getWebhook(svc: Services, scope: WebhookScope, id: number): Promise<Webhook> {
  return toWebhook(await webhookRow(svc, scope, id), scope);
}

/** Creates a webhook; the secret is returned here and never again. */
export async function createWebhook(svc: Services, actor: Actor, scope: WebhookScope, input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
  const url = await checkedUrl(svc, input.url);
  const secret = newWebhookSecret();
  const now = svc.clock.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('webhooks')
      .values({ scope_type: scope.type, scope_id: scope.id, url, format: input.format, secret, events_json: JSON.stringify(input.events), active: input.active ? 1 : 0, created_by: actor.userId, created_at: toDbTime(now), updated_at: toDbTime(now) })
      .returningAll()
      .executeTakeFirstOrThrow();
    const webhook = toWebhook(row, scope);
    await recordAudit(trx, now, actor, { action: 'webhook.create', subjectType: 'webhook', subjectId: webhook.id, scopePath: scope.path, after: audited(webhook) });
    return { webhook, secret };
  });
}

export interface WebhookChanges extends Partial<WebhookInput> {
  rotateSecret?: boolean;
}

/** Changes a webhook; a rotated secret is returned once, like at creation. */
export async function updateWebhook(svc: Services, actor: Actor, scope: WebhookScope, id: number, changes: WebhookChanges): Promise<{ webhook: Webhook; secret: string | null }> {
  const before = await webhookRow(svc, scope, id);
  const url = changes.url === undefined ? undefined : await checkedUrl(svc, changes.url);
  const secret = changes.rotateSecret ? newWebhookSecret() : null;
  const now = svc.clock.now();
  return svc.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('webhooks')
      .set({
        ...(url !== undefined && { url }),
        ...(changes.format !== undefined && { format: changes.format }),
        ...(changes.events !== undefined && { events_json: JSON.stringify(changes.events) }),
        ...(changes.active !== undefined && { active: changes.active ? 1 : 0 }),
        ...(secret !== null && { secret }),
        updated_at: toDbTime(now),
      })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(`webhook ${id} of ${scope.type} "${scope.path}"`);
    const webhook = toWebhook(row, scope);
    await recordAudit(trx, now, actor, { action: secret ? 'webhook.rotate_secret' : 'webhook.update', subjectType: 'webhook', subjectId: id, scopePath: scope.path, before: toWebhook(before, scope), after: audited(webhook) });
    return { webhook, secret };
  });
}

/** Deletes a webhook. Its delivery log stays; deliveries still pending fail with "the webhook was deleted". */
export async function deleteWebhook(svc: Services, actor: Actor, scope: WebhookScope, id: number): Promise<void> {
  const before = await webhookRow(svc, scope, id);
  const now = svc.clock.now();
  await svc.db.kysely.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhooks').where('id', '=', before.id).execute();
    await recordAudit(trx, now, actor, { action: 'webhook.delete', subjectType: 'webhook', subjectId: id, scopePath: scope.path, before: audited(toWebhook(before, scope)) });
  });
}

/**
 * A webhook as the append-only audit log keeps it: the URL without its path and query, because incoming-webhook URLs
 * (Slack's, for one) are bearer secrets that could never be removed from the log once written.
 */
function audited(webhook: Webhook): Webhook {
  const url = new URL(webhook.url);
  return { ...webhook, url: `${url.protocol}//${url.host}/…` };
}
