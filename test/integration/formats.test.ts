import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';
import { reportFile, reportJson } from '../support/fixtures.js';

/**
 * Every format through the real upload route. Counts are the findings each parser returns (see its unit test for
 * how they were derived) and the distinct vulnerabilities identity makes of them; where those differ the reason
 * was read off the file:
 * - bandit: B608 is reported twice at dojo/management/commands/migrate_surveys.py:51 with the same code;
 * - gitleaks / trufflehog: one secret found in two commits (same file, rule and value);
 * - npm audit 6: 41 advisories, 3 of them at two installed versions (44 findings), and two advisories of minimist
 *   share CVE-2020-7598 — version is not identity and aliases name one advisory, so 40 vulnerabilities.
 */
const FIXTURES: [file: string, format: string, findings: number, vulnerabilities: number][] = [
  ['bandit/many_vulns.json', 'bandit', 214, 213],
  ['cyclonedx/grype.xml', 'cyclonedx-xml', 327, 327],
  ['cyclonedx/issue_9277.json', 'cyclonedx-json', 14, 14],
  ['cyclonedx/valid-vulnerability-1.4.json', 'cyclonedx-json', 1, 1],
  ['cyclonedx/vex.json', 'cyclonedx-json', 19, 19],
  ['dependency-check/PR6439.xml', 'dependency_check', 26, 26],
  ['gitleaks/gitleaks8_many.json', 'gitleaks', 4, 3],
  ['govulncheck/issue_15033.json', 'govulncheck', 72, 72],
  ['grype/many_vulns_with_epss_values.json', 'grype', 15, 15],
  ['npm-audit/many_vulns.json', 'npm_audit', 3, 3],
  ['npm-audit/multiple_cwes.json', 'npm_audit', 44, 40],
  ['nuclei/many_findings.json', 'nuclei', 18, 18],
  ['osv-scanner/many_findings.json', 'osv-scanner', 37, 37],
  ['pip-audit/many_vulns_new.json', 'pip_audit', 7, 7],
  ['semgrep/many_vulns.json', 'semgrep', 48, 48],
  ['trivy/kubernetes.json', 'trivy', 20, 20],
  ['trivy/legacy_many_vulns.json', 'trivy', 93, 93],
  ['trivy/misconfigurations_and_secrets.json', 'trivy', 5, 5],
  ['trivy/scheme_2_many_vulns.json', 'trivy', 5, 5],
  ['trufflehog/v3_github.json', 'trufflehog', 4, 3],
  ['yarn-audit/yarn_audit_multiple_cwes.json', 'yarn_audit', 3, 3],
  ['zap/zap-results-first-scan.xml', 'zap-xml', 86, 86],
];

