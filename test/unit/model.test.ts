import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { branchProblem } from '../../src/platform/namespaces/model.js';

const LENGTH = 'must be 1–255 characters';
const CHARACTERS = 'must not contain spaces, control characters or any of ~ ^ : ? * [ \\';
const SLASHES = 'must not start or end with "/" or contain "//"';
const SEQUENCES = 'must not contain ".." or "@{" nor end with "." or ".lock"';

describe('branchProblem', () => {
  for (const good of ['main', 'release/1.2', 'feature/x-y', 'v2.0.0', 'user@host', 'fix_123', 'a'.repeat(255)]) {
    test(`accepts ${JSON.stringify(good.length > 20 ? `a×${good.length}` : good)}`, () => {
      assert.equal(branchProblem(good), null);
    });
  }

  const refused: Array<[string, string]> = [
    ['', LENGTH],
    ['a'.repeat(256), LENGTH],
    ['a b', CHARACTERS],
    ['a\tb', CHARACTERS],
    ['a\x7fb', CHARACTERS],
    ['a~b', CHARACTERS],
    ['a^b', CHARACTERS],
    ['a:b', CHARACTERS],
    ['a?b', CHARACTERS],
    ['a*b', CHARACTERS],
    ['a[b', CHARACTERS],
    ['a\\b', CHARACTERS],
    ['/a', SLASHES],
    ['a/', SLASHES],
    ['a//b', SLASHES],
    ['a..b', SEQUENCES],
    ['a@{b', SEQUENCES],
    ['x.lock', SEQUENCES],
    ['release.', SEQUENCES],
  ];
  for (const [name, reason] of refused) {
    test(`refuses ${JSON.stringify(name.length > 20 ? `a×${name.length}` : name)}`, () => {
      assert.equal(branchProblem(name), reason);
    });
  }
});
