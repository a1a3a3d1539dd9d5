import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The web app's build output if it has been built, else the placeholder page. */
export function webRoot(configured: string | null): string {
  if (configured) return path.resolve(configured);
  const built = path.join(packageRoot, 'web', 'dist');
  return fs.existsSync(path.join(built, 'index.html')) ? built : path.join(packageRoot, 'web', 'placeholder');
}

/**
 * Serves the single-page app: real files as they are, every other non-API path as index.html so client-side
 * routes survive a reload. API paths never fall back to HTML.
 */
export async function webRoutes(app: FastifyInstance, options: { root: string }): Promise<void> {
  const root = options.root;
  await app.register(fastifyStatic, { root, serve: false });
  const isFile = (relative: string) => {
    const full = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`);
    return full.startsWith(root + path.sep) && fs.statSync(full, { throwIfNoEntry: false })?.isFile() === true ? full : null;
  };
  app.get('/*', { config: { access: { who: 'public' } }, schema: { hide: true } }, async (request, reply) => {
    const wanted = decodeURIComponent((request.params as { '*': string })['*']);
    if (wanted.startsWith('api/')) throw notFound(`no route GET /${wanted}`);
    const file = isFile(wanted);
    if (file) return reply.sendFile(path.relative(root, file));
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
