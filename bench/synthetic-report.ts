import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import type { Run, SyntheticFinding } from './runs.js';

/**
 * Realistic scanner reports of a synthetic run (see runs.ts), written as the scanners write them: SARIF 2.1.0 as
 * CodeQL/Semgrep emit it (rules, snippet, primaryLocationLineHash), a GitLab SAST report (schema 15, tracking
 * signatures that survive moved lines), and a Trivy image scan (schema 2). A finding's key fixes what it is — rule,
 * file and code, or package and advisory — and is unique in each of those, so no two findings share an identity;
 * its shift moves it (lines down, or an upgraded but still vulnerable package) without changing what it is.
 * Reports are produced as a sequence of chunks, so a 100,000-finding file is written without holding it in memory.
 */
export type SyntheticFormat = 'sarif' | 'gitlab' | 'trivy';
export const SYNTHETIC_FORMATS: readonly SyntheticFormat[] = ['sarif', 'gitlab', 'trivy'];

interface Rule {
  id: string;
  name: string;
  cwe: number;
  severity: 'Critical' | 'High' | 'Medium' | 'Low';
  code: (k: number) => string;
}

const BASE_RULES: Rule[] = [
  { id: 'sql-injection', name: 'SQL query built from user-controlled sources', cwe: 89, severity: 'High', code: (k) => `db.query("select * from t${k} where id = " + req.query.id${k});` },
  { id: 'reflected-xss', name: 'Reflected cross-site scripting', cwe: 79, severity: 'Medium', code: (k) => `res.send("<p>" + req.params.name${k} + "</p>");` },
  { id: 'path-injection', name: 'Uncontrolled data used in path expression', cwe: 22, severity: 'High', code: (k) => `fs.readFileSync(path.join(root, req.query.file${k}));` },
  { id: 'command-injection', name: 'Uncontrolled command line', cwe: 78, severity: 'Critical', code: (k) => `exec("convert " + upload${k}.name);` },
  { id: 'weak-hash', name: 'Use of a broken or weak cryptographic hashing algorithm', cwe: 328, severity: 'Medium', code: (k) => `crypto.createHash("md5").update(password${k});` },
  { id: 'hardcoded-credentials', name: 'Hard-coded credentials', cwe: 798, severity: 'High', code: (k) => `const apiKey${k} = "sk_live_${(k * 2654435761) % 1e9}";` },
  { id: 'open-redirect', name: 'Server-side URL redirect', cwe: 601, severity: 'Medium', code: (k) => `res.redirect(req.query.next${k});` },
  { id: 'prototype-pollution', name: 'Prototype-polluting assignment', cwe: 1321, severity: 'Medium', code: (k) => `target${k}[key][sub] = value;` },
  { id: 'insecure-randomness', name: 'Insecure randomness', cwe: 338, severity: 'Low', code: (k) => `const token${k} = Math.random().toString(36);` },
  { id: 'regex-injection', name: 'Regular expression injection', cwe: 730, severity: 'Low', code: (k) => `new RegExp(req.body.pattern${k});` },
];
/** 40 rules: each base rule in four languages' rule packs. Twenty consecutive keys never share one. */
const RULES: Rule[] = ['js', 'ts', 'py', 'java'].flatMap((lang) => BASE_RULES.map((r) => ({ ...r, id: `${lang}/${r.id}` })));
const AREAS = ['api', 'billing', 'auth', 'admin', 'search', 'reports', 'webhooks', 'users', 'storage', 'jobs'];
const FINDINGS_PER_FILE = 20;
const LINES_PER_FINDING = 50;

const DESCRIPTION =
  'Building the statement from user-controlled data lets an attacker change its meaning. The value flows from an ' +
  'HTTP request parameter into the sink without validation or an escaping step on the way. Use the library\'s ' +
  'parameterised form, validate the value against an allow-list, or encode it for the context it is written into. ' +
  'See the rule documentation for examples of safe and unsafe code and for the framework-specific helpers.';

