import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../platform/context.js';
import { subscriptionRoutes } from './subscription-routes.js';
import { webhookRoutes } from './webhook-routes.js';

/** Webhook subscriptions, e-mail settings and the delivery log. */
export const notifyRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(webhookRoutes(svc));
    await app.register(subscriptionRoutes(svc));
  };
