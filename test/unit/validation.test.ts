import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ErrorObject } from 'ajv';
import { fieldErrors } from '../../src/platform/http/validation.js';

/** An Ajv error as Ajv builds it with `verbose: true`; only what fieldErrors reads varies. */
function ajvError(keyword: string, instancePath: string, params: Record<string, unknown>, extra: Partial<ErrorObject> = {}): ErrorObject {
  return { keyword, instancePath, schemaPath: `#/${keyword}`, params, ...extra };
}

const unknownField = ajvError('additionalProperties', '', { additionalProperty: 'nmae' }, { message: 'must NOT have additional properties' });
const missingField = ajvError('required', '', { missingProperty: 'name' }, { message: "must have required property 'name'" });

describe('fieldErrors', () => {
  test('an unknown property is named under its parent: body/<name>, "is not a known field"', () => {
    assert.deepEqual(fieldErrors([unknownField], 'body'), [{ field: 'body/nmae', message: 'is not a known field' }]);
  });

  test('a missing required property is named: body/<missing>, "is required"', () => {
    assert.deepEqual(fieldErrors([missingField], 'body'), [{ field: 'body/name', message: 'is required' }]);
  });

  test('nested properties keep their instance path', () => {
    const nested = ajvError('required', '/owner', { missingProperty: 'id' });
    assert.deepEqual(fieldErrors([nested], 'body'), [{ field: 'body/owner/id', message: 'is required' }]);
  });

  test('a pattern error is explained by the schema description instead of the regex', () => {
    const pattern = ajvError('pattern', '/path', { pattern: '^[a-z]+$' }, {
      message: 'must match pattern "^[a-z]+$"',
      parentSchema: { type: 'string', pattern: '^[a-z]+$', description: 'lowercase letters only' },
    });
    assert.deepEqual(fieldErrors([pattern], 'body'), [{ field: 'body/path', message: 'must be lowercase letters only' }]);
  });

  test('a pattern error without a description keeps Ajv\'s message', () => {
    const pattern = ajvError('pattern', '/path', { pattern: '^[a-z]+$' }, { message: 'must match pattern "^[a-z]+$"', parentSchema: { type: 'string' } });
    assert.deepEqual(fieldErrors([pattern], 'body'), [{ field: 'body/path', message: 'must match pattern "^[a-z]+$"' }]);
  });

  test('a description is only used for pattern errors', () => {
    const tooLong = ajvError('maxLength', '/name', { limit: 3 }, { message: 'must NOT have more than 3 characters', parentSchema: { description: 'a short name' } });
    assert.deepEqual(fieldErrors([tooLong], 'body'), [{ field: 'body/name', message: 'must NOT have more than 3 characters' }]);
  });

  test('an error without a message is "is invalid"', () => {
    assert.deepEqual(fieldErrors([ajvError('type', '/limit', { type: 'integer' })], 'body'), [{ field: 'body/limit', message: 'is invalid' }]);
  });

  test('each HTTP part gets its own prefix; querystring becomes "query"', () => {
    const prefixes: Array<[string | undefined, string]> = [
      ['querystring', 'query/name'],
      ['params', 'path/name'],
      ['headers', 'header/name'],
      ['body', 'body/name'],
      [undefined, 'body/name'],
      ['cookies', 'cookies/name'],
    ];
    for (const [context, field] of prefixes) {
      assert.deepEqual(fieldErrors([missingField], context), [{ field, message: 'is required' }], String(context));
    }
  });

  test('every error is kept, in order', () => {
    assert.deepEqual(fieldErrors([missingField, unknownField], 'querystring'), [
      { field: 'query/name', message: 'is required' },
      { field: 'query/nmae', message: 'is not a known field' },
    ]);
  });
});