describeEachDatabase('report formats through the upload route', (use) => {
  let t: TestApp;
  let api: Caller;
  let token: string;
  let n = 0;

  const newProject = async () => (await api.post('/api/v1/groups/acme/projects', { path: `f${++n}` })).body.id as number;
  const upload = async (projectId: number, body: Buffer | object, ref = 'main') => {
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectId}/scans?ref=${ref}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    return { status: reply.statusCode, body: JSON.parse(reply.body) };
  };
  const vulns = async (projectId: number, query = '') => (await api.get(`/api/v1/projects/${projectId}/vulnerabilities?limit=500&${query}`)).body.items as any[];

  before(async () => {
    t = await startTestApp(use());
    token = await makeToken(t.svc, await makeUser(t.svc, 'root', { admin: true }), ['read', 'write', 'admin']);
    api = caller(t.app, { token });
    await api.post('/api/v1/groups', { path: 'acme' });
  });
  after(async () => {
    await t.app.close();
  });

  test('every fixture is detected, ingested with its counts, and re-ingested without change', async () => {
    for (const [file, format, findings, distinct] of FIXTURES) {
      const project = await newProject();
      const first = await upload(project, reportFile(file));
      assert.equal(first.status, 201, `${file}: ${JSON.stringify(first.body)}`);
      assert.equal(first.body.scan.format, format, file);
      assert.deepEqual(first.body.summary, { new: distinct, existing: 0, fixed: 0, reopened: 0, total: findings }, file);
      const again = await upload(project, reportFile(file));
      assert.deepEqual(again.body.summary, { new: 0, existing: distinct, fixed: 0, reopened: 0, total: findings }, file);
    }
  });

  test('rescan pairs give the new / fixed / existing counts the files imply', async () => {
    // grype many_vulns → many_vulns2: 1509 and 1567 distinct (CVE-or-GHSA-or-id, package, image name) keys,
    // 1463 in both (derived in test/unit/format-grype.test.ts): 104 new, 46 fixed.
    const grype = await newProject();
    await upload(grype, reportFile('grype/many_vulns.json'));
    assert.deepEqual((await upload(grype, reportFile('grype/many_vulns2.json'))).body.summary, { new: 104, existing: 1463, fixed: 46, reopened: 0, total: 1567 });
    // ZAP first → second scan: 86 and 78 distinct (pluginid, path, method, param) keys, 64 in both
    // (derived in test/unit/format-zap.test.ts): 14 new, 22 fixed.
    const zap = await newProject();
    await upload(zap, reportFile('zap/zap-results-first-scan.xml'));
    assert.deepEqual((await upload(zap, reportFile('zap/zap-results-second-scan.xml'))).body.summary, { new: 14, existing: 64, fixed: 22, reopened: 0, total: 78 });
    // Semgrep line 31 → line 24 (same fingerprint) → line 24 with another fingerprint: one vulnerability throughout.
    // The moved finding matches on Semgrep's fingerprint; the re-fingerprinted one on rule + file + code, because a
    // Semgrep fingerprint may help a match but may not veto one (see test/unit/format-semgrep.test.ts).
    const semgrep = await newProject();
    const steps = ['close_old_findings_report_line31.json', 'close_old_findings_report_second_run_line24.json', 'close_old_findings_report_third_run_different_unique_id.json'];
    const summaries = [];
    for (const step of steps) summaries.push((await upload(semgrep, reportFile(`semgrep/${step}`))).body.summary);
    assert.deepEqual(summaries.map((s) => [s.new, s.existing, s.fixed]), [[1, 0, 0], [0, 1, 0], [0, 1, 0]]);
    assert.equal((await vulns(semgrep))[0].location.startLine, 24);
  });

  test('Trivy and Grype reporting one CVE on one package of one image make one vulnerability with both names', async () => {
    const project = await newProject();
    await upload(project, reportFile('trivy/scheme_2_many_vulns.json'));
    const grype = reportJson('grype/many_vulns_with_epss_values.json');
    const match = grype.matches[0];
    match.vulnerability.id = 'GHSA-c2qf-rxjj-qqgw';
    match.relatedVulnerabilities = [{ ...match.vulnerability, id: 'CVE-2020-15999', dataSource: 'https://nvd.nist.gov/vuln/detail/CVE-2020-15999' }];
    match.artifact = { ...match.artifact, name: 'freetype', version: '2.9.1-r2', type: 'apk', purl: 'pkg:apk/alpine/freetype@2.9.1-r2' };
    grype.matches = [match];
    grype.source.target.userInput = 'teamdojo:latest';
    const second = await upload(project, grype);
    assert.deepEqual(second.body.summary, { new: 0, existing: 1, fixed: 0, reopened: 0, total: 1 });
    const [v] = await vulns(project, 'identifier=GHSA-c2qf-rxjj-qqgw');
    const detail = await api.get(`/api/v1/vulnerabilities/${v.id}`);
    assert.deepEqual(detail.body.identifiers.map((i: { value: string }) => i.value).sort(), ['CVE-2020-15999', 'CWE-787', 'GHSA-C2QF-RXJJ-QQGW']);
    assert.deepEqual(detail.body.occurrences.map((o: { scope: string }) => o.scope).sort(), ['container_scanning+secret_detection:trivy:teamdojo', 'container_scanning:grype:teamdojo']);
  });

  test('a clean rescan of an image fixes what the last scan of it found', async () => {
    const project = await newProject();
    await upload(project, reportFile('trivy/scheme_2_many_vulns.json'));
    const clean = reportJson('trivy/scheme_2_many_vulns.json');
    clean.Results = [];
    assert.deepEqual((await upload(project, clean)).body.summary, { new: 0, existing: 0, fixed: 5, reopened: 0, total: 0 });
  });

  test('format names the format where the upload cannot: a clean Gitleaks run ([]) fixes the secrets it no longer finds', async () => {
    const project = await newProject();
    await upload(project, reportFile('gitleaks/gitleaks8_many.json'));
    const send = (query: string, body: string) =>
      t.app.inject({ method: 'POST', url: `/api/v1/projects/${project}/scans?ref=main${query}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: body });
    const undetectable = await send('', '[]');
    assert.equal(undetectable.statusCode, 400);
    assert.match(JSON.parse(undetectable.body).detail, /not a known report format: a JSON array/);
    const clean = await send('&format=gitleaks', '[]');
    assert.deepEqual(JSON.parse(clean.body).summary, { new: 0, existing: 0, fixed: 3, reopened: 0, total: 0 });
    assert.match(JSON.parse((await send('&format=nessus', '[]')).body).detail, /"nessus" is not a format Vigil reads/);
    assert.match(JSON.parse((await send('&format=zap-xml', '[]')).body).detail, /this upload is a JSON array, which is not how zap-xml reports look/);
  });

  test('a malformed or cut-off report of any container points at the problem', async () => {
    const project = await newProject();
    const trivy = reportJson('trivy/scheme_2_many_vulns.json');
    trivy.Results[0].Vulnerabilities[1].Severity = 'SEVERE';
    const bad = await upload(project, trivy);
    assert.deepEqual([bad.status, bad.body.field], [400, 'report/Results/0/Vulnerabilities/1/Severity']);
    const xml = reportFile('dependency-check/PR6439.xml');
    const cut = await upload(project, xml.subarray(0, Math.floor(xml.length * 0.6)));
    assert.equal(cut.status, 400);
    assert.match(cut.body.detail, /^report: not valid XML: the document ends early inside <\w+> \(truncated\?\)$/);
    const lines = reportFile('trufflehog/v3_github.json').toString('utf8').split('\n');
    lines[1] = '{"SourceMetadata": 7, "DetectorName": "AWS"}';
    const stream = await upload(project, Buffer.from(lines.join('\n')));
    assert.deepEqual([stream.status, stream.body.field], [400, 'report/1/SourceMetadata']);
    assert.equal((await vulns(project)).length, 0, 'nothing was written');
  });

  test('a CycloneDX VEX "not_affected" analysis dismisses the vulnerability as not applicable, with its justification', async () => {
    const project = await newProject();
    await upload(project, reportFile('cyclonedx/vex-not_affected.json'));
    const [v] = await vulns(project);
    assert.deepEqual([v.state, v.dismissal_reason], ['dismissed', 'not_applicable']);
    const detail = await api.get(`/api/v1/vulnerabilities/${v.id}`);
    const transition = detail.body.history.find((h: { kind: string }) => h.kind === 'state');
    assert.equal(transition.to, 'dismissed');
    assert.match(transition.comment, /^as the report says: code_not_present\nThis version of Product ABC is not affected/);
  });

  test('secrets from Gitleaks and TruffleHog are stored nowhere in the clear', async () => {
    const secrets = [
      ...(reportJson('gitleaks/gitleaks8_many.json') as { Secret: string }[]).map((l) => l.Secret),
      ...reportFile('trufflehog/v3_github.json')
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { Raw: string }).Raw),
    ].filter((s) => s && s !== 'REDACTED');
    assert.ok(secrets.length >= 6);
    const project = await newProject();
    await upload(project, reportFile('gitleaks/gitleaks8_many.json'));
    await upload(project, reportFile('trufflehog/v3_github.json'));
    const db = use().kysely;
    const stored = JSON.stringify([
      await db.selectFrom('vulnerabilities').selectAll().where('project_id', '=', project).execute(),
      await sql`select i.* from vulnerability_identifiers i join vulnerabilities v on v.id = i.vulnerability_id where v.project_id = ${project}`.execute(db),
      await sql`select * from occurrences where project_id = ${project}`.execute(db),
      await sql`select * from vulnerability_events where project_id = ${project}`.execute(db),
    ]);
    for (const secret of secrets) assert.ok(!stored.includes(secret), `a secret (${secret.slice(0, 4)}…) was stored`);
    const listed = JSON.stringify(await vulns(project));
    for (const secret of secrets) assert.ok(!listed.includes(secret));
  });

  test('GET /api/v1/formats lists every format; the generic schema is published', async () => {
    const formats = (await caller(t.app).get('/api/v1/formats')).body.items.map((f: { id: string }) => f.id);
    for (const id of ['sarif', 'gitlab', 'trivy', 'grype', 'cyclonedx-json', 'cyclonedx-xml', 'osv-scanner', 'npm_audit', 'yarn_audit', 'pip_audit', 'govulncheck', 'dependency_check', 'semgrep', 'bandit', 'gitleaks', 'trufflehog', 'zap-xml', 'zap-json', 'nuclei', 'generic-json', 'generic-csv']) {
      assert.ok(formats.includes(id), id);
    }
    const schema = await t.app.inject({ url: '/api/v1/formats/generic.schema.json' });
    assert.equal(schema.headers['content-type'], 'application/schema+json; charset=utf-8');
    assert.equal(JSON.parse(schema.body).title, 'Vigil generic report');
  });
});
