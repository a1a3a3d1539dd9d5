import pino from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { Services } from './context.js';
import { openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';

/** Opens the database, brings its schema up to date and bundles what every service function needs. */
export async function openServices(config: Config, options: { clock?: Clock; log?: Services['log'] } = {}): Promise<Services & { close(): Promise<void> }> {
  const log = options.log ?? pino({ level: config.logLevel });
  const db = openDatabase(config);
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info({ migrations: applied, database: db.describe }, 'database migrated');
  } catch (error) {
    await db.close();
    throw error;
  }
  return { db, clock: options.clock ?? systemClock, config, log, close: () => db.close() };
}
