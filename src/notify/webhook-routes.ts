import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../platform/auth/roles.js';
import type { Services } from '../platform/context.js';
import { notFound } from '../platform/errors.js';
import { actorOf, groupOf, projectOf } from '../platform/http/access.js';
import { Closed, NoQuery, PageOf, PageQuery, pageOf, Ref } from '../platform/http/schemas.js';
import { deliveryJson, webhookJson } from './json.js';
import { NOTIFICATION_KINDS } from './outbox.js';
import { REPLAY_WINDOW_SECONDS } from './signing.js';
import { pingWebhook, redeliver } from './webhook-delivery.js';
import { getDelivery, listDeliveries } from './webhook-log.js';
import { WEBHOOK_FORMATS } from './webhook-payload.js';
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook, type WebhookScope } from './webhooks.js';

const SIGNING = `Requests are POSTs of JSON with X-Vigil-Event, X-Vigil-Delivery, X-Vigil-Timestamp (Unix seconds) and X-Vigil-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the secret>; reject timestamps more than ${REPLAY_WINDOW_SECONDS} s off. Non-2xx answers are retried after 1 min, 5 min, 30 min, 2 h, 12 h (VIGIL_NOTIFY_MAX_ATTEMPTS in all); redirects are not followed.`;

const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'http(s); loopback, private, link-local and metadata addresses are refused unless on VIGIL_WEBHOOK_ALLOW_HOSTS' });
const Events = Type.Array(Type.Union(NOTIFICATION_KINDS.map((k) => Type.Literal(k))), { minItems: 1, maxItems: NOTIFICATION_KINDS.length, uniqueItems: true });
const Format = Type.Union(WEBHOOK_FORMATS.map((f) => Type.Literal(f)), { description: 'vigil: the event as JSON; slack: a Slack-compatible incoming-webhook message ({text, blocks})' });
const Id = Type.Integer({ minimum: 1 });

const WebhookJson = Type.Object({
  id: Type.Integer(),
  scope: Type.Object({ type: Type.String(), id: Type.Integer(), path: Type.String() }),
  url: Type.String(),
  format: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  secret_masked: Type.String(),
  created_by: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});
const WithSecret = Type.Intersect([WebhookJson, Type.Object({ secret: Type.String({ description: 'shown in this response only' }) })]);
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const AttemptJson = Type.Object({ attempt: Type.Integer(), at: Type.String(), status_code: Nullable(Type.Integer()), error: Nullable(Type.String()), duration_ms: Type.Integer() });
const DeliveryJson = Type.Object({
  id: Type.Integer(),
  webhook_id: Type.Integer(),
  event_id: Nullable(Type.Integer()),
  kind: Type.String(),
  url: Type.String(),
  redelivery_of: Nullable(Type.Integer()),
  status: Type.String(),
  attempts: Type.Integer(),
  next_attempt_at: Nullable(Type.String()),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  last_attempt_at: Nullable(Type.String()),
  delivered_at: Nullable(Type.String()),
  created_at: Type.String(),
  request_body: Type.String(),
  attempt_log: Type.Array(AttemptJson),
});

