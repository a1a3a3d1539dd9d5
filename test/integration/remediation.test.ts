import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import semver from 'semver';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';
import { reportFile, reportJson } from '../support/fixtures.js';

/**
 * Remediation over real reports: each fixture is uploaded to its own project, and the upgrade plan's versions are
 * checked against the fixed versions the report itself lists — read here straight from the raw JSON.
 */
interface Upgrade {
  ecosystem: string;
  package: string;
  installed: string | null;
  image: string | null;
  target: string | null;
  summary: string;
  fixes: { id: number; severity: string; identifier: string | null }[];
  unfixed: { id: number; severity: string; identifier: string | null }[];
}

describeEachDatabase('remediation: upgrade plans from real reports, CWE guidance', (use) => {
  let t: TestApp;
  let api: Caller;
  let token = '';

  async function planFor(fixture: string): Promise<{ upgrades: Upgrade[]; images: { image: string; upgrades: Upgrade[]; newer_tags: string[] }[] }> {
    const path = fixture.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    assert.equal((await api.post('/api/v1/groups/fix/projects', { path })).status, 201);
    const upload = await t.app.inject({ method: 'POST', url: `/api/v1/projects/fix%2F${path}/scans?ref=main`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: reportFile(fixture) });
    assert.equal(upload.statusCode, 201, upload.body);
    const plan = await api.get(`/api/v1/projects/fix%2F${path}/upgrade-plan`);
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    return plan.body;
  }

  before(async () => {
    t = await startTestApp(use());
    token = await makeToken(t.svc, await makeUser(t.svc, 'dev', { admin: true }), ['read', 'write', 'admin']);
    api = caller(t.app, { token });
    assert.equal((await api.post('/api/v1/groups', { path: 'fix' })).status, 201);
  });
  after(async () => {
    await t.app.close();
  });

  test('npm audit (npm 6): every target satisfies the patched range of each advisory it fixes, and no lower listed fix does', async () => {
    const raw = reportJson('npm-audit/multiple_cwes.json') as { advisories: Record<string, { module_name: string; patched_versions: string; findings: { version: string }[] }> };
    const plan = await planFor('npm-audit/multiple_cwes.json');
    // Per package and installed version: the patched ranges of its advisories, from the report.
    const patched = new Map<string, string[]>();
    for (const a of Object.values(raw.advisories)) {
      for (const version of new Set(a.findings.map((f) => f.version))) patched.set(`${a.module_name}@${version}`, [...(patched.get(`${a.module_name}@${version}`) ?? []), a.patched_versions]);
    }
    // 44 (advisory, version) findings over 29 package versions: the store keeps one vulnerability per advisory and
    // package, so minimist 0.0.8 and 0.0.10 (one advisory) are one vulnerability at the version seen first.
    // 29 package versions in the report; the store keeps one vulnerability per advisory and package (the version is
    // an attribute, not identity), so an advisory listed at two versions is one vulnerability at one of them: 25.
    assert.equal(patched.size, 29);
    assert.equal(plan.upgrades.length, 25);
    // Every open vulnerability of the project is in the plan, fixed or not, exactly once.
    const facets = await api.get('/api/v1/projects/fix%2Fnpm-audit-multiple-cwes-json/vulnerabilities/facets');
    const open = (facets.body.states as { id: string; count: number }[]).filter((s) => s.id === 'detected' || s.id === 'confirmed').reduce((n, s) => n + s.count, 0);
    assert.equal(plan.upgrades.reduce((n, u) => n + u.fixes.length + u.unfixed.length, 0), open);
    let checked = 0;
    for (const u of plan.upgrades) {
      const ranges = patched.get(`${u.package}@${u.installed}`)!;
      assert.ok(ranges, `${u.package}@${u.installed} is in the report`);
      assert.notEqual(u.target, null, `${u.summary}: every advisory here has a patch`);
      for (const range of ranges) assert.ok(semver.satisfies(u.target!, range), `${u.summary}: ${u.target} satisfies ${range}`);
      // Minimal: the lowest version of some patched range, and no lower such version satisfies them all.
      const lowest = ranges.map((r) => semver.minVersion(r)!.version);
      assert.ok(lowest.includes(u.target!), `${u.summary}: ${u.target} is one of ${lowest.join(', ')}`);
      for (const lower of lowest.filter((l) => semver.lt(l, u.target!) && semver.gt(l, u.installed!))) assert.ok(!ranges.every((r) => semver.satisfies(lower, r)), `${lower} would do`);
      checked++;
    }
    assert.equal(checked, 25);
    const urlParse = plan.upgrades.find((u) => u.package === 'url-parse')!;
    assert.equal(urlParse.summary, 'upgrade url-parse 1.5.3 → 1.5.9 fixes 4 vulnerabilities, 1 critical');
  });

  test('npm audit (npm 7+): the fix is the first version above each vulnerable range', async () => {
    const plan = await planFor('npm-audit/many_vulns.json');
    assert.deepEqual(
      plan.upgrades.map((u) => [u.package, u.target]).sort(),
      [['debug', '4.3.1'], ['semver', '7.5.2'], ['undici', '5.28.3']],
    );
  });

  test('Trivy: per package the lowest FixedVersion that clears all, grouped per image', async () => {
    const raw = reportJson('trivy/scheme_2_many_vulns.json') as { Results: { Vulnerabilities?: { PkgName: string; FixedVersion?: string }[] }[] };
    const fixed = new Map<string, string[]>();
    for (const r of raw.Results) for (const v of r.Vulnerabilities ?? []) if (v.FixedVersion) fixed.set(v.PkgName, [...(fixed.get(v.PkgName) ?? []), v.FixedVersion]);
    const plan = await planFor('trivy/scheme_2_many_vulns.json');
    assert.equal(plan.upgrades.length, fixed.size);
    const targets = Object.fromEntries(plan.upgrades.map((u) => [u.package, u.target]));
    assert.deepEqual(targets, {
      libbz2: '1.0.6-r7',
      'krb5-libs': '1.15.5-r1',
      freetype: '2.9.1-r3',
      // 1.16 fixes CVE-2018-1324 only; 1.18 fixes it and CVE-2018-11771.
      'org.apache.commons:commons-compress': '1.18',
    });
    for (const u of plan.upgrades) assert.ok(fixed.get(u.package)!.includes(u.target!), `${u.package}: ${u.target} is a FixedVersion in the report`);
    assert.equal(plan.upgrades.find((u) => u.package === 'org.apache.commons:commons-compress')!.fixes.length, 2);
    assert.deepEqual(plan.images.map((i) => [i.image, i.upgrades.length, i.newer_tags]), [['teamdojo:latest', 4, []]]);
  });

  test('Grype: Debian packages ordered as dpkg orders them; most have no fix, and say so', async () => {
    const raw = reportJson('grype/many_vulns.json') as { matches: { vulnerability: { fixedInVersion?: string }; artifact: { name: string; version: string } }[] };
    const withFix = new Map<string, string[]>();
    const packages = new Set<string>();
    for (const m of raw.matches) {
      const key = `${m.artifact.name}@${m.artifact.version}`;
      packages.add(key);
      if (m.vulnerability.fixedInVersion) withFix.set(key, [...(withFix.get(key) ?? []), m.vulnerability.fixedInVersion]);
    }
    const plan = await planFor('grype/many_vulns.json');
    assert.equal(plan.upgrades.length, packages.size);
    const targeted = plan.upgrades.filter((u) => u.target !== null);
    assert.equal(targeted.length, withFix.size);
    for (const u of targeted) assert.ok(withFix.get(`${u.package}@${u.installed}`)!.includes(u.target!));
    const kernel = targeted.find((u) => u.package === 'linux-libc-dev')!;
    // Fixes are listed at 4.19.171-1 and 4.19.171-2: only the later clears all twelve.
    assert.equal(kernel.target, '4.19.171-2');
    assert.equal(kernel.fixes.length, 12);
    const none = plan.upgrades.find((u) => u.target === null)!;
    assert.match(none.summary, /^no fix available for /);
    assert.equal(none.fixes.length, 0);
  });

  test('the Markdown plan, and a vulnerability page: CWE guidance with mitigations and training, and its upgrade', async () => {
    const md = await t.app.inject({ method: 'GET', url: '/api/v1/projects/fix%2Fnpm-audit-multiple-cwes-json/upgrade-plan?format=markdown', headers: { authorization: `Bearer ${token}` } });
    assert.equal(md.statusCode, 200);
    assert.match(String(md.headers['content-type']), /^text\/markdown/);
    assert.match(md.body, /^## Security upgrades for fix\/npm-audit-multiple-cwes-json\n\n25 upgrades fix 40 vulnerabilities\./);
    assert.match(md.body, /\| `url-parse` \| npm \| 1\.5\.3 \| \*\*1\.5\.9\*\* \| 4 vulnerabilities, 1 critical: /);

    const list = await api.get('/api/v1/projects/fix%2Fnpm-audit-multiple-cwes-json/vulnerabilities?identifier=CWE-1321&limit=100');
    const prototypePollution = list.body.items.find((v: { title: string }) => /minimist/i.test(v.title)) ?? list.body.items[0];
    const remediation = await api.get(`/api/v1/vulnerabilities/${prototypePollution.id}/remediation`);
    assert.equal(remediation.status, 200, JSON.stringify(remediation.body));
    const weakness = remediation.body.weaknesses.find((w: { id: string }) => w.id === 'CWE-1321');
    assert.equal(weakness.name, "Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')");
    assert.ok(weakness.mitigations.length >= 3);
    assert.deepEqual(weakness.training.cheat_sheets.map((c: { title: string }) => c.title), ['Prototype Pollution Prevention Cheat Sheet']);
    assert.match(remediation.body.attribution, /© The MITRE Corporation/);
    assert.equal(remediation.body.cwe_version, '4.15');
    assert.ok(remediation.body.upgrade.target);
    assert.match(remediation.body.upgrade.summary, /^upgrade /);
  });
});

