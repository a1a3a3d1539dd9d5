import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { FeedError } from './feed-error.js';

export interface SourceLimits {
  /** Bytes after decompression: a gzip bomb or a wrong URL stops here, not at the end of the disk. */
  maxBytes: number;
  timeoutMs: number;
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** The source as recorded: a URL without any credentials in it. */
export function sourceLabel(source: string): string {
  try {
    const url = new URL(source);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      url.username = '';
      url.password = '';
      return url.toString();
    }
  } catch {
    // Not a URL: a file path.
  }
  return source;
}

/** The bytes of a feed from a file or an http(s) URL, gunzipped when they start with the gzip magic number. */
export async function* feedBytes(source: string, limits: SourceLimits): AsyncGenerator<Buffer> {
  const label = sourceLabel(source);
  const raw = isUrl(source) ? await download(source, label, limits.timeoutMs) : openFile(source);
  let total = 0;
  try {
    for await (const chunk of gunzipIfNeeded(raw)) {
      total += chunk.length;
      if (total > limits.maxBytes) throw new FeedError(label, `larger than the limit of ${limits.maxBytes} bytes (VIGIL_MAX_FEED_BYTES)`);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new FeedError(label, `could not be read: ${(error as Error).message}`);
  }
}

function openFile(path: string): AsyncIterable<Buffer> {
  try {
    const stat = fs.statSync(path);
    if (!stat.isFile()) throw new FeedError(path, 'is not a file');
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new FeedError(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
  return fs.createReadStream(path);
}

async function download(url: string, label: string, timeoutMs: number): Promise<AsyncIterable<Buffer>> {
  // fetch refuses credentials in the URL (a mirror behind basic auth): they travel as a header instead.
  const target = new URL(url);
  const headers: Record<string, string> = {};
  if (target.username || target.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  let response: Response;
  try {
    response = await fetch(target, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: Error }).cause?.message;
    throw new FeedError(label, `download failed: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
  }
  if (!response.ok || !response.body) throw new FeedError(label, `download failed: HTTP ${response.status} ${response.statusText}`);
  return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
}

async function* gunzipIfNeeded(raw: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = raw[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head: Buffer = first.value;
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* all();
    return;
  }
  const gunzip = zlib.createGunzip();
  const input = Readable.from(all());
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    throw new Error(`not a valid gzip file: ${(error as Error).message}`);
  } finally {
    input.destroy();
  }
}

export interface Line {
  number: number;
  text: string;
  /** False for a last line without a line break: the file may have been cut off there. */
  complete: boolean;
}

/** Splits bytes into lines (LF or CRLF), numbered from 1, a chunk's worth at a time (a promise per line is slow). */
export async function* linesOf(bytes: AsyncIterable<Buffer>): AsyncGenerator<Line[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let number = 0;
  for await (const chunk of bytes) {
    pending += decoder.decode(chunk, { stream: true });
    const batch: Line[] = [];
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      const line = pending.slice(start, end);
      batch.push({ number: ++number, text: line.endsWith('\r') ? line.slice(0, -1) : line, complete: true });
      start = end + 1;
    }
    pending = pending.slice(start);
    if (batch.length > 0) yield batch;
  }
  pending += decoder.decode();
  if (pending.length > 0) yield [{ number: ++number, text: pending, complete: false }];
}
