/**
 * Domain errors carry what the HTTP layer needs to render RFC 9457 problem details; the `type` URIs are
 * stable so clients can branch on them.
 */
export type ProblemKind =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'insufficient-scope'
  | 'csrf'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'internal';

const statusOf: Record<ProblemKind, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  'insufficient-scope': 403,
  csrf: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  internal: 500,
};

const titleOf: Record<ProblemKind, string> = {
  validation: 'Invalid request',
  unauthorized: 'Authentication required',
  forbidden: 'Not allowed',
  'insufficient-scope': 'Token scope too narrow',
  csrf: 'Missing or wrong CSRF token',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'payload-too-large': 'Request too large',
  'unsupported-media-type': 'Unsupported media type',
  'rate-limited': 'Too many requests',
  internal: 'Internal error',
};

export function problemType(kind: ProblemKind): string {
  return `urn:vigil:problem:${kind}`;
}

export interface FieldError {
  /** JSON-pointer-like location of the failing input, e.g. `body/name` or `query/limit`. */
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly kind: ProblemKind,
    message: string,
    readonly extra: { field?: string; errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.status = statusOf[kind];
    this.title = titleOf[kind];
  }
}

export const invalid = (field: string, message: string) =>
  new AppError('validation', `${field}: ${message}`, { field, errors: [{ field, message }] });
export const notFound = (what: string) => new AppError('not-found', `${what} not found`);
export const conflict = (message: string, field?: string) =>
  new AppError('conflict', message, field ? { field } : {});
export const forbidden = (message: string) => new AppError('forbidden', message);
export const unauthorized = (message: string) => new AppError('unauthorized', message);
