import type { FastifyInstance } from 'fastify';
import { countUsers } from './auth/users.js';
import { openJobQueue, startBackground } from './background.js';
import { ConfigError, type Config } from './config.js';
import { buildApp } from './http/app.js';
import { openServices } from './services.js';

/**
 * What a process does: `api` answers HTTP and sends work to the queue, `worker` runs queued and scheduled work
 * without listening, `all` both (one machine). Several of each share one PostgreSQL database.
 */
export const ROLES = ['all', 'api', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export interface Running {
  /** The HTTP server, for the api and all roles. */
  app: FastifyInstance | null;
  close(): Promise<void>;
}

/** `npm start` / `vigil serve`: migrate, then serve the role, and shut down cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config, role: Role = 'all'): Promise<Running> {
  // SQLite is one process's database: an API without a worker beside it would queue work nobody runs.
  if (role !== 'all' && !config.databaseUrl) throw new ConfigError(`--role ${role} needs PostgreSQL (DATABASE_URL); with SQLite run one process with --role all`);
  const services = await openServices(config);
  const queue = await openJobQueue(services);
  const svc = { ...services, jobs: queue };
  if (role !== 'api') await startBackground(svc, queue);
  const closeAll = async () => {
    await queue.stop();
    await services.close();
  };
  let app: FastifyInstance | null = null;
  if (role === 'worker') {
    svc.log.info({ database: svc.db.describe, role }, 'Vigil worker is ready');
  } else {
    app = await buildApp(svc);
    app.addHook('onClose', closeAll);
    await app.listen({ port: config.port, host: config.host });
    svc.log.info({ database: svc.db.describe, role }, 'Vigil is ready');
    if ((await countUsers(svc.db.kysely)) === 0) {
      svc.log.warn('no users yet: create the first administrator with `npx vigil users create --username admin --admin`');
    }
  }
  const close = app ? () => app!.close().then(() => undefined) : closeAll;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      svc.log.info({ signal }, 'shutting down');
      void close().then(() => process.exit(0));
    });
  }
  return { app, close };
}
