import type { Problem } from '../platform/http/problem.js';
import { UPLOAD_LENGTH } from '../platform/http/upload-length.js';

/**
 * Remote commands talk to a running Vigil over its API, configured by VIGIL_URL and VIGIL_TOKEN, exactly as
 * a CI job would.
 */
export interface Remote {
  url: URL;
  token: string;
}

export class RemoteError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly problem: Problem | null = null,
  ) {
    super(message);
  }
}

export function remoteFromEnv(env: Record<string, string | undefined>): Remote {
  const url = env.VIGIL_URL?.trim();
  const token = env.VIGIL_TOKEN?.trim();
  if (!url) throw new RemoteError('VIGIL_URL is not set (for example VIGIL_URL=https://vigil.example.com)', null);
  if (!token) throw new RemoteError('VIGIL_TOKEN is not set (create one with `vigil tokens create` or in your profile)', null);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RemoteError(`VIGIL_URL "${url}" is not a URL`, null);
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) throw new RemoteError(`VIGIL_URL must be http:// or https://, got "${url}"`, null);
  return { url: parsed, token };
}

/** A request body streamed to the server (a scanner report), never held in memory as a whole. */
export interface StreamBody {
  contentType: string;
  chunks: AsyncIterable<Uint8Array>;
  /** The size when known: a streamed request has no Content-Length, and the server decides by size where it ingests. */
  length?: number;
}

export async function callApi<T>(remote: Remote, method: string, path: string, body?: unknown): Promise<T> {
  if (body === undefined) return send<T>(remote, method, path, {});
  return send<T>(remote, method, path, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Sends `body` as it is read (HTTP request streaming), for uploads that may be larger than memory. */
export async function streamToApi<T>(remote: Remote, method: string, path: string, body: StreamBody): Promise<T> {
  const headers: Record<string, string> = { 'content-type': body.contentType, ...(body.length !== undefined && { [UPLOAD_LENGTH]: String(body.length) }) };
  return send<T>(remote, method, path, { headers, body: body.chunks, duplex: 'half' });
}

/** `path` with the defined parameters as its query string. */
export function withQuery(path: string, params: Record<string, string | number | boolean | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** GET a text resource (a Markdown export). */
export async function callApiText(remote: Remote, path: string): Promise<string> {
  return send<string>(remote, 'GET', path, {}, 'text');
}

async function send<T>(remote: Remote, method: string, path: string, init: { headers?: Record<string, string>; body?: string | AsyncIterable<Uint8Array>; duplex?: 'half' }, as: 'json' | 'text' = 'json'): Promise<T> {
  const target = new URL(path.replace(/^\//, ''), remote.url.href.endsWith('/') ? remote.url : `${remote.url.href}/`);
  let response: Response;
  try {
    response = await fetch(target, { ...init, method, headers: { authorization: `Bearer ${remote.token}`, ...init.headers } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; errors?: { code?: string }[]; message?: string } }).cause;
    const reason = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
    throw new RemoteError(`cannot reach Vigil at ${remote.url.href} (${reason})`, null);
  }
  const text = await response.text();
  if (!response.ok) {
    let problem: Problem | null = null;
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      // not a problem document: report the status alone
    }
    throw new RemoteError(problem?.detail ?? `HTTP ${response.status}`, response.status, problem);
  }
  if (as === 'text') return text as T;
  return (text ? JSON.parse(text) : null) as T;
}
