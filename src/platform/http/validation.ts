import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../errors.js';

// ajv-formats is CommonJS: under ESM its function arrives as the `default` of the module object.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

/**
 * Two validators: bodies are checked exactly as sent (no type coercion, unknown fields rejected rather than
 * silently dropped), while path and query strings are coerced, since everything in a URL arrives as text.
 */
export function installValidators(app: FastifyInstance): void {
  // verbose: errors carry their schema, so a pattern can be explained by its description instead of the regex.
  const common = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false, verbose: true } as const;
  const bodies = new Ajv({ ...common, coerceTypes: false });
  const urls = new Ajv({ ...common, coerceTypes: 'array' });
  addFormats(bodies);
  addFormats(urls);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : urls).compile(schema));
}

const partNames: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** Turns Ajv's errors into `{ field, message }` with fields like `body/name` or `query/limit`. */
export function fieldErrors(errors: ErrorObject[], context: string | undefined): FieldError[] {
  const part = partNames[context ?? 'body'] ?? context ?? 'body';
  return errors.map((e) => {
    const base = `${part}${e.instancePath}`;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') {
      return { field: `${base}/${String(params.additionalProperty)}`, message: 'is not a known field' };
    }
    if (e.keyword === 'required') return { field: `${base}/${String(params.missingProperty)}`, message: 'is required' };
    const description = (e.parentSchema as { description?: string } | undefined)?.description;
    if (e.keyword === 'pattern' && description) return { field: base, message: `must be ${description}` };
    return { field: base, message: e.message ?? 'is invalid' };
  });
}
