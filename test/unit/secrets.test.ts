import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_TOKEN_PREFIX, hashSecret, newApiToken, newSecret, sameSecret } from '../../src/platform/auth/secrets.js';

describe('newApiToken and newSecret', () => {
  test('an API token is "vgl_" followed by 43 base64url characters (256 bits)', () => {
    const token = newApiToken();
    assert.equal(API_TOKEN_PREFIX, 'vgl_');
    assert.equal(token.length, 47);
    assert.match(token, /^vgl_[A-Za-z0-9_-]{43}$/);
  });

  test('a secret decodes to 32 random bytes and is never repeated', () => {
    const a = newSecret();
    assert.equal(Buffer.from(a, 'base64url').length, 32);
    assert.notEqual(a, newSecret());
    assert.notEqual(newApiToken(), newApiToken());
  });
});

describe('hashSecret', () => {
  test('is SHA-256 as 64 lowercase hex characters', () => {
    assert.equal(hashSecret('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.match(hashSecret(newApiToken()), /^[0-9a-f]{64}$/);
  });

  test('is deterministic and tells different secrets apart', () => {
    const token = newApiToken();
    assert.equal(hashSecret(token), hashSecret(token));
    assert.notEqual(hashSecret(token), hashSecret(`${token}x`));
  });
});

describe('sameSecret', () => {
  test('is true for equal strings', () => {
    const token = newApiToken();
    assert.equal(sameSecret(token, `${token}`), true);
  });

  test('is false for a different string of the same length', () => {
    assert.equal(sameSecret('abcd', 'abce'), false);
  });

  test('is false, without throwing, for strings of different lengths', () => {
    assert.equal(sameSecret('abc', 'abcd'), false);
    assert.equal(sameSecret('', 'a'), false);
  });
});
