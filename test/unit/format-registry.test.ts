import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FORMATS } from '../../src/vulns/formats/registry.js';
import { sniff, SNIFF_BYTES } from '../../src/vulns/ingest/sniff.js';

const REPORTS = fileURLToPath(new URL('../../../../shared/fixtures/reports/', import.meta.url));

/** Which format each fixture folder holds (a file name can refine it). */
function expectedFormat(relative: string): string {
  const [dir, ...rest] = relative.split(path.sep);
  const file = rest.join('/');
  if (dir === 'gitlab' || dir === 'gitlab-branches') return 'gitlab';
  if (dir === 'cyclonedx') return file.endsWith('.xml') ? 'cyclonedx-xml' : 'cyclonedx-json';
  if (dir === 'zap') return file.endsWith('.xml') ? 'zap-xml' : 'zap-json';
  return { 'dependency-check': 'dependency_check', 'npm-audit': 'npm_audit', 'yarn-audit': 'yarn_audit', 'pip-audit': 'pip_audit', 'osv-scanner': 'osv-scanner' }[dir!] ?? dir!;
}

test('every fixture is claimed by exactly one format: the one it belongs to', () => {
  const files = fs
    .readdirSync(REPORTS, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && !/^(LICENSE|README)/.test(f.name))
    .map((f) => path.relative(REPORTS, path.join(f.parentPath ?? (f as unknown as { path: string }).path, f.name)));
  assert.ok(files.length >= 66, `only ${files.length} fixtures found`);
  const wrong: string[] = [];
  for (const file of files) {
    const fd = fs.openSync(path.join(REPORTS, file), 'r');
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const read = fs.readSync(fd, buffer, 0, SNIFF_BYTES, 0);
    fs.closeSync(fd);
    const opening = sniff(buffer.subarray(0, read).toString('utf8'));
    const claimed = opening && !('invalid' in opening) ? FORMATS.filter((f) => f.container === opening.container && f.detect(opening)).map((f) => f.id) : [];
    const ids = [...new Set(claimed)];
    if (ids.length !== 1 || ids[0] !== expectedFormat(file)) wrong.push(`${file}: claimed by [${claimed.join(', ')}], expected ${expectedFormat(file)}`);
  }
  assert.deepEqual(wrong, []);
});

test('format ids are unique and every format says how it is recognised', () => {
  assert.equal(new Set(FORMATS.map((f) => f.id)).size, FORMATS.length);
  for (const f of FORMATS) assert.ok(f.detection.length > 20 && f.reportTypes.length > 0, f.id);
});
