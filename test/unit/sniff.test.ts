import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniff } from '../../src/vulns/ingest/sniff.js';

test('a JSON object: its top-level keys in order and its scalar values, not nested ones', () => {
  assert.deepEqual(sniff('{"version": "15.0.0", "vulnerabilities": [{"id": "x"}], "scan": {"type": "sast"}, "n": 3}'), {
    container: 'json',
    rootKind: 'object',
    keys: ['version', 'vulnerabilities', 'scan', 'n'],
    values: { version: '15.0.0', n: 3 },
    firstElementKeys: [],
  });
});

test('a JSON array: the keys of its first element', () => {
  const opening = sniff('[{"RuleID": "aws", "Secret": "x", "nested": {"deep": 1}}, {"Other": 1}]');
  assert.deepEqual(opening, { container: 'json', rootKind: 'array', keys: [], values: {}, firstElementKeys: ['RuleID', 'Secret', 'nested'] });
});

test('a cut-off opening still tells the keys seen so far', () => {
  assert.deepEqual((sniff('{"bomFormat": "CycloneDX", "components": [{"name": "a"') as { keys: string[] }).keys, ['bomFormat', 'components']);
});

test('JSON lines: the first record, even with multi-byte characters before its end', () => {
  assert.deepEqual(sniff('{"a":"…😀"}\n{"b":2}\n'), { container: 'json-stream', first: { a: '…😀' } });
});

test('XML: the root element, its namespace and attributes; CSV: the header; anything else: nothing', () => {
  assert.deepEqual(sniff('<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components>'), {
    container: 'xml',
    root: 'bom',
    namespace: 'http://cyclonedx.org/schema/bom/1.4',
    attributes: { xmlns: 'http://cyclonedx.org/schema/bom/1.4', version: '1' },
  });
  assert.deepEqual(sniff('\uFEFFTitle,Severity,Rule\nx,high,r\n'), { container: 'csv', header: ['title', 'severity', 'rule'] });
  assert.equal(sniff('hello world'), null);
  assert.deepEqual(sniff('{"a": nope}'), { invalid: 'Unexpected "o" at byte 7' });
});
