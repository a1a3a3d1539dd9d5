/**
 * A generic report of five findings that spans the risk inputs: a KEV CVE with ransomware use, a high-EPSS CVE,
 * a low-EPSS CVE with a v2 vector, own code with an exploit link, and a CVE no feed knows.
 */
export const V31_CRITICAL_CHANGED = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H';
export const V31_CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V2 = 'AV:N/AC:L/Au:N/C:P/I:P/A:P';

const pkg = (name: string) => ({ file: 'pom.xml', package: { name, version: '1.0.0', ecosystem: 'maven' } });
export const REPORT = {
  vigil_generic_version: '1',
  scanner: { id: 'risk-test', name: 'Risk test' },
  report_type: 'dependency_scanning',
  findings: [
    { title: 'Log4Shell', severity: 'critical', identifiers: [{ type: 'cve', value: 'CVE-2021-44228' }], location: pkg('log4j-core'), cvss_vectors: [V31_CRITICAL_CHANGED] },
    { title: 'Old but likely exploited', severity: 'high', identifiers: [{ type: 'cve', value: 'CVE-1999-0016' }], location: pkg('old-lib'), cvss_vectors: ['AV:L/AC:H/Au:M/C:N/I:N/A:P', V31_CRITICAL] },
    { title: 'Old and unlikely', severity: 'high', identifiers: [{ type: 'cve', value: 'CVE-1999-0001' }], location: pkg('older-lib'), cvss_vectors: [V2] },
    { title: 'SQL injection', severity: 'critical', identifiers: [{ type: 'semgrep_id', value: 'sqli' }], location: { file: 'app.py', start_line: 3 }, links: [{ url: 'https://www.exploit-db.com/exploits/12345' }] },
    { title: 'Unscored CVE', severity: 'medium', identifiers: [{ type: 'cve', value: 'CVE-2099-12345' }], location: pkg('new-lib') },
  ],
};
