import autocannon from 'autocannon';
import { buildApp } from '../src/platform/http/app.js';
import { openInstance } from './instance.js';
import { report, seconds } from './report.js';
import { loadScaleDataset } from './scale-dataset.js';

/**
 * Read benchmarks at scale (issue 8): the group vulnerability list with common filters, sorted by risk, and the group
 * dashboard, over VIGIL_BENCH_VULNERABILITIES (1M) vulnerabilities in VIGIL_BENCH_PROJECTS (1,000) nested projects —
 * p50/p95 of requests through the real routes (in process, no socket) — then the list endpoint's requests/s under
 * autocannon against a server in a child process on 127.0.0.1.
 */
const VULNERABILITIES = Number(process.env.VIGIL_BENCH_VULNERABILITIES ?? 1_000_000);
const PROJECTS = Number(process.env.VIGIL_BENCH_PROJECTS ?? 1_000);
const RUNS = Number(process.env.VIGIL_BENCH_RUNS ?? 40);
const LOAD_SECONDS = Number(process.env.VIGIL_BENCH_LOAD_SECONDS ?? 10);
const CONNECTIONS = 10;

/** The lists people open most: the open report, the critical and high ones, a subgroup's, a scanner type's. */
const LISTS = [
  'groups/bench/vulnerabilities?state=detected,confirmed&sort=risk',
  'groups/bench/vulnerabilities?state=detected,confirmed&severity=critical,high&sort=risk',
  'groups/bench%2Fg3/vulnerabilities?state=detected,confirmed&sort=risk',
  'groups/bench%2Fg3%2Fs7/vulnerabilities?severity=critical&sort=risk',
  'groups/bench/vulnerabilities?state=detected&report_type=dependency_scanning&present_on_default=true&sort=risk',
];
const DASHBOARDS = ['groups/bench/dashboard?days=90', 'groups/bench%2Fg3/dashboard?days=90'];

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;

export async function scaleBenchmarks(databaseUrl: string | null): Promise<void> {
  const instance = await openInstance(databaseUrl, 'scale');
  const where = instance.svc.db.dialect;
  const app = await buildApp(instance.svc);
  try {
    let started = performance.now();
    const dataset = await loadScaleDataset(instance.svc, { vulnerabilities: VULNERABILITIES, projects: PROJECTS });
    const scale = `${VULNERABILITIES.toLocaleString('en')} vulnerabilities, ${PROJECTS.toLocaleString('en')} projects`;
    report(
      `scale dataset: ${scale} in nested groups, ${dataset.occurrences.toLocaleString('en')} occurrences, ${dataset.events.toLocaleString('en')} events, daily statistics (${where}, setup)`,
      seconds(started),
      null,
    );
    const headers = { authorization: `Bearer ${instance.token}` };
    const time = async (path: string): Promise<number> => {
      const t = performance.now();
      const reply = await app.inject({ method: 'GET', url: `/api/v1/${path}`, headers });
      if (reply.statusCode !== 200) throw new Error(`${path}: ${reply.statusCode} ${reply.body.slice(0, 300)}`);
      return performance.now() - t;
    };
    const measure = async (paths: string[]): Promise<number[]> => {
      for (const path of paths) await time(path); // warm-up: caches and statement preparation
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) for (const path of paths) samples.push(await time(path));
      return samples;
    };
    for (const path of LISTS) {
      const samples = await measure([path]);
      report(`list ${path.replace(/%2F/g, '/')} (${where}) p50`, ms(percentile(samples, 50)), null);
      report(`  … p95 (${scale})`, ms(percentile(samples, 95)), '≤ 50 ms');
    }
    const dashboards = await measure(DASHBOARDS);
    report(`group dashboard, counts + 90-day trend, top group and a subgroup (${where}, ${scale}) p50`, ms(percentile(dashboards, 50)), null);
    report(`  … p95`, ms(percentile(dashboards, 95)), '≤ 150 ms');

    const server = await instance.serve();
    try {
      const result = await autocannon({ url: `${server.url}/api/v1/${LISTS[0]}`, headers, connections: CONNECTIONS, duration: LOAD_SECONDS });
      const failed = result.non2xx + result.errors;
      report(
        `list endpoint under autocannon, ${CONNECTIONS} connections for ${LOAD_SECONDS} s (${where}, ${scale}; p99 ${result.latency.p99} ms${failed ? `, ${failed} failed` : ''})`,
        `${Math.round(result.requests.average)}/s`,
        '≥ 1,500/s',
      );
    } finally {
      await server.stop();
    }
  } finally {
    await app.close();
    await instance.close();
  }
}
