import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { TRUNCATION_MARKER } from '../../src/vulns/formats/limits.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';
import { reportFile, reportJson } from '../support/fixtures.js';

/** Finding counts from ../shared/fixtures/reports/README.md. */
const README_COUNTS: Record<string, number> = {
  'gitlab/gitlab_dast_many_vul_v15.json': 10,
  'gitlab/gitlab_secret_detection_report_1_vuln_v15.json': 1,
  'gitlab/gitlab_secret_detection_report_3_vuln_v15.json': 3,
  'gitlab/gl-dependency-scanning-report-many-vuln_v15.json': 6,
  'gitlab/gl-sast-report-1-vuln_v14.json': 1,
  'gitlab/gl-sast-report-1-vuln_v15.json': 1,
  'gitlab/gl-sast-report-confidence_v14.json': 8,
  'gitlab/gl-sast-report-confidence_v15.json': 8,
  'gitlab/gl-sast-report-cwe_v14.json': 3,
  'gitlab/gl-sast-report-cwe_v15.json': 3,
  'gitlab/gl-sast-report-many-vuln_v14.json': 467,
  'gitlab/gl-sast-report-many-vuln_v15.json': 467,
  'gitlab/gl-sast-report-multiple-cwe-fabricated_v15.json': 1,
  'gitlab/gl-sast-report_issue4344_v14.json': 1,
  'gitlab/gl-sast-report_issue4344_v15.json': 1,
  'gitlab/issue6639_v15.json': 98,
  'sarif/bash-report-fabricated-no-internal-dupes-subset.sarif': 4,
  'sarif/bash-report-fabricated-no-internal-dupes.sarif': 5,
  'sarif/bash-report.sarif': 27,
  'sarif/codeQL-output.sarif': 72,
  'sarif/gitleaks_7.5.0.sarif': 8,
  'sarif/semgrepowasp-benchmark-sample.sarif': 1768,
  'sarif/suppression_test.sarif': 5,
};

/**
 * Distinct vulnerabilities where they differ from the raw count, each for a reason read off the file:
 * the same advisory on one package at several versions in one go.sum is one vulnerability (version is not
 * identity), and so is terser 4.8.0 and 5.9.0 in one image; ShellCheck reports some line twice (27 results, 12
 * distinct rule+file+line); Gitleaks reports each of 4 secrets in two commits.
 */
const DISTINCT: Record<string, number> = {
  'gitlab/gl-dependency-scanning-report-many-vuln_v15.json': 3,
  'sarif/bash-report.sarif': 12,
  'sarif/gitleaks_7.5.0.sarif': 4,
  'gitlab/issue6639_v15.json': 97,
};

