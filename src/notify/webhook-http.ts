import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AttemptResult } from './delivery-queue.js';
import { resolveWebhookUrl, UrlRefused, type ResolvedTarget } from './url-guard.js';

/** What of a failing receiver's answer is kept in the log. */
const RESPONSE_EXCERPT = 300;

/** Connects only to the addresses the guard checked: no second DNS answer can slip in between. */
function pinnedLookup(addresses: ResolvedTarget['addresses']): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

/**
 * POSTs a JSON body to a webhook URL. Redirects are not followed (a redirect could lead past the guard), and the
 * whole exchange — connect, send, response — must finish within the timeout, so a hanging receiver costs at most
 * that long.
 */
export async function postWebhook(rawUrl: string, body: string, headers: Record<string, string>, options: { allow: readonly string[]; timeoutMs: number }): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  let target: ResolvedTarget;
  try {
    target = await resolveWebhookUrl(rawUrl, options.allow);
  } catch (error) {
    if (!(error instanceof UrlRefused)) throw error;
    return { ok: false, statusCode: null, error: `URL refused: ${error.message}`, permanent: true, durationMs: elapsed() };
  }
  return new Promise((resolve) => {
    const client = target.url.protocol === 'https:' ? https : http;
    const request = client.request(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Vigil-Webhook', ...headers },
      lookup: pinnedLookup(target.addresses),
    });
    // The first outcome counts: a timeout, then the errors that destroying the request causes, report the timeout.
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const timer = setTimeout(() => {
      finish({ ok: false, statusCode: null, error: `no complete response within ${options.timeoutMs / 1000} s (VIGIL_WEBHOOK_TIMEOUT_SECONDS)` });
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error) => finish({ ok: false, statusCode: null, error: error.message }));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let excerpt = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (excerpt.length < RESPONSE_EXCERPT) excerpt += chunk;
      });
      response.on('error', (error) => finish({ ok: false, statusCode: status, error: error.message }));
      response.on('close', () => finish({ ok: false, statusCode: status, error: 'the connection closed before the response ended' }));
      response.on('end', () => {
        if (status >= 200 && status < 300) return finish({ ok: true, statusCode: status, error: null });
        const location = status >= 300 && status < 400 && response.headers.location ? ` (redirect to ${response.headers.location} not followed)` : '';
        const text = excerpt.slice(0, RESPONSE_EXCERPT).replace(/\s+/g, ' ').trim();
        finish({ ok: false, statusCode: status, error: `HTTP ${status}${location}${text ? `: ${text}` : ''}` });
      });
    });
    request.end(body);
  });
}
