/**
 * Text helpers shared by the web (DAST) scanner formats, ZAP and Nuclei: HTML fragments to text, the URLs in a
 * text, and the origin and path of a URL. (Their text fields, which may be written as numbers, are read with
 * json-read.ts's `scalarText`.)
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Tags whose end is a line break: paragraphs, line breaks, list items, table rows, headings, divs. */
const BLOCK_END = /<\/(?:p|div|li|tr|h[1-6]|ul|ol|pre|blockquote)\s*>|<br\s*\/?>/gi;
const BLOCK_START = /<(?:p|div|li|tr|h[1-6]|ul|ol|pre|blockquote)(?:\s[^>]*)?>/gi;
/** A tag: `<name …>`, `</name>`, `<!-- … -->`. A `<` not followed by a letter, `/` or `!` is text. */
const TAG = /<!--[\s\S]*?-->|<\/?[a-z][^>]*>/gi;
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]+));/gi;

function decodeEntity(whole: string, decimal: string | undefined, hex: string | undefined, name: string | undefined): string {
  if (decimal !== undefined || hex !== undefined) {
    const code = decimal !== undefined ? Number(decimal) : parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  }
  return NAMED_ENTITIES[name!.toLowerCase()] ?? whole;
}

/**
 * Plain text out of the small HTML fragments scanners put in text fields (ZAP's `desc`, `solution`,
 * `reference` are `<p>…</p>` paragraphs): block ends become line breaks, every other tag is dropped, entities are
 * decoded, runs of blank lines are squeezed. Not an HTML parser — it is for short, well-formed fragments, and
 * text without any tag or entity comes back as given (trimmed).
 */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return html.trim();
  const text = html
    .replace(BLOCK_END, '\n')
    .replace(BLOCK_START, '\n')
    .replace(TAG, '')
    .replace(ENTITY, decodeEntity)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
  return text.trim();
}

/** The http(s) URLs in a text, in order, without repeats (ZAP's `reference`: one URL per paragraph). */
export function urlsIn(text: string): string[] {
  const urls = (text.match(/https?:\/\/[^\s<>"]+/gi) ?? []).map(trimUrlEnd);
  return [...new Set(urls)];
}

/** Sentence punctuation after a URL is not part of it; nor is a `)` that closes a parenthesis opened before it. */
function trimUrlEnd(url: string): string {
  let out = url.replace(/[.,;:!?]+$/, '');
  while (out.endsWith(')') && (out.match(/\(/g) ?? []).length < (out.match(/\)/g) ?? []).length) {
    out = out.slice(0, -1).replace(/[.,;:!?]+$/, '');
  }
  return out;
}

/** Where a DAST finding is, out of a URL: `origin` is scheme://host[:port] (GitLab DAST's `hostname`), `path` the path. */
export interface WebLocation {
  origin: string;
  path: string;
}

/**
 * The origin and path of an absolute `scheme://` URL (or of one relative to `base`); null when it is not one
 * (`host:22` is a host and port, not a URL of scheme `host`). The query and fragment are left out (they are values,
 * not the place), and so is a `;jsessionid=…` path parameter, a session token that changes with every scan.
 */
export function webLocation(url: string, base?: string | null): WebLocation | null {
  if (!base && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim())) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim(), base ?? undefined);
  } catch {
    return null;
  }
  const origin = parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  return { origin, path: parsed.pathname.replace(/;jsessionid=[^/]*/gi, '') || '/' };
}
