import pg from 'pg';
import { ingestBenchmarks } from './ingest.js';
import { riskBenchmarks } from './risk.js';
import { scaleBenchmarks } from './scale.js';
import { webBenchmarks } from './web.js';

/**
 * `npm run bench`: every benchmark on SQLite, and on PostgreSQL too when VIGIL_BENCH_DATABASE_URL names a server
 * where the user may create databases (each group gets a fresh `vigil_bench_<group>` there). VIGIL_BENCH_ONLY=
 * ingest|scale|risk|web runs one group; VIGIL_BENCH_DATABASES=sqlite|postgres one database. Figures are printed,
 * never asserted: they depend on the machine.
 */
const postgres = process.env.VIGIL_BENCH_DATABASE_URL?.trim() || null;
const only = process.env.VIGIL_BENCH_ONLY?.trim() || null;
const databases = (process.env.VIGIL_BENCH_DATABASES?.trim() || 'sqlite,postgres').split(',');
const groups = { ingest: ingestBenchmarks, scale: scaleBenchmarks, risk: riskBenchmarks, web: webBenchmarks };

/** A new empty database for one group, on the server VIGIL_BENCH_DATABASE_URL names. */
async function freshDatabase(url: string, group: string): Promise<string> {
  const name = `vigil_bench_${group}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.toString();
}

for (const [name, run] of Object.entries(groups)) {
  if (only && only !== name) continue;
  if (databases.includes('sqlite')) await run(null);
  if (postgres && databases.includes('postgres')) await run(await freshDatabase(postgres, name));
}
