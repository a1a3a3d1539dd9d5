import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RISK_POLICY } from '../../src/risk/policy.js';
import { exploitationOf, riskScore, type RiskInputs } from '../../src/risk/score.js';
import { chooseVector, cvssColumnsOf, exploitReferenceOf, NO_ENVIRONMENTAL } from '../../src/risk/vulnerability-cvss.js';

const base: RiskInputs = {
  severity: 'high',
  severityOverridden: false,
  cvssScore: null,
  cvssVector: null,
  epss: null,
  epssPercentile: null,
  kev: false,
  kevRansomware: false,
  exploitationOverride: null,
  exploitReference: null,
};
const policy = DEFAULT_RISK_POLICY;

describe('risk score', () => {
  test('KEV with ransomware and CVSS 10 caps at 100', () => {
    const r = riskScore(policy, { ...base, kev: true, kevRansomware: true, cvssScore: 10 });
    assert.equal(r.score, 100);
    assert.deepEqual(r.factors.map((f) => f.value), [1, 1, 1.1]);
  });

  test('EPSS times CVSS, the percentile named in the reason', () => {
    const r = riskScore(policy, { ...base, epss: 0.5, epssPercentile: 0.9912, cvssScore: 8 });
    assert.equal(r.score, 100 * 0.5 * 0.8);
    assert.equal(r.factors[0]!.because, 'EPSS: 50% probability of exploitation in the next 30 days (99th percentile)');
  });

  test('without EPSS the policy default stands in; without CVSS the severity weight does', () => {
    const r = riskScore(policy, base);
    assert.equal(r.score, 100 * 0.01 * 0.75);
    assert.equal(r.factors[1]!.because, 'no CVSS vector: high weighs 7.5');
  });

  test("a person's severity override wins over the scanner's CVSS", () => {
    const r = riskScore(policy, { ...base, severity: 'low', severityOverridden: true, cvssScore: 9.8 });
    assert.equal(r.factors[1]!.value, 0.3);
    assert.match(r.factors[1]!.because, /severity set by a person/);
  });

  test('a maintainer recording active exploitation counts like KEV for the threat, not for the modifier', () => {
    const r = riskScore(policy, { ...base, exploitationOverride: 'active', cvssScore: 5 });
    assert.deepEqual(r.factors.map((f) => f.value), [1, 0.5, 1]);
  });
});

describe('SSVC exploitation evidence', () => {
  test('override, then KEV, then an exploit link, then a high EPSS; otherwise none', () => {
    assert.equal(exploitationOf(policy, { ...base, kev: true, exploitationOverride: 'none' }).value, 'none');
    assert.equal(exploitationOf(policy, { ...base, kev: true }).value, 'active');
    assert.equal(exploitationOf(policy, { ...base, exploitReference: 'https://www.exploit-db.com/exploits/1' }).value, 'poc');
    assert.equal(exploitationOf(policy, { ...base, epss: 0.1 }).value, 'poc');
    const none = exploitationOf(policy, { ...base, epss: 0.0999 });
    assert.equal(none.value, 'none');
    assert.equal(none.because, 'not in KEV, no public exploit linked, EPSS 9.99%');
  });
});

describe('the CVSS vector a vulnerability is scored by', () => {
  test('the newest version wins; unparsable vectors are passed over', () => {
    const chosen = chooseVector([{ vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }, { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X' }, { vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }]);
    assert.equal(chosen?.version, '3.0');
    assert.equal(chooseVector([{ vector: 'nonsense' }]), null);
  });

  test('columns carry the score and the SSVC inputs of the base metrics', () => {
    const columns = cvssColumnsOf(chooseVector([{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }]), NO_ENVIRONMENTAL, null);
    assert.deepEqual(columns, { cvss_version: '3.1', cvss_vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', cvss_score: 9.8, ssvc_automatable: 'yes', ssvc_technical_impact: 'total' });
    const adjusted = cvssColumnsOf(chooseVector([{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }]), { ...NO_ENVIRONMENTAL, cvss3: 'MAV:L' }, 'CR:L/IR:L/AR:L');
    assert.ok(adjusted.cvss_score! < 9.8);
    assert.equal(adjusted.ssvc_automatable, 'yes', 'environmental metrics describe our deployment, not the vulnerability');
  });

  test('exploit code links: exploit-db, Packet Storm, Metasploit modules; not an ordinary advisory', () => {
    assert.equal(exploitReferenceOf([{ name: null, url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' }, { name: null, url: 'https://packetstormsecurity.com/files/165225/x.html' }]), 'https://packetstormsecurity.com/files/165225/x.html');
    assert.equal(exploitReferenceOf([{ name: null, url: 'https://github.com/rapid7/metasploit-framework/blob/master/modules/exploits/x.rb' }]), 'https://github.com/rapid7/metasploit-framework/blob/master/modules/exploits/x.rb');
    assert.equal(exploitReferenceOf([{ name: 'exploit', url: 'https://example.com/notexploit-db.com' }, { name: null, url: 'not a url' }]), null);
  });
});
