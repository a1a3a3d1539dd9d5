import type { Kysely } from 'kysely';
import type { Services } from '../platform/context.js';
import { chunks } from '../platform/db/batch.js';
import type { Database } from '../platform/db/schema.js';
import { toDbTime } from '../platform/db/time.js';
import { ancestorPaths, pathKey } from '../platform/namespaces/paths.js';
import { eventEmail } from './email-content.js';
import { storedEvent, type StoredEvent } from './event-text.js';
import { projectsFor, subscribers } from './subscriptions.js';
import { webhookBody, type WebhookFormat } from './webhook-payload.js';

const BATCH = 100;

interface Hook {
  id: number;
  url: string;
  format: WebhookFormat;
  events: string[];
  /** The project's id, or the group's lower-cased full path. */
  projectId: number | null;
  groupPath: string | null;
}

/** Active webhooks on these projects or on any group above them. */
async function webhooksOver(trx: Kysely<Database>, projects: readonly { id: number; full_path: string }[]): Promise<Hook[]> {
  const groupPaths = [...new Set(projects.flatMap((p) => ancestorPaths(pathKey(p.full_path))))];
  const onProjects = await trx.selectFrom('webhooks').select(['id', 'url', 'format', 'events_json', 'scope_id']).where('active', '=', 1).where('scope_type', '=', 'project').where('scope_id', 'in', projects.map((p) => p.id)).execute();
  const onGroups =
    groupPaths.length === 0
      ? []
      : await trx
          .selectFrom('webhooks')
          .innerJoin('namespaces', 'namespaces.id', 'webhooks.scope_id')
          .select(['webhooks.id', 'webhooks.url', 'webhooks.format', 'webhooks.events_json', 'namespaces.full_path'])
          .where('webhooks.active', '=', 1)
          .where('webhooks.scope_type', '=', 'group')
          .where((eb) => eb(eb.fn('lower', ['namespaces.full_path']), 'in', groupPaths))
          .execute();
  return [
    ...onProjects.map((w) => ({ id: w.id, url: w.url, format: w.format, events: JSON.parse(w.events_json) as string[], projectId: w.scope_id, groupPath: null })),
    ...onGroups.map((w) => ({ id: w.id, url: w.url, format: w.format, events: JSON.parse(w.events_json) as string[], projectId: null, groupPath: pathKey(w.full_path) })),
  ];
}

/** Turns one batch of outbox events into deliveries and marks them dispatched; null when the outbox is empty. */
async function dispatchBatch(svc: Services, trx: Kysely<Database>): Promise<{ events: number; webhooks: number; emails: number } | null> {
  const rows = await trx
    .selectFrom('notification_events')
    .select(['id', 'kind', 'project_id', 'payload_json', 'created_at'])
    .where('dispatched_at', 'is', null)
    .orderBy('id')
    .limit(BATCH)
    // Another process dispatching at the same time takes the next events instead of waiting for these.
    .$if(svc.db.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
    .execute();
  if (rows.length === 0) return null;
  const now = toDbTime(svc.clock.now());
  const events = rows.map((r) => ({ ...storedEvent(r), projectId: r.project_id }));
  // A deleted project's events have nobody left to tell.
  const projects = await trx.selectFrom('projects').select(['id', 'full_path']).where('id', 'in', [...new Set(rows.map((r) => r.project_id))]).execute();
  const pathOf = new Map(projects.map((p) => [p.id, pathKey(p.full_path)]));
  const live = events.filter((e) => pathOf.has(e.projectId));

  const hooks = projects.length === 0 ? [] : await webhooksOver(trx, projects);
  const deliveries = live.flatMap((e) => {
    const above = new Set(ancestorPaths(pathOf.get(e.projectId)!));
    return hooks
      .filter((h) => h.events.includes(e.kind) && (h.projectId === e.projectId || (h.groupPath !== null && above.has(h.groupPath))))
      .map((h) => ({ webhook_id: h.id, event_id: e.id, kind: e.kind, url: h.url, request_body: webhookBody(h.format, e, svc.config.publicUrl), redelivery_of: null, status: 'pending' as const, attempts: 0, next_attempt_at: now, created_at: now }));
  });
  for (const part of chunks(deliveries, 200)) await trx.insertInto('webhook_deliveries').values(part).execute();

  const emails = svc.config.smtpUrl === null ? [] : await immediateEmails(svc, trx, live, projects, now);
  for (const part of chunks(emails, 100)) await trx.insertInto('email_deliveries').values(part).execute();

  await trx.updateTable('notification_events').set({ dispatched_at: now }).where('id', 'in', rows.map((r) => r.id)).execute();
  return { events: rows.length, webhooks: deliveries.length, emails: emails.length };
}

/** One e-mail per subscriber and event they asked for, of projects they can see (and have in scope). */
async function immediateEmails(svc: Services, trx: Kysely<Database>, events: readonly (StoredEvent & { projectId: number })[], projects: readonly { id: number; full_path: string }[], now: string) {
  const kinds = new Set(events.map((e) => e.kind));
  const rendered = new Map(events.map((e) => [e.id, eventEmail(e, svc.config.publicUrl)]));
  const out = [];
  for (const subscriber of (await subscribers(trx, 'immediate')).filter((s) => [...s.kinds].some((k) => kinds.has(k)))) {
    const seen = await projectsFor(trx, subscriber, projects);
    for (const e of events.filter((x) => subscriber.kinds.has(x.kind) && seen.has(x.projectId))) {
      const content = rendered.get(e.id)!;
      out.push({ user_id: subscriber.userId, to_address: subscriber.email, kind: e.kind, event_id: e.id, digest_day: null, subject: content.subject, text_body: content.text, html_body: content.html, status: 'pending' as const, attempts: 0, next_attempt_at: now, created_at: now });
    }
  }
  return out;
}

/**
 * Dispatches the notification outbox: each event becomes a delivery for every active webhook of its project or a
 * group above it that subscribes to its kind, and an e-mail for every subscriber who may see the project. One
 * transaction per batch, so an event is dispatched exactly once — across restarts and processes.
 */
export async function dispatchOutbox(svc: Services): Promise<{ events: number; webhooks: number; emails: number }> {
  const total = { events: 0, webhooks: 0, emails: 0 };
  for (;;) {
    const done = await svc.db.kysely.transaction().execute((trx) => dispatchBatch(svc, trx));
    if (done === null) return total;
    total.events += done.events;
    total.webhooks += done.webhooks;
    total.emails += done.emails;
  }
}
