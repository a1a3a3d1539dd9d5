import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FORMATS } from '../../src/vulns/formats/registry.js';
import { allFixtureFiles, openingOf } from '../support/report-fixtures.js';

function expectedFormat(relative: string): string {
  const [dir, ...rest] = relative.split('/');
  const file = rest.join('/');
  if (dir === 'gitlab' || dir === 'gitlab-branches') return 'gitlab';
  if (dir === 'cyclonedx') return file.endsWith('.xml') ? 'cyclonedx-xml' : 'cyclonedx-json';
  if (dir === 'zap') return file.endsWith('.xml') ? 'zap-xml' : 'zap-json';
  return { 'dependency-check': 'dependency_check', 'npm-audit': 'npm_audit', 'yarn-audit': 'yarn_audit', 'pip-audit': 'pip_audit', 'osv-scanner': 'osv-scanner' }[dir!] ?? dir!;
}

test('every fixture is claimed by exactly one format: the one it belongs to', () => {
  const files = allFixtureFiles();
  assert.ok(files.length >= 66, `only ${files.length} fixtures found`);
  const wrong: string[] = [];
  for (const file of files) {
    const opening = openingOf(file);
    const claimed = FORMATS.filter((f) => f.container === opening.container && f.detect(opening)).map((f) => f.id);
    const ids = [...new Set(claimed)];
    if (ids.length !== 1 || ids[0] !== expectedFormat(file)) wrong.push(`${file}: claimed by [${claimed.join(', ')}], expected ${expectedFormat(file)}`);
  }
  assert.deepEqual(wrong, []);
});

test('format ids are unique and every format says how it is recognised', () => {
  assert.equal(new Set(FORMATS.map((f) => f.id)).size, FORMATS.length);
  for (const f of FORMATS) assert.ok(f.detection.length > 20 && f.reportTypes.length > 0, f.id);
});
