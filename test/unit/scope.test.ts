import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Scanner } from '../../src/vulns/model.js';
import { scopeKeyOf } from '../../src/vulns/scope.js';
import { container, sast } from './finding-builder.js';

const scanner = (id: string): Scanner => ({ id, name: id, version: '1.0', vendor: null });
const image = (ref: string) => container({ location: { image: ref } });

describe('scopeKeyOf', () => {
  test('is report type(s) and scanner(s), without images when no finding has one', () => {
    assert.equal(scopeKeyOf(['sast'], [scanner('semgrep')], [sast()]), 'sast:semgrep');
    assert.equal(scopeKeyOf(['sast'], [scanner('semgrep')], []), 'sast:semgrep');
  });

  test('report types and scanners are sorted, de-duplicated and joined with "+"', () => {
    const key = scopeKeyOf(['sast', 'secret_detection', 'sast'], [scanner('semgrep'), scanner('gitleaks'), scanner('semgrep')], []);
    assert.equal(key, 'sast+secret_detection:gitleaks+semgrep');
    assert.equal(scopeKeyOf(['secret_detection', 'sast'], [scanner('gitleaks'), scanner('semgrep')], []), key);
  });

  test('only the scanner id counts, not its name or version', () => {
    const a = scopeKeyOf(['sast'], [{ id: 'codeql', name: 'CodeQL', version: '2.15.0', vendor: 'GitHub' }], []);
    const b = scopeKeyOf(['sast'], [{ id: 'codeql', name: 'CodeQL CLI', version: '2.16.1', vendor: null }], []);
    assert.equal(a, 'sast:codeql');
    assert.equal(b, a);
  });

  test('container scans add the image names, without tag or digest, sorted and de-duplicated', () => {
    const findings = [image('registry:5000/app:1.2'), image('alpine:3.19'), image('registry:5000/app@sha256:abc'), image('alpine:3.19')];
    const key = scopeKeyOf(['container_scanning'], [scanner('trivy')], findings);
    assert.equal(key, 'container_scanning:trivy:alpine+registry:5000/app');
    assert.equal(scopeKeyOf(['container_scanning'], [scanner('trivy')], [...findings].reverse()), key);
  });

  test('a new tag of the same image is the same scope; another image is not', () => {
    const scope = (ref: string) => scopeKeyOf(['container_scanning'], [scanner('trivy')], [image(ref)]);
    assert.equal(scope('registry.example.com/app:1.3'), scope('registry.example.com/app:1.2'));
    assert.notEqual(scope('registry.example.com/worker:1.2'), scope('registry.example.com/app:1.2'));
  });

  test('another scanner or report type is another scope', () => {
    const base = scopeKeyOf(['sast'], [scanner('semgrep')], []);
    assert.notEqual(scopeKeyOf(['sast'], [scanner('codeql')], []), base);
    assert.notEqual(scopeKeyOf(['sast', 'secret_detection'], [scanner('semgrep')], []), base);
  });
});
