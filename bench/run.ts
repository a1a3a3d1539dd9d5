import { riskBenchmarks } from './risk.js';

/**
 * `npm run bench`: every benchmark on SQLite, and on PostgreSQL too when VIGIL_BENCH_DATABASE_URL names an empty
 * database. Figures are printed, never asserted: they depend on the machine.
 */
const postgres = process.env.VIGIL_BENCH_DATABASE_URL?.trim() || null;
await riskBenchmarks(null);
if (postgres) await riskBenchmarks(postgres);
