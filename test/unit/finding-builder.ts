import { emptyLocation, type Finding, type Identifier, type Location, type ReportType, type TrackingSignature } from '../../src/vulns/model.js';

/**
 * Canonical findings for identity and matching tests: sensible defaults per report type, any field overridable.
 * `location` overrides are merged into the default location of the kind, so `{ location: { startLine: 20 } }`
 * keeps the default file.
 */
export type FindingOverrides = Partial<Omit<Finding, 'location'>> & { location?: Partial<Location> };

export function identifier(type: string, value: string): Identifier {
  return { type, value, name: null, url: null };
}

export function signature(algorithm: string, value: string, priority = 0): TrackingSignature {
  return { algorithm, value, priority };
}

function build(reportType: ReportType, location: Partial<Location>, defaults: FindingOverrides, overrides: FindingOverrides): Finding {
  const { location: locationOverrides, ...rest } = overrides;
  return {
    title: 'A finding',
    description: 'What is wrong and why.',
    severity: 'high',
    confidence: null,
    reportType,
    scanner: { id: 'scanner', name: 'Scanner', version: '1.0.0', vendor: 'Vendor' },
    identifiers: [identifier('rule', 'r1')],
    solution: null,
    links: [],
    cvssVectors: [],
    tracking: [],
    snippet: null,
    suppression: null,
    baselineState: null,
    relatedLocations: [],
    ...defaults,
    ...rest,
    location: { ...emptyLocation(), ...location, ...locationOverrides },
  };
}

/** SAST: `app/db.py` lines 10–12, a Semgrep rule and a snippet. */
export function sast(overrides: FindingOverrides = {}): Finding {
  return build(
    'sast',
    { file: 'app/db.py', startLine: 10, endLine: 12 },
    {
      title: 'SQL injection',
      scanner: { id: 'semgrep', name: 'Semgrep', version: '1.50.0', vendor: 'Semgrep' },
      identifiers: [identifier('semgrep_id', 'python.sqli'), identifier('cwe', '89')],
      snippet: 'cursor.execute("SELECT * FROM t WHERE id = " + user_id)',
    },
    overrides,
  );
}

/** Dependency scanning: CVE in `lodash@4.17.20` declared in `package-lock.json`. */
export function dependency(overrides: FindingOverrides = {}): Finding {
  return build(
    'dependency_scanning',
    { file: 'package-lock.json', package: { name: 'lodash', version: '4.17.20' } },
    {
      title: 'Prototype pollution in lodash',
      scanner: { id: 'gemnasium', name: 'Gemnasium', version: '4.0.0', vendor: 'GitLab' },
      identifiers: [identifier('cve', 'CVE-2021-23337'), identifier('cwe', '78')],
    },
    overrides,
  );
}

/** Container scanning: CVE in `openssl` of `registry.example.com/app:1.2`. */
export function container(overrides: FindingOverrides = {}): Finding {
  return build(
    'container_scanning',
    { image: 'registry.example.com/app:1.2', operatingSystem: 'alpine 3.19', package: { name: 'openssl', version: '3.1.4-r0' } },
    {
      title: 'openssl: excessive time spent checking DH keys',
      scanner: { id: 'trivy', name: 'Trivy', version: '0.48.0', vendor: 'Aqua Security' },
      identifiers: [identifier('cve', 'CVE-2023-5678')],
    },
    overrides,
  );
}

/** DAST: reflected XSS in `GET /search?q` on a staging host. */
export function dast(overrides: FindingOverrides = {}): Finding {
  return build(
    'dast',
    { hostname: 'https://staging.example.com', path: '/search', httpMethod: 'GET', param: 'q' },
    {
      title: 'Cross-site scripting (reflected)',
      scanner: { id: 'zaproxy', name: 'OWASP ZAP', version: '2.14.0', vendor: 'ZAP' },
      identifiers: [identifier('zaproxy_pluginid', '40012'), identifier('cwe', '79')],
    },
    overrides,
  );
}
