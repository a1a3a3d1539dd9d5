import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROLES, hasRole, parseScopes, scopeAllows, strongestRole } from '../../src/platform/auth/roles.js';

describe('hasRole', () => {
  test('each role satisfies itself and every weaker role, never a stronger one', () => {
    ROLES.forEach((have, i) => {
      ROLES.forEach((need, j) => {
        assert.equal(hasRole(have, need), i >= j, `${have} vs ${need}`);
      });
    });
  });

  test('no role satisfies nothing, not even reporter', () => {
    assert.equal(hasRole(null, 'reporter'), false);
  });
});

describe('strongestRole', () => {
  test('picks the strongest regardless of order', () => {
    assert.equal(strongestRole(['developer', 'owner', 'reporter']), 'owner');
    assert.equal(strongestRole(['maintainer', 'reporter']), 'maintainer');
  });

  test('ignores strings that are not roles, including differently-cased ones', () => {
    assert.equal(strongestRole(['admin', 'Owner', 'developer', '']), 'developer');
  });

  test('returns null when there is no role at all', () => {
    assert.equal(strongestRole([]), null);
    assert.equal(strongestRole(['guest', 'superuser']), null);
  });

  test('accepts any iterable', () => {
    assert.equal(strongestRole(new Set(['reporter', 'maintainer'])), 'maintainer');
  });
});

describe('parseScopes', () => {
  test('trims, dedupes and orders scopes as read, write, admin', () => {
    assert.deepEqual(parseScopes(' admin, write ,read,write'), { scopes: ['read', 'write', 'admin'] });
    assert.deepEqual(parseScopes('write,read,read'), { scopes: ['read', 'write'] });
  });

  test('ignores empty items between commas', () => {
    assert.deepEqual(parseScopes('read,,'), { scopes: ['read'] });
  });

  test('names every unknown scope', () => {
    assert.deepEqual(parseScopes('read,delete,Write'), { error: 'unknown scope "delete", "Write" (known: read, write, admin)' });
  });

  test('requires at least one scope', () => {
    const error = { error: 'at least one scope is required (read, write, admin)' };
    assert.deepEqual(parseScopes(''), error);
    assert.deepEqual(parseScopes(' , '), error);
  });
});

describe('scopeAllows', () => {
  test('a granted scope allows itself', () => {
    assert.equal(scopeAllows(['read'], 'read'), true);
    assert.equal(scopeAllows(['admin'], 'admin'), true);
  });

  test('write implies read', () => {
    assert.equal(scopeAllows(['write'], 'read'), true);
  });

  test('read does not imply write', () => {
    assert.equal(scopeAllows(['read'], 'write'), false);
  });

  test('admin does not imply write', () => {
    assert.equal(scopeAllows(['admin'], 'write'), false);
  });

  test('write does not imply admin, and no scopes allow nothing', () => {
    assert.equal(scopeAllows(['read', 'write'], 'admin'), false);
    assert.equal(scopeAllows([], 'read'), false);
  });
});
