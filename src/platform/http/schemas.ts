import { Type, type TSchema } from 'typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageRequest } from '../db/paging.js';

/** Schemas shared by every module's routes. All objects are closed: an unknown field is an error, not ignored. */
export const Closed = { additionalProperties: false } as const;

/** Free text that a person typed: no control characters except newlines and tabs. */
export const Text = (maxLength: number, extra: object = {}) => Type.String({ maxLength, pattern: '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$', ...extra });
/** A one-line name: no control characters, not blank. (`\\S` alone would accept NUL, hence the explicit class.) */
export const Name = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[^\\x00-\\x1f\\x7f]*[^\\s\\x00-\\x1f\\x7f][^\\x00-\\x1f\\x7f]*$',
  description: '1–255 characters, not blank, without control characters',
});

/** A one-line identifier or search term from a URL or body: never a control character (PostgreSQL refuses NUL). */
export const Line = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[^\\x00-\\x1f\\x7f]+$', description: `1–${maxLength} characters without control characters` });

export const NoQuery = Type.Object({}, Closed);

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9_-]+$', description: 'a cursor returned by this list' })),
};

export function pageOf(query: { limit?: number; cursor?: string }): PageRequest {
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor ?? null };
}

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  instance: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});

/** `:group` or `:project`: a numeric id or the URL-encoded full path (`acme%2Fplatform%2Fapi`). */
export const Ref = Line(2100);
