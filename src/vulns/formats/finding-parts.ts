import { emptyLocation, type Identifier, type Location } from '../model.js';
import { normaliseRepoPath } from '../paths.js';
import { FIELD_LIMITS, clip } from './limits.js';

/**
 * Parts of a canonical finding that formats of different families build alike: a file location, CWE identifiers,
 * identifier lists without repeats, and a title out of a message.
 */

/** A file location: the path normalised (blank is none), the end line only when it does not come before the start. */
export function fileLocation(file: string | null, startLine: number | null, endLine: number | null): Location {
  const location = emptyLocation();
  location.file = file === null ? null : clip(normaliseRepoPath(file), FIELD_LIMITS.path) || null;
  location.startLine = startLine;
  location.endLine = endLine !== null && startLine !== null && endLine >= startLine ? endLine : startLine;
  return location;
}

/** CWE `number` as an identifier, linked to its page at MITRE. */
export function mitreCwe(number: string | number, name: string | null = null): Identifier {
  return { type: 'cwe', value: `CWE-${number}`, name, url: `https://cwe.mitre.org/data/definitions/${number}.html` };
}

const CWE_TEXT = /^CWE-0*(\d+)\b\s*:?\s*(.*)$/i;

/** "CWE-89: Improper Neutralization …" or "CWE-89" → CWE-89, named by the rest; anything else (and CWE-0) is null. */
export function cweIdentifier(text: string): Identifier | null {
  const match = CWE_TEXT.exec(text.trim());
  if (!match || match[1] === '0') return null;
  return mitreCwe(match[1]!, match[2] || null);
}

/** Identifiers without nulls and repeats (same type and value), first kept. */
export function uniqueIdentifiers(identifiers: (Identifier | null)[]): Identifier[] {
  const out: Identifier[] = [];
  for (const id of identifiers) if (id && !out.some((o) => o.type === id.type && o.value === id.value)) out.push(id);
  return out;
}

/**
 * A title out of a message: the first sentence (SARIF: "the first sentence of the message only will be displayed
 * when visible space is limited") of the first paragraph, on one line. Tools wrap long texts (Semgrep at ~100
 * columns), so a first *line* would stop mid-sentence. Not clipped.
 */
export function headline(value: string): string {
  const paragraph = value.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').trim();
  return /^.+?[.!?](?=\s+[A-Z])/.exec(paragraph)?.[0] ?? paragraph;
}
