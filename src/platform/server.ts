import type { FastifyInstance } from 'fastify';
import { countUsers } from './auth/users.js';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import { openServices } from './services.js';
import { startBackground } from './background.js';

/** `npm start` / `vigil serve`: migrate, listen, and shut down cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<FastifyInstance> {
  const svc = await openServices(config);
  const app = await buildApp(svc);
  const jobs = await startBackground(svc);
  app.addHook('onClose', async () => {
    await jobs.stop();
    await svc.close();
  });
  await app.listen({ port: config.port, host: config.host });
  svc.log.info({ database: svc.db.describe }, 'Vigil is ready');
  if ((await countUsers(svc.db.kysely)) === 0) {
    svc.log.warn('no users yet: create the first administrator with `npx vigil users create --username admin --admin`');
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      svc.log.info({ signal }, 'shutting down');
      void app.close().then(() => process.exit(0));
    });
  }
  return app;
}
