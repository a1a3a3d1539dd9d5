import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { govulncheckFormat } from '../../src/vulns/formats/govulncheck.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import { allFixtureFiles, fixturePath, fixturesIn, jsonLines, readWith, recognisedFixtures, rejectsAt, tally, truncated } from '../support/report-fixtures.js';

const FIXTURE = fixturePath('govulncheck/issue_15033.json');

const read = (source: string | Buffer | unknown[]): Promise<ParsedReport> =>
  readWith([govulncheckFormat], Array.isArray(source) ? jsonLines(source) : source);

const rejects = (messages: unknown[], pointer: string, message: string) => rejectsAt(read(messages), pointer, message);

const CONFIG = { config: { protocol_version: 'v1.0.0', scanner_name: 'govulncheck', scanner_version: 'v1.1.3', scan_level: 'symbol' } };
const OSV = { osv: { id: 'GO-2023-1571', aliases: ['CVE-2022-41723', 'GHSA-vvpx-j8f3-3w6h'], summary: 'Denial of service via crafted HTTP/2 stream in net/http and golang.org/x/net', details: 'A maliciously crafted HTTP/2 stream could cause excessive CPU consumption.' } };
const frame = (extra: object = {}) => ({ module: 'golang.org/x/net', version: 'v0.5.0', ...extra });
const found = (trace: unknown[], extra: object = {}) => ({ finding: { osv: 'GO-2023-1571', fixed_version: 'v0.7.0', trace, ...extra } });

describe('govulncheck JSON fixture', () => {
  test('detection: true for the govulncheck fixture, false for every other fixture', () => {
    assert.equal(allFixtureFiles().length, 70);
    assert.deepEqual(recognisedFixtures(govulncheckFormat), fixturesIn('govulncheck'));
  });

  /**
   * python: the 178 `finding` messages have 72 distinct (finding.osv, trace[0].module) pairs over 71 OSV ids
   * (GO-2026-4918 is in stdlib and golang.org/x/net). Deepest level per pair: trace[0] has `function` → called (29),
   * else `package` → imported (17), else required (26). No `osv` record carries database_specific.severity or
   * severity vectors, so every finding is of unknown severity.
   */
  test('issue_15033.json: 72 findings, one per OSV id and module, with the deepest level reached', async () => {
    const report = await read(FIXTURE);
    assert.equal(report.format, 'govulncheck');
    assert.equal(report.findings.length, 72);
    assert.equal(new Set(report.findings.map((f) => f.identifiers[0]!.value)).size, 71);
    assert.deepEqual(tally(report.findings, (f) => f.description!.split(':')[0]!), { Called: 29, Imported: 17, Required: 26 });
    assert.deepEqual(tally(report.findings, (f) => f.severity), { unknown: 72 });
    assert.deepEqual(tally(report.findings, (f) => f.location.package!.name), {
      stdlib: 38,
      'golang.org/x/crypto': 18,
      'golang.org/x/net': 12,
      'github.com/jackc/pgx/v5': 2,
      'golang.org/x/sys': 1,
      'github.com/golang-jwt/jwt': 1,
    });
    assert.deepEqual(report.scanners, [{ id: 'govulncheck', name: 'govulncheck', version: 'v1.1.4', vendor: 'Go' }]);
    assert.deepEqual(report.reportTypes, ['dependency_scanning']);
    assert.equal(report.formatVersion, 'v1.0.0');
    assert.ok(report.findings.every((f) => f.reportType === 'dependency_scanning' && f.location.file === 'go.mod' && f.location.package!.ecosystem === 'go'));

    const first = report.findings[0]!;
    assert.equal(first.title, 'Non-linear parsing of case-insensitive content in golang.org/x/net/html');
    assert.deepEqual(first.identifiers, [
      { type: 'osv', value: 'GO-2024-3333', name: null, url: null },
      { type: 'cve', value: 'CVE-2024-45338', name: null, url: null },
      { type: 'ghsa', value: 'GHSA-W32M-9786-JP63', name: null, url: null },
    ]);
    assert.deepEqual(first.location.package, { name: 'golang.org/x/net', version: 'v0.25.0', ecosystem: 'go', purl: null, fixedVersions: ['v0.33.0'] });
    assert.equal(first.solution, 'Upgrade golang.org/x/net to v0.33.0.');
    assert.equal(
      first.description,
      'Imported: the vulnerable package golang.org/x/net/html is imported; govulncheck found no call to its vulnerable symbols.\n\n' +
        'An attacker can craft an input to the Parse functions that would be processed non-linearly with respect to its length, resulting in extremely slow parsing. This could cause a denial of service.',
    );
    assert.deepEqual(first.links.map((l) => l.url), ['https://pkg.go.dev/vuln/GO-2024-3333', 'https://go.dev/cl/637536', 'https://go.dev/issue/70906', 'https://groups.google.com/g/golang-announce/c/wSCRmFnNmPA/m/Lvcd0mRMAwAJ']);

    // Messages 300 and 316 are module-level; 356 is the first call path (5 frames): its caller is the call site.
    const listen = report.findings.find((f) => f.identifiers[0]!.value === 'GO-2026-4971')!;
    assert.match(listen.description!, /^Called: github\.com\/alielmi98\/golang-expense-tracker-api\/api\.InitServer \(api\/api\.go:25\) reaches net\.Listen\.\n\n/);
    assert.deepEqual(listen.location.package, { name: 'stdlib', version: 'v1.24.4', ecosystem: 'go', purl: null, fixedVersions: ['v1.25.10'] });

    const both = report.findings.filter((f) => f.identifiers[0]!.value === 'GO-2026-4918').map((f) => f.location.package!.name);
    assert.deepEqual(both.sort(), ['golang.org/x/net', 'stdlib']);
  });

  test('a truncated fixture (the first 60% of its bytes) is refused as ending early', async () => {
    await rejectsAt(read(truncated(FIXTURE)), '', /ends early|truncated/);
  });
});

