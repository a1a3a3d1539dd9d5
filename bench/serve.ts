import pino from 'pino';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import type { Services } from '../src/platform/context.js';
import { openDatabase } from '../src/platform/db/connect.js';
import { buildApp } from '../src/platform/http/app.js';

/**
 * A Vigil server in a process of its own, for benchmarks that measure it from outside: the load generator and
 * the report upload do not share its event loop, and its peak RSS is its own. Started by instance.ts with the
 * configuration in its environment (no background jobs: they would add noise); it sends its URL once listening and,
 * when told to stop, its peak RSS.
 */
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const db = openDatabase(config);
const svc: Services = { db, clock: systemClock, config, log: pino({ level: 'silent' }) };
const app = await buildApp(svc);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.send!({ url });
process.on('message', async (message) => {
  if (message !== 'stop') return;
  await app.close();
  await db.close();
  // maxRSS is in kilobytes.
  process.send!({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }, () => process.exit(0));
});
