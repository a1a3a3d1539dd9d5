import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../platform/context.js';

/** Webhook subscriptions, e-mail settings and the delivery log. */
export const notifyRoutes =
  (svc: Services): FastifyPluginAsyncTypebox =>
  async () => {
    void svc;
  };