describe('govulncheck JSON mapping', () => {
  test('levels of one OSV id and module merge into one finding at the deepest; a missing osv record leaves the id', async () => {
    const report = await read([
      CONFIG,
      { progress: { message: 'Scanning your code…' } },
      OSV,
      found([frame()]),
      found([frame({ package: 'golang.org/x/net/http2' })]),
      found([frame({ package: 'golang.org/x/net/http2', function: 'ServeConn', receiver: '*Server' }), { module: 'example.com/app', package: 'example.com/app/web', function: 'Serve', position: { filename: 'web/serve.go', line: 12 } }]),
      found([frame()], { osv: 'GO-2099-0001', fixed_version: undefined }),
    ]);
    assert.equal(report.findings.length, 2);
    const [http2, unknown] = report.findings;
    assert.equal(http2!.title, 'Denial of service via crafted HTTP/2 stream in net/http and golang.org/x/net');
    assert.equal(
      http2!.description,
      'Called: example.com/app/web.Serve (web/serve.go:12) reaches golang.org/x/net/http2.(*Server).ServeConn.\n\nA maliciously crafted HTTP/2 stream could cause excessive CPU consumption.',
    );
    assert.deepEqual(http2!.identifiers.map((i) => i.value), ['GO-2023-1571', 'CVE-2022-41723', 'GHSA-VVPX-J8F3-3W6H']);
    assert.equal(report.scanners[0]!.version, 'v1.1.3');
    assert.equal(unknown!.title, 'GO-2099-0001');
    assert.deepEqual(unknown!.location.package!.fixedVersions, []);
    assert.equal(unknown!.solution, null);
  });

  test('wrong values are refused at their pointer (record index, then the path in it)', async () => {
    await rejects([CONFIG, 'progress'], '/1', 'must be an object');
    await rejects([CONFIG, found([])], '/1/finding/trace', 'must have at least one frame');
    await rejects([CONFIG, found([{ version: 'v1' }])], '/1/finding/trace/0/module', 'must be a non-empty string');
    await rejects([CONFIG, found([frame(), 'main'])], '/1/finding/trace/1', 'must be an object');
    await rejects([CONFIG, found([frame({ function: 'F' }), { module: 'm', function: 'main', position: { line: '7' } }])], '/1/finding/trace/1/position/line', 'must be an integer');
    await rejects([CONFIG, found([frame()], { osv: 7 })], '/1/finding/osv', 'must be a string');
    await rejects([CONFIG, found([frame()], { trace: {} })], '/1/finding/trace', 'must be an array');
    await rejects([CONFIG, { osv: { aliases: [] } }], '/1/osv/id', 'must be a non-empty string');
    await rejects([CONFIG, { osv: { id: 'GO-1', references: [{ url: 5 }] } }], '/1/osv/references/0/url', 'must be a string');
    await rejects([{ config: { scanner_name: 'govulncheck', scanner_version: 1 } }, OSV], '/0/config/scanner_version', 'must be a string');
  });
});
