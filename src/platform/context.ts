import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/connect.js';
import type { JobQueue } from './jobs/queue.js';

/** What every service function needs from the platform: the database, the clock, the config and a logger. */
export interface Services {
  db: Db;
  clock: Clock;
  config: Config;
  /** A pino logger (typed by the interface Fastify accepts, so the HTTP server logs through the same one). */
  log: FastifyBaseLogger;
  /**
   * The job queue, where this process has one (the server): large uploads are handed to it. Without one (the local
   * CLI, most tests) such work runs inline.
   */
  jobs?: JobQueue;
}
