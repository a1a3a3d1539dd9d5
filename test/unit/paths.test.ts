import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  SEGMENT_RULE,
  ancestorPaths,
  depthOf,
  isNumericId,
  joinPath,
  pathKey,
  segmentProblem,
  selfAndAncestorPaths,
} from '../../src/platform/namespaces/paths.js';

const badShape = `must be ${SEGMENT_RULE}`;

describe('segmentProblem', () => {
  for (const good of ['acme', 'platform-api', 'my_group', '_internal', 'v1.2', 'A9', 'x'.repeat(100), 'repo.gitx']) {
    test(`accepts ${JSON.stringify(good.length > 20 ? `${good.slice(0, 10)}…(${good.length})` : good)}`, () => {
      assert.equal(segmentProblem(good), null);
    });
  }

  const refused: Array<[string, string, string]> = [
    ['a bare ".."', '..', badShape],
    ['".." inside a name', 'a..b', 'must not contain ".."'],
    ['only digits', '12345', 'must not be only digits (numbers address things by id)'],
    ['".git" (leading dot)', '.git', badShape],
    ['a name ending in .git', 'repo.git', 'must not end in .git or .atom'],
    ['a name ending in .ATOM, case-insensitively', 'feed.ATOM', 'must not end in .git or .atom'],
    ['a leading "-"', '-api', badShape],
    ['more than 100 characters', 'x'.repeat(101), badShape],
    ['a "/"', 'a/b', badShape],
    ['a lone "/"', '/', badShape],
    ['the empty string', '', badShape],
    ['a space', 'my group', badShape],
  ];
  for (const [what, value, reason] of refused) {
    test(`refuses ${what}`, () => {
      assert.equal(segmentProblem(value), reason);
    });
  }
});

describe('path arithmetic', () => {
  test('ancestorPaths lists every proper ancestor, outermost first', () => {
    assert.deepEqual(ancestorPaths('a/b/c'), ['a', 'a/b']);
    assert.deepEqual(ancestorPaths('a/b'), ['a']);
  });

  test('a top-level path has no ancestors', () => {
    assert.deepEqual(ancestorPaths('a'), []);
  });

  test('selfAndAncestorPaths ends with the path itself', () => {
    assert.deepEqual(selfAndAncestorPaths('a/b/c'), ['a', 'a/b', 'a/b/c']);
    assert.deepEqual(selfAndAncestorPaths('a'), ['a']);
  });

  test('joinPath puts a leaf under its parent, or alone when there is no parent', () => {
    assert.equal(joinPath('acme/platform', 'api'), 'acme/platform/api');
    assert.equal(joinPath(null, 'acme'), 'acme');
    assert.equal(joinPath('', 'acme'), 'acme');
  });

  test('depthOf counts segments', () => {
    assert.equal(depthOf('a'), 1);
    assert.equal(depthOf('a/b/c'), 3);
  });

  test('pathKey folds case so lookups are case-insensitive', () => {
    assert.equal(pathKey('Acme/Platform/API'), 'acme/platform/api');
    assert.equal(pathKey('Acme/API'), pathKey('acme/api'));
  });
});

describe('isNumericId', () => {
  test('accepts 1 to 15 digits', () => {
    assert.equal(isNumericId('0'), true);
    assert.equal(isNumericId('42'), true);
    assert.equal(isNumericId('9'.repeat(15)), true);
  });

  test('refuses 16 digits, signs, spaces, empty and mixed text', () => {
    for (const ref of ['9'.repeat(16), '-1', '+1', ' 1', '1 ', '', '12a', '1.5', 'acme']) {
      assert.equal(isNumericId(ref), false, ref);
    }
  });
});