describeEachDatabase('ingesting reports and tracking vulnerabilities across branches', (use) => {
  let t: TestApp;
  let api: Caller;
  let projectCounter = 0;

  async function newProject(defaultBranch = 'main'): Promise<{ id: number; path: string }> {
    const path = `p${++projectCounter}`;
    const reply = await api.post('/api/v1/groups/acme/projects', { path, default_branch: defaultBranch });
    assert.equal(reply.status, 201);
    return { id: reply.body.id, path: `acme/${path}` };
  }

  async function upload(projectId: number, body: Buffer | object | string, query: string, headers: Record<string, string> = {}) {
    const payload = Buffer.isBuffer(body) ? body : typeof body === 'string' ? body : JSON.stringify(body);
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/scans?${query}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      payload,
    });
    return { status: reply.statusCode, body: JSON.parse(reply.body) };
  }

  async function rowCounts() {
    const db = use().kysely;
    const n = async (table: 'scans' | 'vulnerabilities' | 'vulnerability_identifiers' | 'vulnerability_fingerprints' | 'occurrences' | 'vulnerability_events') =>
      Number((await db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    return {
      scans: await n('scans'),
      vulnerabilities: await n('vulnerabilities'),
      identifiers: await n('vulnerability_identifiers'),
      fingerprints: await n('vulnerability_fingerprints'),
      occurrences: await n('occurrences'),
      events: await n('vulnerability_events'),
    };
  }

  async function vulns(projectId: number, query = '') {
    const reply = await api.get(`/api/v1/projects/${projectId}/vulnerabilities?limit=500${query ? `&${query}` : ''}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body.items as { id: number; title: string; state: string; severity: string; primary_identifier: string; location: { file: string; startLine: number } }[];
  }

  let token: string;
  before(async () => {
    t = await startTestApp(use());
    const root = await makeUser(t.svc, 'root', { admin: true });
    token = await makeToken(t.svc, root, ['read', 'write', 'admin']);
    api = caller(t.app, { token });
    await api.post('/api/v1/groups', { path: 'acme' });
  });
  after(async () => {
    await t.app.close();
  });

  test('every GitLab and SARIF fixture ingests with the README count; an unchanged re-ingest adds nothing', async () => {
    for (const [file, count] of Object.entries(README_COUNTS)) {
      const project = await newProject();
      const first = await upload(project.id, reportFile(file), 'ref=main');
      assert.equal(first.status, 201, `${file}: ${JSON.stringify(first.body)}`);
      assert.equal(first.body.scan.finding_count, count, file);
      const distinct = DISTINCT[file] ?? count;
      assert.deepEqual(first.body.summary, { new: distinct, existing: 0, fixed: 0, reopened: 0, total: count }, file);
      const before = await rowCounts();
      const again = await upload(project.id, reportFile(file), 'ref=main');
      assert.deepEqual(again.body.summary, { new: 0, existing: distinct, fixed: 0, reopened: 0, total: count }, file);
      const afterCounts = await rowCounts();
      assert.deepEqual(afterCounts, { ...before, scans: before.scans + 1 }, `${file}: a re-ingest writes only its scan row`);
      assert.equal((await vulns(project.id)).length, Math.min(distinct, 500));
    }
  });

  test('master vs feature-branch: the comparison reports exactly what the two files differ in', async () => {
    const project = await newProject('master');
    for (const file of ['gl-sast-report.json', 'gl-secret-detection-report.json']) {
      assert.equal((await upload(project.id, reportFile(`gitlab-branches/master/${file}`), 'ref=master')).status, 201);
    }
    const sast = await upload(project.id, reportFile('gitlab-branches/feature-branch/gl-sast-report.json'), 'ref=feature-branch');
    assert.deepEqual(sast.body.summary, { new: 1, existing: 4, fixed: 0, reopened: 0, total: 5 });
    const secrets = await upload(project.id, reportFile('gitlab-branches/feature-branch/gl-secret-detection-report.json'), 'ref=feature-branch');
    assert.deepEqual(secrets.body.summary, { new: 0, existing: 0, fixed: 0, reopened: 0, total: 0 });

    const compare = await api.get(`/api/v1/projects/${project.id}/compare?head=feature-branch`);
    assert.equal(compare.body.base, 'master');
    const describe = (v: { primary_identifier: string; location: { file: string; startLine: number } }) => `${v.primary_identifier} ${v.location.file}:${v.location.startLine}`;
    assert.deepEqual(compare.body.new.map(describe), ['find_sec_bugs_type:ecb_mode app/src/main/groovy/com/gitlab/security_products/tests/App.groovy:29']);
    assert.deepEqual(compare.body.fixed.map((v: { primary_identifier: string; report_type: string }) => `${v.report_type} ${v.primary_identifier}`).sort(), [
      'sast find_sec_bugs_type:cipher_integrity',
      'secret_detection gitleaks_rule_id:aws',
    ].sort());
    assert.equal(compare.body.unchanged, 4);

    // The branch's view never changes the default branch's: on master everything is still there.
    const onMaster = await vulns(project.id, 'ref=master');
    assert.equal(onMaster.length, 6);
    assert.equal((await vulns(project.id, 'present_on_default=false')).length, 1, 'only the branch-only finding is absent from master');
  });

  test('SARIF: the subset re-ingested on the same ref and scope fixes exactly the missing result', async () => {
    const project = await newProject();
    assert.equal((await upload(project.id, reportFile('sarif/bash-report-fabricated-no-internal-dupes.sarif'), 'ref=main')).body.summary.new, 5);
    const subset = await upload(project.id, reportFile('sarif/bash-report-fabricated-no-internal-dupes-subset.sarif'), 'ref=main');
    assert.deepEqual(subset.body.summary, { new: 0, existing: 4, fixed: 1, reopened: 0, total: 4 });
    const gone = await vulns(project.id, 'present_on_default=false');
    assert.deepEqual(gone.map((v) => `${v.primary_identifier} ${v.location.startLine}`), ['rule:1035 142']);
    assert.equal(gone[0]!.state, 'detected', 'no longer detected, but not resolved without the auto-resolve policy');
    // The same report uploaded on another branch does not fix anything on main.
    const other = await upload(project.id, reportFile('sarif/bash-report-fabricated-no-internal-dupes-subset.sarif'), 'ref=other');
    assert.equal(other.body.summary.fixed, 0);
  });

  test('a SAST finding whose lines moved keeps its identity (snippet and tracking), and so do same-rule findings without either', async () => {
    const project = await newProject();
    const gosec = reportJson('gitlab-branches/master/gl-sast-report-gosec.json');
    assert.equal((await upload(project.id, gosec, 'ref=main')).body.summary.new, 1);
    for (const v of gosec.vulnerabilities) {
      v.location.start_line += 7;
      v.location.end_line = (v.location.end_line ?? v.location.start_line - 7) + 7;
      delete v.tracking;
    }
    const moved = await upload(project.id, gosec, 'ref=main');
    assert.deepEqual(moved.body.summary, { new: 0, existing: 1, fixed: 0, reopened: 0, total: 1 });

    // Neither fingerprints nor snippets: two results of one rule in one file, both shifted down by three lines.
    const bare = (lines: number[]) => ({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'lint', rules: [{ id: 'R1', shortDescription: { text: 'Bad thing' } }] } }, results: lines.map((line) => ({ ruleId: 'R1', message: { text: 'bad' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: line } } }] })) }],
    });
    const p2 = await newProject();
    await upload(p2.id, bare([10, 40]), 'ref=main');
    const ids = Object.fromEntries((await vulns(p2.id)).map((v) => [v.location.startLine, v.id]));
    const shifted = await upload(p2.id, bare([13, 43]), 'ref=main');
    assert.deepEqual(shifted.body.summary, { new: 0, existing: 2, fixed: 0, reopened: 0, total: 2 });
    const after = Object.fromEntries((await vulns(p2.id)).map((v) => [v.location.startLine, v.id]));
    assert.deepEqual(after, { 13: ids[10], 43: ids[40] }, 'each kept its own identity (nearest line)');
  });

  test('suppressed SARIF results start out dismissed; a dismissal holds when the finding is detected again on any branch', async () => {
    const project = await newProject();
    await upload(project.id, reportFile('sarif/suppression_test.sarif'), 'ref=main');
    const all = await vulns(project.id);
    assert.deepEqual(all.map((v) => `${v.primary_identifier}:${v.state}`).sort(), ['rule:tst0001:dismissed', 'rule:tst0002:dismissed', 'rule:tst0003:dismissed', 'rule:tst0004:detected', 'rule:tst0005:detected']);

    const target = all.find((v) => v.primary_identifier === 'rule:tst0004')!;
    const missing = await api.post(`/api/v1/vulnerabilities/${target.id}/triage`, { state: 'dismissed', comment: 'test code' });
    assert.deepEqual([missing.status, missing.body.field], [400, 'body/reason']);
    const noComment = await api.post(`/api/v1/vulnerabilities/${target.id}/triage`, { state: 'dismissed', reason: 'used_in_tests' });
    assert.deepEqual([noComment.status, noComment.body.field], [400, 'body/comment']);
    assert.deepEqual((await api.post(`/api/v1/vulnerabilities/${target.id}/triage`, { state: 'dismissed', reason: 'used_in_tests', comment: 'only in test fixtures' })).body, { changed: 1, unchanged: 0 });
    await upload(project.id, reportFile('sarif/suppression_test.sarif'), 'ref=feature');
    await upload(project.id, reportFile('sarif/suppression_test.sarif'), 'ref=main');
    const detail = await api.get(`/api/v1/vulnerabilities/${target.id}`);
    assert.equal(detail.body.state, 'dismissed');
    assert.equal(detail.body.dismissal_reason, 'used_in_tests');
    assert.deepEqual(detail.body.occurrences.map((o: { ref: string; state: string }) => `${o.ref}:${o.state}`), ['feature:present', 'main:present']);
    const triageEvent = detail.body.history.find((h: { kind: string }) => h.kind === 'state');
    assert.deepEqual([triageEvent.actor, triageEvent.from, triageEvent.to, triageEvent.reason, triageEvent.comment], ['root', 'detected', 'dismissed', 'used_in_tests', 'only in test fixtures']);
  });

  test('resolved vulnerabilities are reopened when detected again; auto-resolve resolves what the default branch no longer sees', async () => {
    const project = await newProject();
    const full = reportFile('sarif/bash-report-fabricated-no-internal-dupes.sarif');
    const subset = reportFile('sarif/bash-report-fabricated-no-internal-dupes-subset.sarif');
    await upload(project.id, full, 'ref=main');
    const [one] = await vulns(project.id);
    assert.equal((await api.post(`/api/v1/vulnerabilities/${one!.id}/triage`, { state: 'resolved', comment: 'fixed in 1.2' })).status, 200);
    const again = await upload(project.id, full, 'ref=main');
    assert.deepEqual(again.body.summary, { new: 0, existing: 5, fixed: 0, reopened: 1, total: 5 });
    const reopened = await api.get(`/api/v1/vulnerabilities/${one!.id}`);
    assert.equal(reopened.body.state, 'detected');
    assert.equal(reopened.body.history.at(-1).reason, 'detected again on main');

    assert.equal((await api.patch(`/api/v1/projects/${project.id}`, { auto_resolve: true })).body.auto_resolve, true);
    await upload(project.id, subset, 'ref=main');
    const resolved = await vulns(project.id, 'state=resolved');
    assert.deepEqual(resolved.map((v) => v.location.startLine), [142]);
    await upload(project.id, subset, 'ref=feature');
    assert.equal((await vulns(project.id, 'state=resolved')).length, 1, 'a branch never resolves anything');
  });

  test('severity overrides need a justification and survive new scans; bulk triage by filter', async () => {
    const project = await newProject();
    await upload(project.id, reportFile('gitlab/gl-dependency-scanning-report-many-vuln_v15.json'), 'ref=main');
    const list = await vulns(project.id);
    const cve = (await vulns(project.id, 'identifier=cve-2020-29652'))[0]!;
    assert.equal(cve.severity, 'high');
    assert.equal((await api.post(`/api/v1/vulnerabilities/${cve.id}/triage`, { severity: 'low' })).body.field, 'body/justification');
    await api.post(`/api/v1/vulnerabilities/${cve.id}/triage`, { severity: 'low', justification: 'only reachable from an internal tool' });
    await upload(project.id, reportFile('gitlab/gl-dependency-scanning-report-many-vuln_v15.json'), 'ref=main');
    const detail = await api.get(`/api/v1/vulnerabilities/${cve.id}`);
    assert.deepEqual([detail.body.severity, detail.body.scanner_severity, detail.body.severity_overridden], ['low', 'high', true]);

    const bulk = await api.post(`/api/v1/projects/${project.id}/vulnerabilities/triage`, { filter: { severity: 'low' }, state: 'confirmed', comment: 'triaged' });
    assert.deepEqual(bulk.body, { changed: list.filter((v) => v.severity === 'low').length + 1, unchanged: 0 });
    const both = await api.post(`/api/v1/projects/${project.id}/vulnerabilities/triage`, { ids: [1], filter: { severity: 'low' }, state: 'confirmed' });
    assert.deepEqual([both.status, both.body.field], [400, 'body/ids']);
  });

  test('the report filters, sorts and pages; the group report covers its subtree', async () => {
    const project = await newProject();
    await upload(project.id, reportFile('gitlab/gl-sast-report-many-vuln_v14.json'), 'ref=main');
    const severities = (await vulns(project.id)).map((v) => v.severity);
    const rank = ['unknown', 'info', 'low', 'medium', 'high', 'critical'];
    assert.deepEqual(severities, [...severities].sort((a, b) => rank.indexOf(b) - rank.indexOf(a)), 'sorted by severity, worst first');
    const seen = new Set<number>();
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: number }[]; next_cursor: string | null } } = await api.get(`/api/v1/projects/${project.id}/vulnerabilities?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      for (const v of page.body.items) seen.add(v.id);
      cursor = page.body.next_cursor;
    } while (cursor);
    assert.equal(seen.size, 467);
    const critical = await vulns(project.id, 'severity=critical');
    assert.equal(critical.length, 13);
    assert.ok(critical.every((v) => v.severity === 'critical'));
    const bad = await api.get(`/api/v1/projects/${project.id}/vulnerabilities?severity=catastrophic`);
    assert.deepEqual([bad.status, bad.body.field], [400, 'query/severity']);
    const groupWide = await api.get('/api/v1/groups/acme/vulnerabilities?severity=critical&limit=500');
    assert.ok(groupWide.body.items.length >= 13);
    assert.ok(groupWide.body.items.every((v: { project_path: string }) => v.project_path.startsWith('acme/')));
  });

  test('bad reports get a precise problem and write nothing', async () => {
    const project = await newProject();
    const severity = reportJson('gitlab-branches/master/gl-sast-report.json');
    severity.vulnerabilities[3].severity = 'Catastrophic';
    const wrongType = reportJson('gitlab-branches/master/gl-sast-report.json');
    wrongType.vulnerabilities[1].identifiers[0].value = { not: 'a string' };
    const cases: [string, Buffer | object | string, string, number, string][] = [
      ['not JSON', 'hello, world', 'ref=main', 400, 'report'],
      ['truncated', reportFile('gitlab-branches/master/gl-sast-report.json').subarray(0, 3000), 'ref=main', 400, 'report'],
      ['JSON of no known format', { hello: 'world' }, 'ref=main', 400, 'report'],
      ['a JSON array', [1, 2, 3], 'ref=main', 400, 'report'],
      ['severity outside the enum', severity, 'ref=main', 400, 'report/vulnerabilities/3/severity'],
      ['a vulnerability without identifiers', reportFile('gitlab-branches/master/gl-common-scanning-report.json'), 'ref=main', 400, 'report/vulnerabilities/2/identifiers'],
      ['an identifier of the wrong type', wrongType, 'ref=main', 400, 'report/vulnerabilities/1/identifiers/0/value'],
      ['a ref with control characters', reportFile('gitlab-branches/master/gl-sast-report.json'), 'ref=ma%01in', 400, 'query/ref'],
      ['a ref git would refuse', reportFile('gitlab-branches/master/gl-sast-report.json'), 'ref=a..b', 400, 'query/ref'],
      ['no ref', reportFile('gitlab-branches/master/gl-sast-report.json'), 'commit=abc1234', 400, 'query/ref'],
      ['an empty body', '', 'ref=main', 400, 'report'],
    ];
    const before = await rowCounts();
    for (const [what, body, query, status, field] of cases) {
      const reply = await upload(project.id, body, query);
      assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.field, field, `${what}: ${reply.body.detail}`);
      assert.equal(reply.body.type, 'urn:vigil:problem:validation', what);
    }
    assert.match((await upload(project.id, severity, 'ref=main')).body.detail, /Catastrophic/);
    assert.equal((await upload(project.id, 'hello', 'ref=main')).body.detail, 'report: a report must be JSON, JSON Lines, XML or CSV with a header line; this is none of them');
    assert.match((await upload(project.id, { hello: 'world' }, 'ref=main')).body.detail, /^report: not a known report format: a JSON object with keys hello matches none of /);
    assert.match((await upload(project.id, '{"version": nope}', 'ref=main')).body.detail, /^report: not valid JSON: Unexpected "o"/);
    assert.match((await upload(project.id, reportFile('gitlab-branches/master/gl-sast-report.json').subarray(0, 3000), 'ref=main')).body.detail, /ends early after 3000 bytes/);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/projects/acme%2Fnope/scans?ref=main', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{}' })).statusCode, 404);
    assert.deepEqual(await rowCounts(), before, 'nothing was written by any refused upload');
  });

  test('size and finding limits are reported as such; long strings are truncated with a marker', async () => {
    const project = await newProject();
    const sendTo = (app: TestApp['app'], body: Buffer) =>
      app.inject({ method: 'POST', url: `/api/v1/projects/${project.id}/scans?ref=main`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: body });
    const before = await rowCounts();
    const bytesLimited = await startTestApp(use(), { VIGIL_MAX_REPORT_BYTES: '20000' });
    const tooBig = await sendTo(bytesLimited.app, reportFile('gitlab/gl-sast-report-many-vuln_v14.json'));
    assert.equal(tooBig.statusCode, 413);
    assert.equal(JSON.parse(tooBig.body).detail, 'the report is larger than 20000 bytes (the configured limit)');
    await bytesLimited.app.close();
    const countLimited = await startTestApp(use(), { VIGIL_MAX_FINDINGS: '100' });
    const tooMany = await sendTo(countLimited.app, reportFile('gitlab/gl-sast-report-many-vuln_v14.json'));
    assert.equal(tooMany.statusCode, 413);
    assert.equal(JSON.parse(tooMany.body).detail, 'the report has more than 100 findings (the configured limit)');
    await countLimited.app.close();
    assert.deepEqual(await rowCounts(), before);

    const long = reportJson('gitlab-branches/master/gl-sast-report-minimal.json');
    long.vulnerabilities[0].name = 'N'.repeat(5000);
    long.vulnerabilities[0].description = 'D'.repeat(100_000);
    assert.equal((await upload(project.id, long, 'ref=main')).status, 201);
    const [v] = await vulns(project.id);
    assert.equal(v!.title.length, 1000);
    assert.ok(v!.title.endsWith(TRUNCATION_MARKER));
    const detail = await api.get(`/api/v1/vulnerabilities/${v!.id}`);
    assert.ok(detail.body.description.endsWith(TRUNCATION_MARKER));
  });

  test('idempotency keys, gzip and multipart uploads', async () => {
    const project = await newProject();
    const body = reportFile('gitlab-branches/master/gl-sast-report.json');
    const first = await upload(project.id, body, 'ref=main&idempotency_key=pipeline-7-sast');
    const before = await rowCounts();
    const replay = await upload(project.id, body, 'ref=main', { 'idempotency-key': 'pipeline-7-sast' });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.replayed, true);
    assert.equal(replay.body.scan.id, first.body.scan.id);
    assert.deepEqual(await rowCounts(), before);

    const gz = await upload(project.id, gzipSync(body), 'ref=gz', { 'content-type': 'application/gzip' });
    assert.deepEqual([gz.status, gz.body.summary.existing], [201, 5]);
    const notGzip = await upload(project.id, body, 'ref=gz', { 'content-type': 'application/gzip' });
    assert.deepEqual([notGzip.status, notGzip.body.field], [400, 'report']);

    const boundary = '----vigil-test';
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="gl-sast-report.json"\r\nContent-Type: application/json\r\n\r\n`),
      body,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const mp = await upload(project.id, multipart, 'ref=multipart', { 'content-type': `multipart/form-data; boundary=${boundary}` });
    assert.deepEqual([mp.status, mp.body.scan.ref, mp.body.summary.existing], [201, 'multipart', 5]);
    const scans = await api.get(`/api/v1/projects/${project.id}/scans`);
    assert.deepEqual(scans.body.items.map((s: { ref: string }) => s.ref), ['multipart', 'gz', 'main']);
    assert.equal((await api.get(`/api/v1/projects/${project.id}/scans/${first.body.scan.id}`)).body.scope_key, 'sast:find_sec_bugs');
  });

  test('secret values are never stored: a redacted preview replaces the snippet', async () => {
    const project = await newProject();
    await upload(project.id, reportFile('gitlab/gitlab_secret_detection_report_1_vuln_v15.json'), 'ref=main');
    const [v] = await vulns(project.id);
    const detail = await api.get(`/api/v1/vulnerabilities/${v!.id}`);
    const raw = reportJson('gitlab/gitlab_secret_detection_report_1_vuln_v15.json').vulnerabilities[0].raw_source_code_extract as string;
    assert.ok(!JSON.stringify(detail.body).includes(raw.trim()), 'the secret does not come back from the API');
    assert.match(String(detail.body.details.snippet), /redacted/);
    const stored = await use().kysely.selectFrom('vulnerabilities').select('details_json').where('id', '=', v!.id).executeTakeFirstOrThrow();
    assert.ok(!stored.details_json.includes(raw.trim()));
  });
});
