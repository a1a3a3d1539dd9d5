import { jobRoutes } from '../jobs/routes.js';
import { remediationRoutes } from '../../remediation/routes.js';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { auditRoutes } from '../audit/routes.js';
import { authRoutes } from '../auth/routes.js';
import type { Services } from '../context.js';
import { namespaceRoutes } from '../namespaces/routes.js';
import { riskRoutes } from '../../risk/routes.js';
import { slaRoutes } from '../../sla/routes.js';
import { notifyRoutes } from '../../notify/routes.js';
import { scanRoutes } from '../../vulns/routes/scans.js';
import { vulnerabilityRoutes } from '../../vulns/routes/vulnerabilities.js';
import { reportExtraRoutes } from '../../vulns/routes/report-extras.js';
import { discussionRoutes } from '../../vulns/routes/discussion.js';
import { dashboardRoutes } from '../../vulns/dashboards/routes.js';
import { formatRoutes } from '../../vulns/routes/formats.js';
import { installAccessControl } from './access.js';
import { installMetrics } from './metrics.js';
import { installProblemHandlers } from './problem.js';
import { NoQuery } from './schemas.js';
import { installValidators } from './validation.js';
import { webRoot, webRoutes } from './web.js';
import { VERSION } from '../version.js';

/** Builds the whole HTTP application (not listening yet): platform plugins first, then every module's routes. */
export async function buildApp(svc: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: svc.log,
    bodyLimit: svc.config.bodyLimitBytes,
    trustProxy: svc.config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 2100 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidators(app);
  installProblemHandlers(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Upgrading subresources to https would break a plain-HTTP install on a private network.
        upgradeInsecureRequests: svc.config.secureCookies ? [] : null,
      },
    },
    hsts: svc.config.secureCookies,
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Vigil API', version: VERSION, description: 'Security risk management: vulnerabilities, risk, releases and on-call.' },
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer', description: 'Personal API token (vgl_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'vigil_session', description: 'Browser session; send X-CSRF-Token on changes' },
        },
      },
      security: [{ token: [] }, { session: [] }],
    },
  });
  installAccessControl(app, svc);
  installMetrics(app);

  app.get('/healthz', { config: { access: { who: 'public' } }, schema: { hide: true, querystring: NoQuery } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(svc.db.kysely);
      return { status: 'ok', database: svc.db.dialect };
    } catch (error) {
      svc.log.error({ err: error }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'unavailable', database: svc.db.dialect });
    }
  });
  app.get(
    '/api/v1/openapi.json',
    { config: { access: { who: 'public' } }, schema: { hide: true, querystring: NoQuery } },
    async () => app.swagger(),
  );
  await app.register(authRoutes(svc));
  await app.register(namespaceRoutes(svc));
  await app.register(auditRoutes(svc));
  await app.register(scanRoutes(svc));
  await app.register(riskRoutes(svc));
  await app.register(slaRoutes(svc));
  await app.register(notifyRoutes(svc));
  await app.register(vulnerabilityRoutes(svc));
  await app.register(reportExtraRoutes(svc));
  await app.register(discussionRoutes(svc));
  await app.register(dashboardRoutes(svc));
  await app.register(formatRoutes);
  await app.register(jobRoutes(svc));
  await app.register(remediationRoutes(svc));
  await app.register(webRoutes, { root: webRoot(svc.config.webDir) });
  return app;
}
