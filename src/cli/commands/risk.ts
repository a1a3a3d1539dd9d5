import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../platform/errors.js';
import { OPEN_STATES } from '../../vulns/triage-states.js';
import { locationText, table } from '../format.js';
import { callApi, remoteFromEnv, withQuery } from '../remote.js';
import type { Io } from './admin.js';

interface RankedJson {
  id: number;
  project_path: string;
  title: string;
  severity: string;
  location: Record<string, unknown>;
  risk: { score: number; cvss_score: number | null; epss: number | null; epss_percentile: number | null; kev: boolean; ssvc: string | null };
}

const MAX = 500;

function limitOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX) throw new InvalidArgumentError(`Give a whole number from 1 to ${MAX}`);
  return n;
}

/** The evidence behind a rank in a few characters: KEV first, then EPSS, then CVSS. */
export function whyText(risk: RankedJson['risk']): string {
  const parts: string[] = [];
  if (risk.kev) parts.push('KEV');
  if (risk.epss !== null) parts.push(`EPSS ${(risk.epss * 100).toFixed(1)}%${risk.epss_percentile !== null ? ` p${Math.floor(risk.epss_percentile * 100)}` : ''}`);
  if (risk.cvss_score !== null) parts.push(`CVSS ${risk.cvss_score.toFixed(1)}`);
  return parts.join(', ') || '-';
}

export function registerRiskCommands(program: Command, io: Io): void {
  program
    .command('risk')
    .description('risk on VIGIL_URL')
    .command('top')
    .description('the fix-first list: open vulnerabilities of a group (or project) in risk order, with the evidence')
    .option('--group <path>', 'full path of a group: every project below it')
    .option('--project <path>', 'full path of one project')
    .option('--limit <n>', `how many (1–${MAX}, default 20)`, limitOf)
    .option('--json', 'print one JSON object a line', false)
    .action(async (opts: { group?: string; project?: string; limit?: number; json: boolean }) => {
      if (Boolean(opts.group) === Boolean(opts.project)) throw new AppError('validation', 'give either --group or --project');
      const base = opts.group ? `/api/v1/groups/${encodeURIComponent(opts.group)}` : `/api/v1/projects/${encodeURIComponent(opts.project!)}`;
      const page = await callApi<{ items: RankedJson[] }>(remoteFromEnv(process.env), 'GET', withQuery(`${base}/vulnerabilities`, { sort: 'risk', state: OPEN_STATES.join(','), limit: opts.limit ?? 20 }));
      if (opts.json) {
        io.out(page.items.map((v) => `${JSON.stringify(v)}\n`).join(''));
        return;
      }
      if (page.items.length === 0) {
        io.out('no open vulnerabilities\n');
        return;
      }
      const rows = page.items.map((v, i) => [String(i + 1), v.risk.score.toFixed(2), v.risk.ssvc ?? '-', v.severity, whyText(v.risk), v.project_path, String(v.id), `${v.title} (${locationText(v.location)})`]);
      io.out(table([['#', 'RISK', 'SSVC', 'SEVERITY', 'EVIDENCE', 'PROJECT', 'ID', 'VULNERABILITY'], ...rows]));
    });
}
