import { JSONParser } from '@streamparser/json';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsv } from 'csv-parse';
import { SaxesParser } from 'saxes';
import { UNKNOWN_SCANNER } from '../model.js';
import type { Opening, Overrides, ReadResult, ReportFormat, ReportReader, XmlElement } from '../formats/format.js';
import { FORMATS } from '../formats/registry.js';
import { pointerSegment, ReportError } from '../formats/report-error.js';
import { jsonErrorText, sniff, SNIFF_BYTES } from './sniff.js';

/**
 * Reads an uploaded report as it arrives. The first part is sniffed to pick the format; then the document is
 * tokenised chunk by chunk and only the values the format asked for are materialised, so a report of hundreds of
 * megabytes never sits in memory whole.
 */
export interface ReadLimits {
  maxBytes: number;
  maxFindings: number;
}

export type { Overrides };

export interface ParsedReport extends ReadResult {
  format: string;
}

/** Over a configured limit: the upload is refused as too large, not as malformed. */
export class ReportLimitError extends Error {}

type Chunk = Uint8Array | string;

function matcher(path: string, container: 'json' | 'xml'): (keys: (string | number)[]) => boolean {
  const segments = container === 'json' ? path.replace(/^\$\.?/, '').split('.').filter(Boolean) : path.split('/');
  return (keys) => keys.length === segments.length && segments.every((s, i) => s === '*' || s === String(keys[i]));
}

function describe(opening: Opening): string {
  if (opening.container === 'csv') return `a CSV file with columns ${opening.header.join(', ')}`;
  if (opening.container === 'xml') return `an XML document with root <${opening.root}>`;
  if (opening.container === 'json-stream') return 'a stream of JSON values';
  return opening.rootKind === 'array' ? 'a JSON array' : `a JSON object with keys ${opening.keys.slice(0, 8).join(', ') || '(none)'}`;
}

export async function readReport(source: AsyncIterable<Chunk>, limits: ReadLimits, overrides: Overrides, formats: readonly ReportFormat[] = FORMATS): Promise<ParsedReport> {
  const iterator = source[Symbol.asyncIterator]();
  let bytes = 0;
  const count = (chunk: Chunk) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (bytes > limits.maxBytes) throw new ReportLimitError(`the report is larger than ${limits.maxBytes} bytes (the configured limit)`);
    return chunk;
  };
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = count(next.value);
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    head.push(buffer);
    headBytes += buffer.length;
  }
  const prefix = Buffer.concat(head).toString('utf8');
  if (prefix.trim() === '') throw new ReportError('', 'the report is empty');
  const opening = sniff(prefix);
  if (!opening) throw new ReportError('', 'a report must be JSON, JSON Lines, XML or CSV with a header line; this is none of them');
  if ('invalid' in opening) throw new ReportError('', `not valid JSON: ${opening.invalid}`);
  if (overrides.format && !formats.some((f) => f.id === overrides.format)) {
    throw new ReportError('', `"${overrides.format}" is not a format Vigil reads (known: ${formats.map((f) => f.id).join(', ')})`);
  }
  const named = overrides.format ? formats.find((f) => f.id === overrides.format && f.container === opening.container) : undefined;
  if (overrides.format && !named) throw new ReportError('', `this upload is ${describe(opening)}, which is not how ${overrides.format} reports look`);
  let format = named ?? formats.find((f) => f.container === opening.container && f.detect(opening));
  let asStream = opening.container === 'json-stream';
  // A JSON-lines report of one line (a clean `yarn audit` is just its summary) looks like a plain JSON object.
  if (!format && opening.container === 'json' && opening.rootKind === 'object' && ended) {
    let first: unknown;
    try {
      first = JSON.parse(prefix);
    } catch {
      throw new ReportError('', `not valid JSON: the document ends early after ${headBytes} bytes (truncated?)`);
    }
    format = formats.find((f) => f.container === 'json-stream' && f.detect({ container: 'json-stream', first }));
    asStream = format !== undefined;
  }
  if (!format) {
    const known = formats.filter((f) => f.container === opening.container).map((f) => f.name);
    throw new ReportError('', `not a known report format: ${describe(opening)} matches none of ${known.join(', ')}`);
  }
  const reader = format.reader();

  async function* rest(): AsyncGenerator<Buffer | Chunk> {
    yield* head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield count(next.value);
    }
  }

  let findings = 0;
  const counted = () => {
    if (++findings > limits.maxFindings) throw new ReportLimitError(`the report has more than ${limits.maxFindings} findings (the configured limit)`);
  };
  if (opening.container === 'xml') await streamXml(rest(), reader, counted);
  else if (opening.container === 'csv') await streamCsv(rest(), reader, counted);
  else await streamJson(rest(), reader, counted, asStream);
  return { format: format.id, ...withOverrides(reader.finish(), overrides) };
}

/**
 * Runs readReport and, however it ends, lets go of the source: the caller decides what happens to the rest of an
 * upload that was refused half-way (drain it, so the answer still reaches the client).
 */
export async function readAll(source: AsyncIterableIterator<Chunk>, limits: ReadLimits, overrides: Overrides): Promise<ParsedReport> {
  try {
    return await readReport({ [Symbol.asyncIterator]: () => source }, limits, overrides);
  } finally {
    await source.return?.();
  }
}

