import type { Severity } from '../model.js';
import { FIELD_LIMITS, clip } from './limits.js';
import { pointerSegment, ReportError } from './report-error.js';

/**
 * Typed reads of parsed JSON that fail with the JSON pointer of the offending value, shared by every format
 * module so "what and where" reads the same whatever the format.
 *
 * Text policy: a value of the wrong JSON type is a ReportError at its pointer; absent, `null` or blank is null;
 * NULs are removed; long strings are clipped (see limits.ts), never rejected. Short fields (ids, names, versions,
 * URLs) are trimmed, prose (descriptions, code) is kept as written. The readers differ only where the formats that
 * share them differ: whether a number counts as text (`scalar…`), and whether a short field is trimmed before it is
 * clipped (`text`) or clipped as written and then trimmed (`clippedText`).
 */
export type Json = Record<string, unknown>;

/** As `max` for a string that is kept whole (it is clipped, if at all, where it is used). */
export const UNCLIPPED = Number.MAX_SAFE_INTEGER;

export function at(pointer: string, key: string | number): string {
  return `${pointer}/${pointerSegment(key)}`;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, pointer: string): Json {
  if (!isObject(value)) throw new ReportError(pointer, 'must be an object');
  return value;
}

export function optionalObject(value: unknown, pointer: string): Json | null {
  return value == null ? null : object(value, pointer);
}

/** An object that must be there: absent or `null` is "is required". */
export function requiredObject(value: unknown, pointer: string): Json {
  if (value == null) throw new ReportError(pointer, 'is required');
  return object(value, pointer);
}

/** `parent[key]` as an object (null when absent), and its pointer. */
export function child(parent: Json, key: string, pointer: string): [Json | null, string] {
  const p = at(pointer, key);
  return [optionalObject(parent[key], p), p];
}

export function array(value: unknown, pointer: string): unknown[] {
  if (!Array.isArray(value)) throw new ReportError(pointer, 'must be an array');
  return value;
}

export function optionalArray(value: unknown, pointer: string): unknown[] | null {
  return value == null ? null : array(value, pointer);
}

/** An optional array of objects, each with its pointer. */
export function objectList(value: unknown, pointer: string): [Json, string][] {
  return (optionalArray(value, pointer) ?? []).map((item, i) => [object(item, at(pointer, i)), at(pointer, i)]);
}

/**
 * An array index in a streamed path. The parser matches `*` against object keys too, so a value that should be an
 * array but is an object arrives with a string key: that is the error.
 */
export function arrayIndex(key: string | number | undefined, pointer: string): number {
  if (typeof key !== 'number') throw new ReportError(pointer, 'must be an array');
  return key;
}

/** PostgreSQL cannot store NUL in text, and no report means one. */
export function withoutNul(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
}

/** A value as an error message shows it: JSON, cut short. */
export function shown(value: unknown): string {
  return clip(JSON.stringify(value) ?? String(value), 100);
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/** A string value, NULs removed, trimmed unless `trim` is false (prose), then clipped to `max`; absent or blank is null. */
export function stringValue(value: unknown, pointer: string, max: number = FIELD_LIMITS.other, trim = true): string | null {
  if (value == null) return null;
  if (typeof value !== 'string') throw new ReportError(pointer, 'must be a string');
  const clean = withoutNul(value);
  if (clean.trim() === '') return null;
  return clip(trim ? clean.trim() : clean, max);
}

/**
 * As `stringValue`, but a finite number is text too, written as it is (reports put ids and codes as numbers, e.g.
 * `"value": 89`, `"id": 1179`).
 */
export function scalarValue(value: unknown, pointer: string, max: number = FIELD_LIMITS.other, trim = true): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return stringValue(value, pointer, max, trim);
}

/** A read of the text field `parent[key]` (null when absent or blank). */
export type FieldRead = (parent: Json, key: string, pointer: string, max?: number) => string | null;

/** An optional short field — id, name, version, URL — trimmed, then clipped. */
export function text(parent: Json, key: string, pointer: string, max: number = FIELD_LIMITS.other): string | null {
  return stringValue(parent[key], at(pointer, key), max);
}

/** An optional prose field — description, remediation, matched code — kept as written, clipped. */
export function prose(parent: Json, key: string, pointer: string, max: number): string | null {
  return stringValue(parent[key], at(pointer, key), max, false);
}

