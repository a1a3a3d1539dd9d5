import { Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import { loadConfig, ConfigError } from '../platform/config.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { openDatabase } from '../platform/db/connect.js';
import { AppError } from '../platform/errors.js';
import { VERSION } from '../platform/version.js';
import { registerAdminCommands, type Io } from './commands/admin.js';
import { registerFeedCommands } from './commands/feeds.js';
import { registerRemoteCommands } from './commands/remote.js';
import { registerRiskCommands } from './commands/risk.js';
import { ExitCode, exitCodeFor, exitCodeHelp } from './exit-codes.js';
import { RemoteError } from './remote.js';

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

function buildProgram(io: Io): Command {
  const program = new Command('vigil')
    .description('Vigil: security risk management. Local commands act on this installation\'s database (VIGIL_DATA_DIR or DATABASE_URL); remote ones on VIGIL_URL with VIGIL_TOKEN.')
    .version(VERSION)
    .addHelpText('after', `\n${exitCodeHelp}`)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('serve')
    .description('run the API and web server and the background worker (migrates the database first)')
    .option('--port <port>', 'port to listen on (default: PORT or 8080)')
    .option('--host <host>', 'address to listen on (default: HOST or 0.0.0.0)')
    .addOption(new Option('--role <role>', 'api: HTTP only; worker: queued and scheduled jobs only; all: both (PostgreSQL needed for api and worker)').choices(['all', 'api', 'worker']).default('all'))
    .action(async (opts: { port?: string; host?: string; role: 'all' | 'api' | 'worker' }) => {
      const env = { ...process.env, ...(opts.port && { PORT: opts.port }), ...(opts.host && { HOST: opts.host }) };
      // Loaded on demand: the HTTP stack is not needed by the quick local commands.
      const { serve } = await import('../platform/server.js');
      await serve(loadConfig(env), opts.role);
      await new Promise(() => {}); // serve until a signal closes the process
    });

  program
    .command('migrate')
    .description('bring the database schema up to date and exit')
    .action(async () => {
      const db = openDatabase(loadConfig());
      try {
        const applied = await migrateToLatest(db);
        io.out(applied.length > 0 ? `applied ${applied.join(', ')} to ${db.describe}\n` : `${db.describe} is up to date\n`);
      } finally {
        await db.close();
      }
    });

  program
    .command('backup')
    .description('copy the SQLite database to a new file while Vigil runs (online backup); on PostgreSQL use pg_dump')
    .requiredOption('--to <file>', 'the new file (must not exist)')
    .action(async (opts: { to: string }) => {
      const config = loadConfig();
      if (config.databaseUrl) throw new AppError('validation', 'vigil backup copies the embedded SQLite database; for PostgreSQL use pg_dump --format=custom (docs/deploy.md)');
      const { backupSqlite } = await import('../platform/db/backup.js');
      const source = path.join(config.dataDir, 'vigil.db');
      const copy = await backupSqlite(source, path.resolve(opts.to));
      io.out(`backed up ${source} to ${path.resolve(opts.to)} (${copy.pages} pages, ${copy.bytes} bytes)\n`);
    });

  registerAdminCommands(program, io);
  registerRemoteCommands(program, io);
  registerFeedCommands(program, io);
  registerRiskCommands(program, io);

  program
    .command('formats')
    .description('list the report formats Vigil detects and how each is recognised')
    .option('--json', 'print one JSON object a line', false)
    .action(async (opts: { json: boolean }) => {
      // Loaded on demand, like serve: quick commands should not pay for the parsers.
      const { formatList } = await import('../vulns/routes/formats.js');
      for (const f of formatList()) {
        io.out(opts.json ? `${JSON.stringify(f)}\n` : `${f.id.padEnd(18)} ${f.name} — ${f.detection}\n`);
      }
    });

  const everywhere = (command: Command): void => {
    command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
    command.commands.forEach(everywhere);
  };
  everywhere(program);
  return program;
}

/** Runs the CLI and returns its exit code; errors are printed as one clear line. */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code) ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof AppError) {
      io.err(`vigil: ${error.message.replace(/^body\//, '')}\n`);
      return exitCodeFor(error.kind);
    }
    if (error instanceof ConfigError) {
      io.err(`vigil: configuration: ${error.message}\n`);
      return ExitCode.usage;
    }
    if (error instanceof RemoteError) {
      io.err(`vigil: ${error.message}\n`);
      if (error.status === null) return error.message.startsWith('cannot reach') ? ExitCode.unreachable : ExitCode.usage;
      return error.problem ? exitCodeFor((error.problem.type.split(':').pop() ?? 'internal') as never) : ExitCode.failure;
    }
    io.err(`vigil: ${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.failure;
  }
}