function ruleOf(key: number): Rule {
  return RULES[key % RULES.length]!;
}

/** Where a finding sits: one file per twenty keys, one 50-line slot per key, moved down three lines per shift. */
function placeOf(f: SyntheticFinding): { file: string; line: number; endLine: number } {
  const fileNo = Math.floor(f.key / FINDINGS_PER_FILE);
  const line = 10 + (f.key % FINDINGS_PER_FILE) * LINES_PER_FINDING + 3 * f.shift;
  return { file: `src/${AREAS[fileNo % AREAS.length]}/module${fileNo}.ts`, line, endLine: line + (f.key % 3) };
}

function digest(text: string, length = 16): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

function uuidOf(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const SEVERITY_TO_SARIF = { Critical: 'error', High: 'error', Medium: 'warning', Low: 'note' } as const;

function sarifResult(f: SyntheticFinding): unknown {
  const rule = ruleOf(f.key);
  const place = placeOf(f);
  const code = rule.code(f.key);
  return {
    ruleId: rule.id,
    ruleIndex: f.key % RULES.length,
    level: SEVERITY_TO_SARIF[rule.severity],
    message: { text: `${rule.name}: this value depends on a user-provided value (finding ${f.key}).` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: place.file, uriBaseId: '%SRCROOT%' },
          region: { startLine: place.line, startColumn: 5, endLine: place.endLine, endColumn: 60, snippet: { text: code } },
        },
      },
    ],
    // CodeQL's line hash depends on the code, not on the line number: it follows a moved finding.
    partialFingerprints: { primaryLocationLineHash: `${digest(code)}:1` },
  };
}

function sarifHeader(): string {
  const rules = RULES.map((r) => ({
    id: r.id,
    name: r.name.replace(/[^A-Za-z]+/g, ''),
    shortDescription: { text: r.name },
    fullDescription: { text: DESCRIPTION },
    help: { text: DESCRIPTION, markdown: `# ${r.name}\n\n${DESCRIPTION}` },
    properties: { tags: ['security', `external/cwe/cwe-${String(r.cwe).padStart(3, '0')}`], 'security-severity': { Critical: '9.8', High: '8.1', Medium: '6.1', Low: '3.1' }[r.severity] },
  }));
  const head = JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'CodeQL', semanticVersion: '2.19.3', informationUri: 'https://codeql.github.com', rules } }, results: [] }],
  });
  return head.slice(0, -'[]}]}'.length) + '[';
}

const GITLAB_SCAN = {
  analyzer: { id: 'semgrep', name: 'Semgrep', vendor: { name: 'GitLab' }, version: '5.20.1' },
  scanner: { id: 'semgrep', name: 'Semgrep', vendor: { name: 'GitLab' }, version: '1.97.0', url: 'https://github.com/semgrep/semgrep' },
  type: 'sast',
  start_time: '2026-11-20T10:00:00',
  end_time: '2026-11-20T10:04:12',
  status: 'success',
};

function gitlabVulnerability(f: SyntheticFinding): unknown {
  const rule = ruleOf(f.key);
  const place = placeOf(f);
  const fn = `handler${f.key}`;
  return {
    id: uuidOf(`${f.key}:${f.shift}`),
    name: rule.name,
    description: DESCRIPTION,
    severity: rule.severity,
    location: { file: place.file, start_line: place.line, end_line: place.endLine },
    identifiers: [
      { type: 'semgrep_id', name: rule.id, value: rule.id },
      { type: 'cwe', name: `CWE-${rule.cwe}`, value: String(rule.cwe), url: `https://cwe.mitre.org/data/definitions/${rule.cwe}.html` },
    ],
    // As GitLab's analyzers write them: the scope offset and the code hash stay the same when lines move.
    tracking: {
      type: 'source',
      items: [
        {
          file: place.file,
          line_start: place.line,
          line_end: place.endLine,
          signatures: [
            { algorithm: 'scope_offset', value: `${place.file}|${fn}[0]:${f.key % 7}` },
            { algorithm: 'hash', value: digest(rule.code(f.key), 40) },
          ],
        },
      ],
    },
  };
}