/** An optional short field clipped as written, then trimmed (the Semgrep, Bandit, Gitleaks and TruffleHog reads). */
export function clippedText(parent: Json, key: string, pointer: string, max: number = FIELD_LIMITS.other): string | null {
  return prose(parent, key, pointer, max)?.trim() ?? null;
}

/** An optional short field that may also be written as a number; trimmed, then clipped. */
export function scalarText(parent: Json, key: string, pointer: string, max: number = FIELD_LIMITS.other): string | null {
  return scalarValue(parent[key], at(pointer, key), max);
}

/** An optional prose field that may also be written as a number; kept as written, clipped. */
export function scalarProse(parent: Json, key: string, pointer: string, max: number): string | null {
  return scalarValue(parent[key], at(pointer, key), max, false);
}

/** A field that must hold text, read with `read` (`text` by default); absent or blank is "must be a non-empty string". */
export function requiredText(parent: Json, key: string, pointer: string, max: number = FIELD_LIMITS.other, read: FieldRead = text): string {
  const value = read(parent, key, pointer, max);
  if (value === null) throw new ReportError(at(pointer, key), 'must be a non-empty string');
  return value;
}

/** An optional array of short texts, each read with `read` (`stringValue`: strings, trimmed and clipped); blank entries dropped. */
export function textList(
  parent: Json,
  key: string,
  pointer: string,
  max: number = FIELD_LIMITS.other,
  read: (value: unknown, pointer: string, max: number) => string | null = stringValue,
): string[] {
  const p = at(pointer, key);
  return (optionalArray(parent[key], p) ?? []).flatMap((item, i) => read(item, at(p, i), max) ?? []);
}

/** As `textList`, but one string stands for a list of one (Semgrep metadata and Gitleaks tags take either). */
export function textOrList(parent: Json, key: string, pointer: string, max: number = FIELD_LIMITS.other): string[] {
  if (Array.isArray(parent[key])) return textList(parent, key, pointer, max);
  return [stringValue(parent[key], at(pointer, key), max)].flatMap((value) => value ?? []);
}

// ---------------------------------------------------------------------------------------------------------------
// Other scalars

/** A positive line number; 0 and below (some tools' "no line", "the whole file") are null; anything but an integer is a ReportError. */
export function lineNumber(parent: Json, key: string, pointer: string): number | null {
  const value = parent[key];
  if (value == null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ReportError(at(pointer, key), 'must be an integer');
  return value > 0 ? value : null;
}

/** An optional boolean; absent is false. */
export function flag(parent: Json, key: string, pointer: string): boolean {
  const value = parent[key];
  if (value == null) return false;
  if (typeof value !== 'boolean') throw new ReportError(at(pointer, key), 'must be true or false');
  return value;
}

/** How a tool names its severities, for `namedSeverity`. */
export interface SeverityScale {
  /** Vigil's severity for each of the tool's names, keyed in lower case (upper case with `upperCase`). */
  table: ReadonlyMap<string, Severity>;
  upperCase?: boolean;
  /** The names the error message lists, as the tool writes them. */
  names: readonly string[];
  /** What a wrong value is not: `a severity`, `an npm severity`, `a Semgrep severity`. */
  noun: string;
  /** `""` means unknown, as an absent value does (else it is a wrong value). */
  blankIsUnknown?: boolean;
  /** The error message quotes a wrong value in full (else cut short, as `shown` does). */
  quoteInFull?: boolean;
}

/**
 * A tool's severity name (trimmed, case-insensitive) → Vigil's, through `scale`; absent is unknown; any other value
 * is a ReportError `<value> is not <noun>; must be one of <names>`.
 */
export function namedSeverity(value: unknown, pointer: string, scale: SeverityScale): Severity {
  if (value == null || (scale.blankIsUnknown && value === '')) return 'unknown';
  if (typeof value === 'string') {
    const name = value.trim();
    const severity = scale.table.get(scale.upperCase ? name.toUpperCase() : name.toLowerCase());
    if (severity) return severity;
  }
  const quoted = scale.quoteInFull ? JSON.stringify(value) : shown(value);
  throw new ReportError(pointer, `${quoted} is not ${scale.noun}; must be one of ${scale.names.join(', ')}`);
}
