import { Tokenizer, TokenType } from '@streamparser/json';
import { parse as parseCsv } from 'csv-parse/sync';
import { SaxesParser } from 'saxes';
import type { CsvOpening, JsonOpening, JsonStreamOpening, Opening, XmlOpening } from '../formats/format.js';

/**
 * Looks at the first part of an upload (never the whole) and says what container it is and what it opens with:
 * the top-level keys and scalars of a JSON document, the first record of a JSON stream, the root element of XML.
 */
export const SNIFF_BYTES = 256 * 1024;

/** The JSON parser's message, in a user's words: where (as a byte offset) and what. */
export function jsonErrorText(message: string): string {
  return message
    .replace(/ in state \w+$/, '')
    .replace(/at chunk position "\d+" \(absolute position "(\d+)"\)/, 'at byte $1')
    .replace(/at position "(\d+)"/, 'at byte $1');
}

/** A syntax error already visible in the opening. */
export interface Invalid {
  invalid: string;
}

function sniffJson(prefix: string): JsonOpening | JsonStreamOpening | Invalid | null {
  const tokenizer = new Tokenizer({ separator: '' });
  let depth = 0;
  let rootKind: 'object' | 'array' | null = null;
  let topValues = 0;
  let expectKey = false;
  let pendingKey: string | null = null;
  let firstElementDepth2Keys = true;
  let elementIndex = 0;
  let expectElementKey = false;
  let firstEnd = -1;
  const keys: string[] = [];
  const values: JsonOpening['values'] = {};
  const firstElementKeys: string[] = [];
  let syntaxError: string | null = null;
  tokenizer.onError = (error) => {
    syntaxError ??= error.message;
  };
  tokenizer.onToken = ({ token, value, offset }) => {
    const scalar = token === TokenType.STRING || token === TokenType.NUMBER || token === TokenType.TRUE || token === TokenType.FALSE || token === TokenType.NULL;
    if (depth === 0) {
      if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET || scalar) topValues++;
      if (topValues === 1 && rootKind === null) rootKind = token === TokenType.LEFT_BRACE ? 'object' : token === TokenType.LEFT_BRACKET ? 'array' : null;
    }
    if (depth === 1 && rootKind === 'object' && topValues === 1) {
      if (expectKey && token === TokenType.STRING) {
        pendingKey = String(value);
        keys.push(pendingKey);
        expectKey = false;
      } else if (pendingKey !== null && scalar) {
        values[pendingKey] = value as string | number | boolean | null;
        pendingKey = null;
      } else if (token === TokenType.COMMA) {
        expectKey = true;
      } else if (token !== TokenType.COLON) {
        pendingKey = null;
      }
    }
    if (depth === 1 && rootKind === 'array' && token === TokenType.COMMA) elementIndex++;
    if (depth === 2 && rootKind === 'array' && elementIndex === 0 && firstElementDepth2Keys) {
      if (expectElementKey && token === TokenType.STRING) {
        firstElementKeys.push(String(value));
        expectElementKey = false;
      } else if (token === TokenType.COMMA) {
        expectElementKey = true;
      }
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      depth++;
      if (depth === 1 && token === TokenType.LEFT_BRACE) expectKey = true;
      if (depth === 2 && rootKind === 'array' && elementIndex === 0 && token === TokenType.LEFT_BRACE) expectElementKey = true;
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) {
      depth--;
      if (depth === 1 && rootKind === 'array') firstElementDepth2Keys = false;
      if (depth === 0 && firstEnd < 0) firstEnd = offset + 1;
    }
  };
  try {
    tokenizer.write(prefix);
  } catch (error) {
    syntaxError ??= (error as Error).message;
  }
  if (syntaxError) return { invalid: jsonErrorText(String(syntaxError)) };
  if (rootKind === null) return null;
  if (topValues > 1 && firstEnd > 0) {
    try {
      // The tokenizer counts bytes, not UTF-16 units: cut the bytes.
      return { container: 'json-stream', first: JSON.parse(Buffer.from(prefix, 'utf8').subarray(0, firstEnd).toString('utf8')) };
    } catch {
      return null;
    }
  }
  return { container: 'json', rootKind, keys, values, firstElementKeys };
}

function sniffXml(prefix: string): XmlOpening | null {
  const parser = new SaxesParser({ xmlns: true });
  let opening: XmlOpening | null = null;
  parser.on('opentag', (tag) => {
    if (opening) return;
    const attributes: Record<string, string> = {};
    for (const [name, attr] of Object.entries(tag.attributes)) attributes[name] = typeof attr === 'string' ? attr : attr.value;
    opening = { container: 'xml', root: tag.local ?? tag.name, namespace: tag.uri ?? '', attributes };
  });
  parser.on('error', () => {});
  try {
    parser.write(prefix);
  } catch {
    // the real parse reports it
  }
  return opening;
}

function sniffCsv(prefix: string): CsvOpening | null {
  const firstLine = prefix.split(/\r?\n/, 1)[0] ?? '';
  try {
    const [header] = parseCsv(firstLine, { relax_quotes: true }) as string[][];
    if (!header || header.length < 2 || header.some((h) => !/^[\w .-]{1,64}$/.test(h.trim()))) return null;
    return { container: 'csv', header: header.map((h) => h.trim().toLowerCase()) };
  } catch {
    return null;
  }
}

/** null when the prefix is neither JSON, XML nor a CSV with a header line. */
export function sniff(prefix: string): Opening | Invalid | null {
  const start = prefix.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return sniffXml(start);
  if (start.startsWith('{') || start.startsWith('[')) return sniffJson(start);
  return sniffCsv(start);
}
