import { pointerSegment, ReportError } from './report-error.js';

/**
 * Typed reads of parsed JSON that fail with the JSON pointer of the offending value, shared by every format
 * module so "what and where" reads the same whatever the format.
 */
export type Json = Record<string, unknown>;

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

/** PostgreSQL cannot store NUL in text, and no report means one. */
export function withoutNul(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
}