/** The same webhook API on groups (owners) and projects (maintainers). */
function webhookRoutesOn(svc: Services, kind: 'group' | 'project', role: Role): FastifyPluginAsyncTypebox {
  const base = `/api/v1/${kind}s/:${kind}/webhooks`;
  const scopeOf = (request: FastifyRequest): WebhookScope => {
    const owner = kind === 'group' ? groupOf(request) : projectOf(request);
    return { type: kind, id: owner.id, path: owner.fullPath };
  };
  const access = { who: kind, role } as const;
  const Scope = { [kind]: Ref };
  const One = Type.Object({ ...Scope, webhookId: Id });
  const tags = ['notifications'];
  return async (app) => {
    app.get(
      base,
      { config: { access }, schema: { tags, summary: `The ${kind}'s webhooks (secrets masked)`, params: Type.Object(Scope), querystring: NoQuery, response: { 200: Type.Object({ items: Type.Array(WebhookJson) }) } } },
      async (request) => ({ items: (await listWebhooks(svc, scopeOf(request))).map(webhookJson) }),
    );
    app.post(
      base,
      {
        config: { access },
        schema: {
          tags,
          summary: `Add a webhook for events of ${kind === 'group' ? 'every project below the group' : 'the project'}; the signing secret is in this response only`,
          description: SIGNING,
          params: Type.Object(Scope),
          querystring: NoQuery,
          body: Type.Object({ url: Url, events: Events, format: Type.Optional(Format), active: Type.Optional(Type.Boolean()) }, Closed),
          response: { 201: WithSecret },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const { webhook, secret } = await createWebhook(svc, actorOf(request), scopeOf(request), { url: b.url, events: b.events, format: b.format ?? 'vigil', active: b.active ?? true });
        reply.code(201);
        return { ...webhookJson(webhook), secret };
      },
    );
    app.get(
      `${base}/:webhookId`,
      { config: { access }, schema: { tags, summary: 'One webhook (secret masked)', params: One, querystring: NoQuery, response: { 200: WebhookJson } } },
      async (request) => webhookJson(await getWebhook(svc, scopeOf(request), request.params.webhookId)),
    );
    app.patch(
      `${base}/:webhookId`,
      {
        config: { access },
        schema: {
          tags,
          summary: 'Change a webhook; rotate_secret returns a new secret (in this response only) and the old one stops signing',
          params: One,
          querystring: NoQuery,
          body: Type.Object({ url: Type.Optional(Url), events: Type.Optional(Events), format: Type.Optional(Format), active: Type.Optional(Type.Boolean()), rotate_secret: Type.Optional(Type.Boolean()) }, Closed),
          response: { 200: Type.Intersect([WebhookJson, Type.Object({ secret: Type.Optional(Type.String()) })]) },
        },
      },
      async (request) => {
        const b = request.body;
        const { webhook, secret } = await updateWebhook(svc, actorOf(request), scopeOf(request), request.params.webhookId, {
          ...(b.url !== undefined && { url: b.url }),
          ...(b.events !== undefined && { events: b.events }),
          ...(b.format !== undefined && { format: b.format }),
          ...(b.active !== undefined && { active: b.active }),
          rotateSecret: b.rotate_secret ?? false,
        });
        return { ...webhookJson(webhook), ...(secret !== null && { secret }) };
      },
    );
    app.delete(
      `${base}/:webhookId`,
      { config: { access }, schema: { tags, summary: 'Delete a webhook (its delivery log is kept; pending deliveries fail)', params: One, querystring: NoQuery } },
      async (request, reply) => {
        await deleteWebhook(svc, actorOf(request), scopeOf(request), request.params.webhookId);
        reply.code(204);
      },
    );
    app.get(
      `${base}/:webhookId/deliveries`,
      { config: { access }, schema: { tags, summary: 'The delivery log, newest first, with every attempt', params: One, querystring: Type.Object(PageQuery, Closed), response: { 200: PageOf(DeliveryJson) } } },
      async (request) => {
        const webhook = await getWebhook(svc, scopeOf(request), request.params.webhookId);
        const page = await listDeliveries(svc, webhook.id, pageOf(request.query));
        return { items: page.items.map(deliveryJson), next_cursor: page.nextCursor };
      },
    );
    app.post(
      `${base}/:webhookId/deliveries/:deliveryId/redeliver`,
      {
        config: { access },
        schema: { tags, summary: 'Send a logged delivery again (same body, current URL and secret) as a new delivery, attempted at once', params: Type.Object({ ...Scope, webhookId: Id, deliveryId: Id }), querystring: NoQuery, response: { 201: DeliveryJson } },
      },
      async (request, reply) => {
        const webhook = await getWebhook(svc, scopeOf(request), request.params.webhookId);
        const id = await redeliver(svc, webhook, request.params.deliveryId);
        if (id === null) throw notFound(`delivery ${request.params.deliveryId} of webhook ${webhook.id}`);
        reply.code(201);
        return deliveryJson((await getDelivery(svc, webhook.id, id))!);
      },
    );
    app.post(
      `${base}/:webhookId/test`,
      { config: { access }, schema: { tags, summary: 'Send a ping delivery now and show how it went', description: SIGNING, params: One, querystring: NoQuery, response: { 201: DeliveryJson } } },
      async (request, reply) => {
        const webhook = await getWebhook(svc, scopeOf(request), request.params.webhookId);
        const id = await pingWebhook(svc, webhook);
        reply.code(201);
        return deliveryJson((await getDelivery(svc, webhook.id, id))!);
      },
    );
  };
}

export const webhookRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(webhookRoutesOn(svc, 'group', 'owner'));
    await app.register(webhookRoutesOn(svc, 'project', 'maintainer'));
  };
