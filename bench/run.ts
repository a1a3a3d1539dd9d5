import { ingestBenchmarks } from './ingest.js';
import { riskBenchmarks } from './risk.js';
import { scaleBenchmarks } from './scale.js';
import { webBenchmarks } from './web.js';

/**
 * `npm run bench`: every benchmark on SQLite, and on PostgreSQL too when VIGIL_BENCH_DATABASE_URL names an empty
 * database (VIGIL_BENCH_ONLY=ingest|scale|risk|web runs one group). Figures are printed, never asserted: they depend on
 * the machine.
 */
const postgres = process.env.VIGIL_BENCH_DATABASE_URL?.trim() || null;
const only = process.env.VIGIL_BENCH_ONLY?.trim() || null;
const groups = { ingest: ingestBenchmarks, scale: scaleBenchmarks, risk: riskBenchmarks, web: webBenchmarks };
for (const [name, run] of Object.entries(groups)) {
  if (only && only !== name) continue;
  await run(null);
  if (postgres) await run(postgres);
}
