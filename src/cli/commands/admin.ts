import type { Command } from 'commander';
import { consoleActor } from '../../platform/audit/actor.js';
import { createApiToken, parseExpiry } from '../../platform/auth/api-tokens.js';
import { generatePassword } from '../../platform/auth/passwords.js';
import { parseScopes } from '../../platform/auth/roles.js';
import { createUser, resolveUser } from '../../platform/auth/users.js';
import { loadConfig } from '../../platform/config.js';
import type { Services } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { createGroup, resolveGroup } from '../../platform/namespaces/groups.js';
import { segmentProblem } from '../../platform/namespaces/paths.js';
import { createProject } from '../../platform/namespaces/projects.js';
import { openServices } from '../../platform/services.js';
import pino from 'pino';

/**
 * Commands that work directly on the database of this installation (the server's own console), for setting up
 * an instance before anyone can sign in. They migrate first, so they work on a brand-new data directory.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

export async function withServices<T>(work: (svc: Services) => Promise<T>): Promise<T> {
  const svc = await openServices(loadConfig(), { log: pino({ level: 'warn' }, pino.destination(2)) });
  try {
    return await work(svc);
  } finally {
    await svc.close();
  }
}

function splitParent(fullPath: string): { parent: string | null; leaf: string } {
  const trimmed = fullPath.replace(/^\/+|\/+$/g, '');
  for (const segment of trimmed.split('/')) {
    const problem = segmentProblem(segment);
    if (problem) throw invalid('<path>', `"${segment}" ${problem}`);
  }
  const at = trimmed.lastIndexOf('/');
  return at < 0 ? { parent: null, leaf: trimmed } : { parent: trimmed.slice(0, at), leaf: trimmed.slice(at + 1) };
}

export function registerAdminCommands(program: Command, io: Io): void {
  const users = program.command('users').description('manage users on this installation');
  users
    .command('create')
    .description('create a user; prints a generated password unless --password-stdin is given')
    .requiredOption('--username <name>', 'login name')
    .option('--admin', 'make the user an instance administrator', false)
    .option('--password-stdin', 'read the password from standard input', false)
    .option('--display-name <name>', 'name shown in the UI')
    .option('--email <address>', 'e-mail address for notifications')
    .action(async (opts: { username: string; admin: boolean; passwordStdin: boolean; displayName?: string; email?: string }) => {
      const password = opts.passwordStdin ? (await io.readStdin()).replace(/\r?\n$/, '') : generatePassword();
      const user = await withServices((svc) =>
        createUser(svc, consoleActor('users create'), {
          username: opts.username,
          password,
          isAdmin: opts.admin,
          ...(opts.displayName && { displayName: opts.displayName }),
          ...(opts.email && { email: opts.email }),
        }),
      );
      io.out(`created ${user.isAdmin ? 'administrator' : 'user'} ${user.username} (id ${user.id})\n`);
      if (!opts.passwordStdin) io.out(`password: ${password}\n`);
    });

  program
    .command('tokens')
    .description('manage API tokens on this installation')
    .command('create')
    .description('create an API token for a user and print it (only the token, so it can be captured)')
    .requiredOption('--username <name>', 'owner of the token')
    .requiredOption('--scopes <list>', 'comma-separated: read, write, admin')
    .option('--expires-in <duration>', 'lifetime such as 30d, 12h, 2w, or an ISO date')
    .option('--name <name>', 'what the token is for', 'cli')
    .action(async (opts: { username: string; scopes: string; expiresIn?: string; name: string }) => {
      const scopes = parseScopes(opts.scopes);
      if ('error' in scopes) throw invalid('--scopes', scopes.error);
      const token = await withServices(async (svc) => {
        const expiresAt = opts.expiresIn === undefined ? null : parseExpiry(opts.expiresIn, svc.clock.now());
        if (expiresAt && !(expiresAt instanceof Date)) throw invalid('--expires-in', expiresAt.error);
        const user = await resolveUser(svc, opts.username);
        return (await createApiToken(svc, consoleActor('tokens create'), user, { name: opts.name, scopes: scopes.scopes, expiresAt })).token;
      });
      io.out(`${token}\n`);
    });

  program
    .command('groups')
    .description('manage groups on this installation')
    .command('create')
    .argument('<path>', 'full path, e.g. acme or acme/platform (the parent must exist)')
    .option('--name <name>', 'display name (defaults to the last path segment)')
    .description('create a group or subgroup')
    .action(async (fullPath: string, opts: { name?: string }) => {
      const { parent, leaf } = splitParent(fullPath);
      const group = await withServices(async (svc) =>
        createGroup(svc, consoleActor('groups create'), parent ? await resolveGroup(svc, parent) : null, { path: leaf, ...(opts.name && { name: opts.name }) }),
      );
      io.out(`created group ${group.fullPath} (id ${group.id})\n`);
    });

  program
    .command('projects')
    .description('manage projects on this installation')
    .command('create')
    .argument('<path>', 'full path, e.g. acme/platform/api (the group must exist)')
    .option('--default-branch <branch>', 'the branch whose scans count as "the" state of the project', 'main')
    .option('--name <name>', 'display name (defaults to the last path segment)')
    .description('create a project in an existing group')
    .action(async (fullPath: string, opts: { defaultBranch: string; name?: string }) => {
      const { parent, leaf } = splitParent(fullPath);
      if (!parent) throw invalid('<path>', 'a project lives in a group: give group/project');
      const project = await withServices(async (svc) =>
        createProject(svc, consoleActor('projects create'), await resolveGroup(svc, parent), {
          path: leaf,
          defaultBranch: opts.defaultBranch,
          ...(opts.name && { name: opts.name }),
        }),
      );
      io.out(`created project ${project.fullPath} (id ${project.id}, default branch ${project.defaultBranch})\n`);
    });
}
