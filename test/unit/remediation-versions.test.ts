import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ecosystemOf, isFixedBy, parseFix, schemeFor, type Ecosystem, type Fix } from '../../src/remediation/versions.js';
import { planUpgrades, upgradeLine } from '../../src/remediation/upgrade-plan.js';
import { cweKnowledge, ancestry } from '../../src/remediation/cwe.js';
import { trainingFor } from '../../src/remediation/training.js';

const sorted = (ecosystem: Ecosystem, versions: string[]) => [...versions].sort(schemeFor(ecosystem).compare);

test('each ecosystem orders versions its own way', () => {
  assert.deepEqual(sorted('maven', ['1.0', '1.0-rc1', '1.0-beta2', '1.0-alpha', '1.0.1', '1.0-sp1', '1.0-SNAPSHOT']), ['1.0-alpha', '1.0-beta2', '1.0-rc1', '1.0-SNAPSHOT', '1.0', '1.0-sp1', '1.0.1']);
  assert.equal(schemeFor('maven').compare('2.12', '2.12.0'), 0);
  assert.deepEqual(sorted('debian', ['1.0-1', '1.0~rc1-1', '1:0.9-1', '1.0-1+deb10u1', '1.0a-1']), ['1.0~rc1-1', '1.0-1', '1.0-1+deb10u1', '1.0a-1', '1:0.9-1']);
  assert.deepEqual(sorted('debian', ['4.19.171-2', '4.19.160-2', '4.19.171-1']), ['4.19.160-2', '4.19.171-1', '4.19.171-2']);
  assert.deepEqual(sorted('pypi', ['1.0', '1.0rc1', '1.0.post1', '1.0.dev1', '0.9']), ['0.9', '1.0.dev1', '1.0rc1', '1.0', '1.0.post1']);
  assert.deepEqual(sorted('rubygems', ['1.0.0', '1.0.0.pre', '0.9.10', '0.9.9']), ['0.9.9', '0.9.10', '1.0.0.pre', '1.0.0']);
  assert.deepEqual(sorted('go', ['v1.10.0', 'v1.9.2', 'v1.10.0-rc.1']), ['v1.9.2', 'v1.10.0-rc.1', 'v1.10.0']);
  assert.deepEqual(sorted('nuget', ['4.1.0', '4.0.10.1', '4.0.10', '4.1.0-preview1']), ['4.0.10', '4.0.10.1', '4.1.0-preview1', '4.1.0']);
  assert.deepEqual(sorted('alpine', ['1.0.6-r10', '1.0.6-r7', '1.0.6-r6']), ['1.0.6-r6', '1.0.6-r7', '1.0.6-r10']);
});

test('ecosystems from report types and purls', () => {
  assert.equal(ecosystemOf({ ecosystem: 'node-pkg' }), 'npm');
  assert.equal(ecosystemOf({ ecosystem: 'java-archive' }), 'maven');
  assert.equal(ecosystemOf({ ecosystem: null, purl: 'pkg:deb/debian/libc6@2.28-10' }), 'debian');
  assert.equal(ecosystemOf({ ecosystem: 'gobinary' }), 'go');
  assert.equal(ecosystemOf({ ecosystem: 'crates.io' }), 'cargo');
  assert.equal(ecosystemOf({ ecosystem: 'something-else' }), 'other');
});

test('a fix: ranges for npm, versions elsewhere, backport lines', () => {
  const fixes = (e: Ecosystem, ...t: string[]) => t.map((x) => parseFix(e, x)).filter((f): f is Fix => f !== null);
  assert.deepEqual(parseFix('npm', '>=4.17.21'), { kind: 'range', range: '>=4.17.21', lowest: '4.17.21' });
  assert.equal(parseFix('npm', '<0.0.0'), null);
  assert.deepEqual(parseFix('maven', '>= 2.17.1'), { kind: 'version', version: '2.17.1' });
  const log4j = fixes('maven', '2.17.1', '2.12.4', '2.3.2');
  assert.equal(isFixedBy('maven', '2.12.4', log4j), true, 'the 2.12 backport');
  assert.equal(isFixedBy('maven', '2.13.0', log4j), false, 'the 2.13 line has no fix');
  assert.equal(isFixedBy('maven', '2.17.1', log4j), true);
  assert.equal(isFixedBy('maven', '3.0.0', log4j), true);
  assert.equal(isFixedBy('npm', '3.0.1', fixes('npm', '>=2.0.0 <3.0.0 || >=3.0.1')), true);
  assert.equal(isFixedBy('npm', '3.0.0', fixes('npm', '>=2.0.0 <3.0.0 || >=3.0.1')), false);
});

test('the minimal safe upgrade: lowest version that clears every vulnerability; honest when none does', () => {
  const pkg = (fixedVersions: string[]) => ({ name: 'log4j-core', version: '2.12.1', ecosystem: 'maven', fixedVersions });
  const v = (id: number, severity: 'critical' | 'high' | 'low', fixed: string[]) => ({ id, title: '', severity, identifier: `CVE-${id}`, package: pkg(fixed), image: null, file: 'pom.xml' });
  // 2.12.4 clears 2 and 3 (their 2.12 backports) but not 1 (no 2.12 fix); 2.16.0 clears 1 and 2 but not 3 (3 needs
  // 2.17.1 above the 2.12 line): only 2.17.1 clears all three.
  const [plan] = planUpgrades([v(1, 'critical', ['2.15.0']), v(2, 'high', ['2.16.0', '2.12.2']), v(3, 'low', ['2.17.1', '2.12.4'])]);
  assert.equal(plan!.target, '2.17.1');
  assert.deepEqual(plan!.fixes.map((f) => f.id), [1, 2, 3]);
  assert.equal(upgradeLine(plan!), 'upgrade log4j-core 2.12.1 → 2.17.1 fixes 3 vulnerabilities, 1 critical, 1 high');
  const [partial] = planUpgrades([v(1, 'critical', ['2.15.0']), v(4, 'high', [])]);
  assert.equal(upgradeLine(partial!), 'upgrade log4j-core 2.12.1 → 2.15.0 fixes 1 vulnerability, 1 critical; 1 vulnerability, 1 high stay open (no fix known)');
  const [none] = planUpgrades([v(4, 'high', []), v(5, 'low', ['2.0.0'])]);
  assert.equal(none!.target, null, 'a fixed version below the installed one is no upgrade');
  assert.equal(upgradeLine(none!), 'no fix available for log4j-core 2.12.1: 2 vulnerabilities, 1 high open');
});

test('CWE knowledge: MITRE names and mitigations, ancestry, training inherited from the nearest mapped ancestor', () => {
  const knowledge = cweKnowledge();
  assert.equal(knowledge.weaknesses['89']!.name, "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')");
  assert.ok(knowledge.weaknesses['89']!.mitigations.length >= 5);
  assert.deepEqual(ancestry(knowledge, 'CWE-79').slice(0, 3), ['79', '74', '707']);
  const xss = trainingFor(knowledge, '79');
  assert.equal(xss.topTen?.id, 'A03:2021');
  assert.deepEqual(xss.cheatSheets.map((c) => c.url), ['https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html', 'https://cheatsheetseries.owasp.org/cheatsheets/DOM_based_XSS_Prevention_Cheat_Sheet.html']);
  // CWE-564 (SQL injection through Hibernate) is mapped itself; CWE-943 is not, but its parent chain reaches CWE-74.
  assert.equal(trainingFor(knowledge, '943').via, '74');
});
