import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../platform/context.js';
import { callerOf } from '../platform/http/access.js';
import { Closed, NoQuery, PageQuery, pageOf } from '../platform/http/schemas.js';
import { emailEnabled } from './email-delivery.js';
import { listOwnEmails } from './email-log.js';
import { NOTIFICATION_KINDS } from './outbox.js';
import { getSettings, saveSettings, type NotificationSettings } from './subscriptions.js';

const Kinds = Type.Array(Type.Union(NOTIFICATION_KINDS.map((k) => Type.Literal(k))), { maxItems: NOTIFICATION_KINDS.length, uniqueItems: true });
const Scopes = Type.Array(Type.Object({ type: Type.Union([Type.Literal('group'), Type.Literal('project')]), id: Type.Integer({ minimum: 1 }) }, Closed), { maxItems: 100 });

export const subscriptionRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    const settingsJson = (s: NotificationSettings, email: string | null) => ({
      email_enabled: emailEnabled(svc),
      email_address: email,
      // Why nothing would arrive, said plainly rather than discovered later.
      note: !emailEnabled(svc) ? 'e-mail is disabled on this server (VIGIL_SMTP_URL is not set)' : email === null ? 'your account has no e-mail address' : null,
      kinds: s.kinds,
      digest: s.digest,
      scopes: s.scopes,
      available_kinds: NOTIFICATION_KINDS,
      updated_at: s.updatedAt,
    });

    app.get(
      '/api/v1/user/notifications',
      { config: { access: { who: 'signed-in' } }, schema: { tags: ['notifications'], summary: 'Your e-mail notification settings', querystring: NoQuery } },
      async (request) => {
        const user = callerOf(request);
        return settingsJson(await getSettings(svc, user.id), user.email);
      },
    );
    app.patch(
      '/api/v1/user/notifications',
      {
        config: { access: { who: 'signed-in' } },
        schema: {
          tags: ['notifications'],
          summary: 'Change your e-mail notifications: kinds sent at once, the daily digest, and optionally only some groups or projects (empty: all you can see)',
          querystring: NoQuery,
          body: Type.Object({ kinds: Type.Optional(Kinds), digest: Type.Optional(Type.Boolean()), scopes: Type.Optional(Scopes) }, Closed),
        },
      },
      async (request) => {
        const user = callerOf(request);
        const current = await getSettings(svc, user.id);
        const b = request.body;
        const saved = await saveSettings(svc, user, { kinds: b.kinds ?? current.kinds, digest: b.digest ?? current.digest, scopes: (b.scopes as NotificationSettings['scopes'] | undefined) ?? current.scopes });
        return settingsJson(saved, user.email);
      },
    );
    app.get(
      '/api/v1/user/notifications/emails',
      { config: { access: { who: 'signed-in' } }, schema: { tags: ['notifications'], summary: 'The e-mails Vigil sent (or is trying to send) you, newest first', querystring: Type.Object(PageQuery, Closed) } },
      async (request) => {
        const page = await listOwnEmails(svc, callerOf(request).id, pageOf(request.query));
        return { items: page.items, next_cursor: page.nextCursor };
      },
    );
  };
