import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, problemType, type FieldError, type ProblemKind } from '../errors.js';
import { fieldErrors } from './validation.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  field?: string;
  errors?: FieldError[];
}

/** Renders an AppError as `application/problem+json` (RFC 9457). */
export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  const body: Problem = {
    type: problemType(error.kind),
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: reply.request.url.split('?')[0],
    ...(error.extra.field !== undefined && { field: error.extra.field }),
    ...(error.extra.errors !== undefined && { errors: error.extra.errors }),
  };
  if (error.extra.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.extra.retryAfterSeconds));
  return reply.code(error.status).type('application/problem+json').send(body);
}

const fastifyCodes: Record<string, ProblemKind> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation',
};

/** Maps anything thrown in a request to a problem; only genuine bugs become 500s, and those are logged. */
export function toAppError(error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const errors = fieldErrors(error.validation as never, error.validationContext);
    const first = errors[0]!;
    return new AppError('validation', `${first.field}: ${first.message}`, { field: first.field, errors });
  }
  const kind = error.code ? fastifyCodes[error.code] : undefined;
  if (kind === 'payload-too-large') {
    return new AppError(kind, `the request body is larger than the limit of ${request.routeOptions.bodyLimit ?? '?'} bytes`);
  }
  if (kind === 'unsupported-media-type') {
    return new AppError(kind, `content type "${request.headers['content-type'] ?? ''}" is not accepted here; send application/json`);
  }
  if (kind === 'validation' || error instanceof SyntaxError) {
    return new AppError('validation', `body: ${error.message}`, { field: 'body' });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('validation', error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return new AppError('internal', 'something went wrong on our side; the error has been logged');
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => sendProblem(reply, toAppError(error, request)));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new AppError('not-found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