/** The uploader's `scanner` / `report_type` win over what the report says, for every finding and for the scope. */
function withOverrides(result: ReadResult, overrides: Overrides): ReadResult {
  const scanner = overrides.scanner ? { id: overrides.scanner.toLowerCase().replace(/\s+/g, '_'), name: overrides.scanner, version: null, vendor: null } : null;
  const reportType = overrides.reportType;
  const scanners = scanner ? [scanner] : result.scanners.length > 0 ? result.scanners : [UNKNOWN_SCANNER];
  return {
    formatVersion: result.formatVersion,
    scanners,
    reportTypes: reportType ? [reportType] : result.reportTypes,
    ...(result.targets && { targets: result.targets }),
    findings: result.findings.map((f) => ({ ...f, ...(scanner && { scanner }), ...(reportType && { reportType }) })),
  };
}

async function streamJson(chunks: AsyncIterable<Chunk>, reader: ReportReader, counted: () => void, stream: boolean): Promise<void> {
  const elements = reader.elementPaths.map((p) => matcher(p, 'json'));
  const parser = stream
    ? new JSONParser({ separator: '', paths: ['$'], keepStack: false })
    : new JSONParser({ paths: [...reader.elementPaths, ...reader.headerPaths], keepStack: false });
  // The parser reports some failures (a document that ends mid-value) through onError rather than by throwing.
  let failure: Error | null = null;
  let record = 0;
  let bytes = 0;
  parser.onError = (error) => {
    failure ??= error;
  };
  parser.onValue = ({ value, key, stack }) => {
    if (stream) {
      if (stack.length > 0) return;
      const index = record++;
      counted();
      reader.take([index], value, `/${index}`);
      return;
    }
    const keys = [...stack.slice(1).map((s) => s.key as string | number), ...(key === undefined ? [] : [key])];
    if (elements.some((m) => m(keys))) counted();
    reader.take(keys, value, keys.map((k) => `/${pointerSegment(k)}`).join(''));
  };
  try {
    for await (const chunk of chunks) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      parser.write(chunk);
      if (failure) throw failure;
    }
    if (!parser.isEnded) parser.end();
    if (failure) throw failure;
  } catch (error) {
    if (error instanceof ReportError || error instanceof ReportLimitError) throw error;
    const message = jsonErrorText((error as Error).message);
    throw new ReportError('', `not valid JSON: ${/ended|end of|incomplete/i.test(message) ? `the document ends early after ${bytes} bytes (truncated?)` : message}`);
  }
}

async function streamXml(chunks: AsyncIterable<Chunk>, reader: ReportReader, counted: () => void): Promise<void> {
  const elements = reader.elementPaths.map((p) => matcher(p, 'xml'));
  const wanted = [...reader.elementPaths, ...reader.headerPaths].map((p) => matcher(p, 'xml'));
  const parser = new SaxesParser({ xmlns: true, position: true });
  const open: { name: string; attributes: Record<string, string> }[] = [];
  const seen = new Map<string, number>();
  let capture: { root: XmlElement; stack: XmlElement[]; depth: number } | null = null;
  let failure: Error | null = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attr] of Object.entries(tag.attributes)) attributes[(typeof attr === 'string' ? name : attr.local) || name] = typeof attr === 'string' ? attr : attr.value;
    const name = tag.local ?? tag.name;
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (capture) {
      capture.stack.at(-1)!.children.push(element);
      capture.stack.push(element);
    } else if (wanted.some((m) => m([...open.map((o) => o.name), name]))) {
      capture = { root: element, stack: [element], depth: open.length };
    }
    open.push({ name, attributes });
  });
  const addText = (text: string) => {
    if (capture) capture.stack.at(-1)!.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const closing = open.pop()!;
    if (!capture) return;
    const element = capture.stack.pop()!;
    element.text = element.text.trim();
    if (capture.stack.length > 0) return;
    const keys = [...open.map((o) => o.name), closing.name];
    const path = keys.join('/');
    const index = seen.get(path) ?? 0;
    seen.set(path, index + 1);
    capture = null;
    if (elements.some((m) => m(keys))) counted();
    reader.take(keys, element, `/${path}[${index + 1}]`, [...open]);
  });
  // A multi-byte character may straddle two chunks: decode across them.
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of chunks) {
      parser.write(typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      if (failure) throw failure;
    }
    parser.write(decoder.end());
    // Unclosed elements at the end mean a cut-off upload: say so before saxes' generic "unclosed tag".
    if (open.length > 0) throw new Error(`the document ends early inside <${open.at(-1)!.name}> (truncated?)`);
    parser.close();
    if (failure) throw failure;
  } catch (error) {
    if (error instanceof ReportError || error instanceof ReportLimitError) throw error;
    throw new ReportError('', `not valid XML: ${(error as Error).message}`);
  }
}

async function streamCsv(chunks: AsyncIterable<Chunk>, reader: ReportReader, counted: () => void): Promise<void> {
  const parser = parseCsv({ columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true });
  const feed = (async () => {
    // A rejected row destroys the parser: stop waiting for a drain that will never come.
    for await (const chunk of chunks) {
      if (parser.destroyed) return;
      if (!parser.write(chunk)) await new Promise((r) => (parser.once('drain', r), parser.once('close', r)));
    }
    parser.end();
  })();
  try {
    let row = 1;
    for await (const record of parser) {
      row++;
      counted();
      reader.take([row], record, `/${row}`);
    }
    await feed;
  } catch (error) {
    parser.destroy();
    await feed.catch(() => {});
    if (error instanceof ReportError || error instanceof ReportLimitError) throw error;
    throw new ReportError('', `not valid CSV: ${(error as Error).message}`);
  }
}
