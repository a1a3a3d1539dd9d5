import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExitCode, exitCodeFor } from '../../src/cli/exit-codes.js';
import type { ProblemKind } from '../../src/platform/errors.js';

// A Record over ProblemKind: adding a kind without deciding its exit code fails to compile here.
const expected: Record<ProblemKind, number> = {
  validation: 3,
  'payload-too-large': 3,
  'unsupported-media-type': 3,
  conflict: 4,
  'not-found': 5,
  unauthorized: 6,
  forbidden: 6,
  'insufficient-scope': 6,
  csrf: 6,
  'rate-limited': 6,
  internal: 1,
};

for (const [kind, code] of Object.entries(expected) as Array<[ProblemKind, number]>) {
  test(`a ${kind} problem exits with ${code}`, () => {
    assert.equal(exitCodeFor(kind), code);
  });
}

test('the exit codes are the documented numbers', () => {
  assert.deepEqual(ExitCode, { ok: 0, failure: 1, usage: 2, invalid: 3, conflict: 4, notFound: 5, denied: 6, unreachable: 7 });
});

test('an unexpected kind (from a newer server) is a plain failure', () => {
  assert.equal(exitCodeFor('teapot' as ProblemKind), 1);
});
