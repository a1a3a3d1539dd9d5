import type { Command } from 'commander';
import { consoleActor } from '../../platform/audit/actor.js';
import { AppError } from '../../platform/errors.js';
import { FeedError } from '../../risk/feeds/feed-error.js';
import { importEpss } from '../../risk/feeds/import-epss.js';
import { importKev } from '../../risk/feeds/import-kev.js';
import type { FeedImport } from '../../risk/feeds/imports.js';
import { FEEDS, feedStatus } from '../../risk/feeds/status.js';
import { table } from '../format.js';
import { withServices, type Io } from './admin.js';

/**
 * Threat-intelligence feeds on this installation's database. Importing from a file is the way in for an instance
 * without internet access: download FIRST's EPSS CSV and CISA's KEV JSON elsewhere and bring them over.
 */
export function registerFeedCommands(program: Command, io: Io): void {
  const feeds = program.command('feeds').description('EPSS and KEV threat-intelligence feeds on this installation');

  feeds
    .command('import')
    .description('import a feed file or URL (gzip is detected); bad rows are skipped and listed, a wrong file is refused and the data in use stays')
    .argument('<feed>', `one of: ${FEEDS.join(', ')}`)
    .argument('<source>', 'a file path or an http(s) URL, e.g. https://epss.empiricalsecurity.com/epss_scores-current.csv.gz')
    .option('--allow-model-change', 'EPSS: accept a file from a different EPSS model than the one in use', false)
    .option('--json', 'print the import record as JSON', false)
    .action(async (feed: string, source: string, opts: { allowModelChange: boolean; json: boolean }) => {
      if (feed !== 'epss' && feed !== 'kev') throw new AppError('validation', `<feed>: "${feed}" is not a feed (${FEEDS.join(', ')})`);
      const options = { actor: consoleActor(`feeds import ${feed}`).name, allowModelChange: opts.allowModelChange };
      const result = await withServices(async (svc) => {
        try {
          return await (feed === 'epss' ? importEpss(svc, source, options) : importKev(svc, source, options));
        } catch (error) {
          if (error instanceof FeedError) throw new AppError('validation', `${feed} not imported: ${error.message}`);
          throw error;
        }
      });
      io.out(opts.json ? `${JSON.stringify(result)}\n` : importSummary(result));
      if (!opts.json) for (const s of result.skipped) io.err(`skipped ${s.where}: ${s.reason}\n`);
      if (result.skippedCount > result.skipped.length) io.err(`… and ${result.skippedCount - result.skipped.length} more skipped\n`);
    });

  feeds
    .command('status')
    .description('the snapshot in use for each feed, how old it is, and the last import attempt')
    .action(async () => {
      const statuses = await withServices((svc) => Promise.all(FEEDS.map((f) => feedStatus(svc, f))));
      const rows = statuses.map((s) => [
        s.feed,
        s.current ? (s.current.modelVersion ?? s.current.catalogVersion ?? '-') : 'never imported',
        s.current?.publishedAt ?? '-',
        s.ageHours === null ? '-' : `${Math.round(s.ageHours)} h${s.stale ? ' (stale)' : ''}`,
        s.current ? String(s.current.rows) : '-',
        s.lastAttempt?.status === 'rejected' ? `rejected: ${s.lastAttempt.error}` : (s.lastAttempt?.status ?? '-'),
      ]);
      io.out(table([['FEED', 'VERSION', 'PUBLISHED', 'AGE', 'ROWS', 'LAST ATTEMPT'], ...rows]));
    });
}

function importSummary(i: FeedImport): string {
  const version = i.feed === 'epss' ? `model ${i.modelVersion}, scores of ${i.publishedAt}` : `catalog ${i.catalogVersion}, released ${i.publishedAt}`;
  if (i.status === 'unchanged') return `${i.feed}: already up to date (${version})\n`;
  const counts = Object.entries(i.counts).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${i.feed}: imported ${i.rows} rows (${version}); skipped ${i.skippedCount}; ${counts}\n`;
}