function gitlabHeader(): string {
  return `{"version":"15.0.7","scan":${JSON.stringify(GITLAB_SCAN)},"vulnerabilities":[`;
}

const IMAGE = 'registry.example.com/bench/app:1.0';
const TRIVY_SEVERITY = { Critical: 'CRITICAL', High: 'HIGH', Medium: 'MEDIUM', Low: 'LOW' } as const;

/** One advisory per key (a bijection onto CVE years and numbers), eight advisories per package. */
function trivyVulnerability(f: SyntheticFinding): unknown {
  const rule = ruleOf(f.key);
  const id = `CVE-${2014 + (f.key % 12)}-${100000 + Math.floor(f.key / 12)}`;
  const pkg = `lib${Math.floor(f.key / 8)}`;
  return {
    VulnerabilityID: id,
    PkgName: pkg,
    PkgIdentifier: { PURL: `pkg:deb/debian/${pkg}@1.${f.shift}.${f.key % 7}?arch=amd64&distro=debian-12.5` },
    InstalledVersion: `1.${f.shift}.${f.key % 7}`,
    FixedVersion: `9.0.${f.key % 5}`,
    Status: 'fixed',
    Layer: { DiffID: `sha256:${digest(`layer${f.key % 5}`, 64).padEnd(64, '0')}` },
    SeveritySource: 'nvd',
    PrimaryURL: `https://avd.aquasec.com/nvd/${id.toLowerCase()}`,
    Title: `${pkg}: ${rule.name.toLowerCase()}`,
    Description: DESCRIPTION,
    Severity: TRIVY_SEVERITY[rule.severity],
    CweIDs: [`CWE-${rule.cwe}`],
    CVSS: { nvd: { V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', V3Score: 9.8 } },
    References: [`https://nvd.nist.gov/vuln/detail/${id}`, `https://security-tracker.debian.org/tracker/${id}`],
    PublishedDate: '2024-03-01T15:15:00Z',
    LastModifiedDate: '2024-06-10T17:16:00Z',
  };
}

function trivyHeader(): string {
  const head = {
    SchemaVersion: 2,
    CreatedAt: '2026-11-20T10:00:00Z',
    ArtifactName: IMAGE,
    ArtifactType: 'container_image',
    Metadata: { OS: { Family: 'debian', Name: '12.5' }, RepoTags: [IMAGE] },
  };
  return `${JSON.stringify(head).slice(0, -1)},"Results":[{"Target":"${IMAGE} (debian 12.5)","Class":"os-pkgs","Type":"debian","Vulnerabilities":[`;
}

const WRITERS: Record<SyntheticFormat, { header: () => string; item: (f: SyntheticFinding) => unknown; footer: string }> = {
  sarif: { header: sarifHeader, item: sarifResult, footer: ']}]}' },
  gitlab: { header: gitlabHeader, item: gitlabVulnerability, footer: ']}' },
  trivy: { header: trivyHeader, item: trivyVulnerability, footer: ']}]}' },
};

/** The report as chunks of about 64 KiB. */
export function* reportChunks(format: SyntheticFormat, run: Run): Generator<string> {
  const writer = WRITERS[format];
  let chunk = writer.header();
  for (let i = 0; i < run.findings.length; i++) {
    chunk += (i === 0 ? '' : ',') + JSON.stringify(writer.item(run.findings[i]!));
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + writer.footer;
}

export function reportText(format: SyntheticFormat, run: Run): string {
  return [...reportChunks(format, run)].join('');
}

/** Writes the report to a file, chunk by chunk, waiting for the disk when it falls behind. */
export async function writeReport(file: string, format: SyntheticFormat, run: Run): Promise<number> {
  const out = fs.createWriteStream(file);
  let bytes = 0;
  for (const chunk of reportChunks(format, run)) {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
