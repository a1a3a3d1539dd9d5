import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fingerprintsOf } from '../../src/vulns/fingerprint.js';
import { zapJsonFormat, zapXmlFormat } from '../../src/vulns/formats/zap.js';
import type { ParsedReport } from '../../src/vulns/ingest/read-report.js';
import type { Finding } from '../../src/vulns/model.js';
import { allFixtureFiles, fixturePath, openingOfText, readWith, recognisedFixtures, rejectsAt, severities, truncated } from '../support/report-fixtures.js';

const FIRST = fixturePath('zap/zap-results-first-scan.xml');
const SECOND = fixturePath('zap/zap-results-second-scan.xml');
const FORMATS = [zapXmlFormat, zapJsonFormat];
const SITE = 'http://bodgeit.securecodebox-demo.svc:8080';

/**
 * The first → second scan pair by DAST identity (primary identifier = pluginid, URL path, METHOD, param), derived
 * with Python independently of this code:
 *
 *   key(alertitem, instance) = (pluginid, urlsplit(uri).path or '/', method.upper(), param or None)
 *   first  = {key for every site/alerts/alertitem/instances/instance in the first scan}   → 86 keys
 *   second = {the same in the second scan}                                                 → 78 keys
 *   new = |second − first| = 14, fixed = |first − second| = 22, existing = |first ∩ second| = 64
 *
 * (The fixture README's 83 shared instances count whole URIs, query string included; identity leaves the query out.)
 */
export const ZAP_RESCAN = { new: 14, fixed: 22, existing: 64 };

const read = (input: string | Buffer): Promise<ParsedReport> => readWith(FORMATS, input);

function find(findings: Finding[], pluginId: string, pathname: string, param: string | null = null): Finding {
  const found = findings.filter((f) => f.identifiers[0]!.value === pluginId && f.location.path === pathname && f.location.param === param);
  assert.equal(found.length, 1, `one finding for ${pluginId} ${pathname} ${param}`);
  return found[0]!;
}

/** A document (XML text, or a value written as JSON) that the read must refuse. */
const rejects = (source: string | object, pointer: string, message: string | RegExp) =>
  rejectsAt(read(Buffer.from(typeof source === 'string' ? source : JSON.stringify(source))), pointer, message);

/** A ZAP XML report with the given alert items in one site. */
function zapXml(items: string): string {
  return `<?xml version="1.0"?><OWASPZAPReport version="2.14.0" generated="Mon, 1 Jan 2024 10:00:00">
<site name="https://shop.example.com" host="shop.example.com" port="443" ssl="true"><alerts>${items}</alerts></site></OWASPZAPReport>`;
}

function alertItem(fields: string, instances = '<instances><instance><uri>https://shop.example.com/a?x=1</uri><method>GET</method><param>x</param></instance></instances>'): string {
  return `<alertitem><pluginid>40012</pluginid><alert>XSS</alert><riskcode>3</riskcode><confidence>2</confidence>${fields}${instances}</alertitem>`;
}

// ---------------------------------------------------------------------------------------------------------------

describe('ZAP XML fixtures', () => {
  test('the first scan: one finding per (alert, path, method, param) — 86 of 130 instances', async () => {
    // 15 alertitems, 130 instances (README); python: distinct (pluginid, path, METHOD, param) per alertitem = 86,
    // by riskcode 0: 22, 1: 34, 2: 26, 3: 4.
    const report = await read(FIRST);
    assert.equal(report.format, 'zap-xml');
    assert.equal(report.formatVersion, '2.10.0');
    assert.deepEqual(report.scanners, [{ id: 'zaproxy', name: 'OWASP ZAP', version: '2.10.0', vendor: null }]);
    assert.deepEqual(report.reportTypes, ['dast']);
    assert.equal(report.findings.length, 86);
    assert.deepEqual(severities(report.findings), { info: 22, low: 34, medium: 26, high: 4 });
    assert.ok(report.findings.every((f) => f.reportType === 'dast' && f.scanner.id === 'zaproxy' && f.location.hostname === SITE));
    // 15 alert types, each its own primary identifier.
    assert.equal(new Set(report.findings.map((f) => f.identifiers[0]!.value)).size, 15);
    // python: 6 instances have a URI without a path (`http://…:8080`), across 6 alerts → 6 findings at `/`.
    assert.equal(report.findings.filter((f) => f.location.path === '/').length, 6);
  });

  test('the second scan: 78 findings of 126 instances', async () => {
    // 18 alertitems, 126 instances (README); python: 78 distinct keys, by riskcode 0: 20, 1: 35, 2: 19, 3: 4.
    const report = await read(SECOND);
    assert.equal(report.findings.length, 78);
    assert.deepEqual(severities(report.findings), { info: 20, low: 35, medium: 19, high: 4 });
    assert.equal(new Set(report.findings.map((f) => f.identifiers[0]!.value)).size, 18);
  });

  test('a SQL injection finding, field by field', async () => {
    const finding = find((await read(FIRST)).findings, '40018', '/bodgeit/basket.jsp', 'productid');
    assert.equal(finding.title, 'SQL Injection');
    assert.equal(finding.severity, 'high');
    assert.equal(finding.confidence, 'Medium');
    assert.deepEqual(finding.identifiers, [
      { type: 'zaproxy_pluginid', value: '40018', name: 'SQL Injection', url: 'https://www.zaproxy.org/docs/alerts/40018/' },
      { type: 'cwe', value: 'CWE-89', name: null, url: 'https://cwe.mitre.org/data/definitions/89.html' },
      { type: 'wasc', value: 'WASC-19', name: null, url: null },
    ]);
    assert.deepEqual(
      { hostname: finding.location.hostname, path: finding.location.path, httpMethod: finding.location.httpMethod, param: finding.location.param, file: finding.location.file },
      { hostname: SITE, path: '/bodgeit/basket.jsp', httpMethod: 'POST', param: 'productid', file: null },
    );
    assert.equal(
      finding.description,
      'SQL injection may be possible.\n\nOther information:\nThe original page results were successfully replicated using the expression [23-2] as the parameter value\n\n' +
        'The parameter value being modified was stripped from the HTML output for the purposes of the comparison\n\n' +
        `URL: ${SITE}/bodgeit/basket.jsp\n\nAttack: 23-2`,
    );
    assert.match(finding.solution!, /^Do not trust client side input, even if there is client side validation in place\.\n\nIn general, type check/);
    assert.ok(!/<\/?p>/.test(finding.solution!), 'HTML paragraphs are reduced to text');
    assert.deepEqual(finding.links, [{ name: null, url: 'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html' }]);
    assert.deepEqual([finding.tracking, finding.cvssVectors, finding.relatedLocations, finding.snippet], [[], [], [], null]);
    assert.equal(finding.assessment, null);
  });

  test('instances that differ only in the query string are one finding', async () => {
    const findings = (await read(FIRST)).findings;
    // 10031: 11 instances, all `GET /bodgeit/product.jsp?prodid=N` with param prodid → 1 finding.
    const xss = findings.filter((f) => f.identifiers[0]!.value === '10031');
    assert.equal(xss.length, 1);
    assert.deepEqual([xss[0]!.location.path, xss[0]!.location.httpMethod, xss[0]!.location.param], ['/bodgeit/product.jsp', 'GET', 'prodid']);
    assert.equal(xss[0]!.severity, 'info');
    assert.equal(xss[0]!.confidence, 'Low');
    assert.match(xss[0]!.description!, /URL: http:\/\/bodgeit\.securecodebox-demo\.svc:8080\/bodgeit\/product\.jsp\?prodid=22 \(and 10 more URLs with this path, method and parameter\)$/);
    // 10020 (X-Frame-Options): 12 instances on 10 paths, the header as the parameter.
    const xfo = findings.filter((f) => f.identifiers[0]!.value === '10020');
    assert.equal(xfo.length, 10);
    assert.ok(xfo.every((f) => f.location.param === 'X-Frame-Options' && f.severity === 'medium'));
    assert.equal(find(findings, '10020', '/', 'X-Frame-Options').description, "X-Frame-Options header is not included in the HTTP response to protect against 'ClickJacking' attacks.\n\nURL: http://bodgeit.securecodebox-demo.svc:8080");
  });

  test('the evidence is the snippet; the alert\'s other information goes with its first instance only', async () => {
    const findings = (await read(FIRST)).findings;
    const basket = find(findings, '10109', '/bodgeit/basket.jsp');
    assert.equal(basket.snippet, '<a href="#" onclick="decQuantity(1);"><img src="images/130.png" alt="Decrease quantity in basket" border="0"></a>');
    assert.match(basket.description!, /Other information:\nLinks have been found that do not have traditional href attributes/);
    const product = find(findings, '10109', '/bodgeit/product.jsp');
    assert.ok(!product.description!.includes('Other information'));
    assert.equal(find(findings, '10062', '/bodgeit/contact.jsp').snippet, '5735608117987264');
  });

  test(`first → second scan by identity: ${ZAP_RESCAN.new} new, ${ZAP_RESCAN.fixed} fixed, ${ZAP_RESCAN.existing} existing`, async () => {
    const coarse = (f: Finding) => fingerprintsOf(f).find((p) => p.algorithm === 'coarse')!.hash;
    const first = new Set((await read(FIRST)).findings.map(coarse));
    const second = new Set((await read(SECOND)).findings.map(coarse));
    assert.equal(first.size, 86, 'no two findings of one scan share an identity');
    assert.equal(second.size, 78);
    assert.deepEqual(
      { new: [...second].filter((h) => !first.has(h)).length, fixed: [...first].filter((h) => !second.has(h)).length, existing: [...first].filter((h) => second.has(h)).length },
      ZAP_RESCAN,
    );
  });

  test('a report cut at 60% of its bytes ends early', async () => {
    // Byte 44,537 of 74,229 is inside an alert item's <desc>.
    await rejects(truncated(FIRST).toString('utf8'), '', 'not valid XML: the document ends early inside <desc> (truncated?)');
  });
});

describe('ZAP detection', () => {
  test('the XML format recognises exactly the two ZAP fixtures; the JSON format none of the fixtures', () => {
    const fixtures = allFixtureFiles();
    assert.ok(fixtures.length >= 70, `all fixtures found (${fixtures.length})`);
    assert.deepEqual(recognisedFixtures(zapXmlFormat), ['zap/zap-results-first-scan.xml', 'zap/zap-results-second-scan.xml']);
    assert.deepEqual(recognisedFixtures(zapJsonFormat), []);
  });

  test('the JSON format recognises ZAP\'s traditional JSON report, with or without @programName', () => {
    assert.ok(zapJsonFormat.detect(openingOfText('{"@programName": "ZAP", "@version": "2.14.0", "@generated": "x", "created": "y", "site": []}')));
    assert.ok(zapJsonFormat.detect(openingOfText('{"@version": "2.10.0", "@generated": "x", "site": []}')));
    assert.ok(!zapJsonFormat.detect(openingOfText('{"version": "2.10.0", "site": []}')));
    assert.ok(!zapJsonFormat.detect(openingOfText('{"@version": "2.10.0", "sites": []}')));
    // GitLab's DAST report carries ZAP's report inside it: it is GitLab's to read.
    assert.ok(!zapJsonFormat.detect(openingOfText('{"@generated": "x", "@version": "D-2020-08-26", "remediations": [], "scan": {}, "site": [], "version": "13.1.0"}')));
    assert.ok(!zapXmlFormat.detect(openingOfText('<report version="2.10.0"/>')));
  });
});

describe('ZAP XML shapes and bad values', () => {
  const item = '/OWASPZAPReport/site/alerts/alertitem[1]';

  test('alertRef refines the plugin id; -1 and 0 CWE/WASC ids are none; confidence 0 and 4 are assessments', async () => {
    const report = await read(
      Buffer.from(
        zapXml(
          alertItem('<alertRef>40012-2</alertRef><cweid>-1</cweid><wascid>0</wascid>').replace('<confidence>2</confidence>', '<confidence>0</confidence>') +
            alertItem('<alertRef>40012</alertRef><cweid>79</cweid>').replace('<confidence>2</confidence>', '<confidence>4</confidence>'),
        ),
      ),
    );
    assert.deepEqual(report.scanners[0]!.version, '2.14.0');
    const [falsePositive, confirmed] = report.findings;
    assert.deepEqual(falsePositive!.identifiers, [{ type: 'zaproxy_pluginid', value: '40012-2', name: 'XSS', url: 'https://www.zaproxy.org/docs/alerts/40012-2/' }]);
    assert.equal(falsePositive!.confidence, 'False Positive');
    assert.deepEqual(falsePositive!.assessment, { state: 'dismissed', reason: 'false_positive', comment: 'marked as a false positive in ZAP (confidence 0)' });
    assert.deepEqual(confirmed!.identifiers.map((i) => i.value), ['40012', 'CWE-79']);
    assert.equal(confirmed!.confidence, 'Confirmed');
    assert.equal(confirmed!.assessment?.state, 'confirmed');
    assert.deepEqual([confirmed!.location.hostname, confirmed!.location.path, confirmed!.location.param], ['https://shop.example.com', '/a', 'x']);
  });

  test('an alert without instances is one finding at the site root; a pre-2.9 item is its own instance', async () => {
    const report = await read(
      Buffer.from(
        zapXml(
          alertItem('<desc>&lt;p&gt;No instance&lt;/p&gt;</desc>', '') +
            alertItem('<uri>https://shop.example.com/old;jsessionid=ABC123/page.jsp?q=1</uri><method>post</method><param>q</param><evidence>boom</evidence>', ''),
        ),
      ),
    );
    assert.equal(report.findings.length, 2);
    const [root, old] = report.findings;
    assert.deepEqual([root!.location.hostname, root!.location.path, root!.location.httpMethod, root!.location.param], ['https://shop.example.com', '/', null, null]);
    assert.equal(root!.description, 'No instance');
    // The session id in the path is a volatile value, not the place.
    assert.deepEqual([old!.location.path, old!.location.httpMethod, old!.location.param, old!.snippet], ['/old/page.jsp', 'POST', 'q', 'boom']);
  });

  test('a relative instance URI resolves against the site; an empty report names no ZAP version', async () => {
    const report = await read(Buffer.from(zapXml(alertItem('', '<instances><instance><uri>/rel/x</uri></instance></instances>'))));
    assert.deepEqual([report.findings[0]!.location.hostname, report.findings[0]!.location.path, report.findings[0]!.location.httpMethod], ['https://shop.example.com', '/rel/x', null]);
    const empty = await read(Buffer.from(zapXml('')));
    assert.deepEqual([empty.findings.length, empty.formatVersion, empty.scanners], [0, null, [{ id: 'zaproxy', name: 'OWASP ZAP', version: null, vendor: null }]]);
  });

  test('each kind of bad value is a ReportError at its element path', async () => {
    await rejects(zapXml(alertItem('').replace('<riskcode>3</riskcode>', '<riskcode>high</riskcode>')), `${item}/riskcode`, '"high" is not a number; must be one of 0 (Informational), 1 (Low), 2 (Medium), 3 (High)');
    await rejects(zapXml(alertItem('').replace('<riskcode>3</riskcode>', '<riskcode>4</riskcode>')), `${item}/riskcode`, '4 is not a ZAP risk code; must be one of 0 (Informational), 1 (Low), 2 (Medium), 3 (High)');
    await rejects(
      zapXml(alertItem('').replace('<confidence>2</confidence>', '<confidence>7</confidence>')),
      `${item}/confidence`,
      '7 is not a ZAP confidence; must be one of 0 (False Positive), 1 (Low), 2 (Medium), 3 (High), 4 (Confirmed)',
    );
    await rejects(zapXml(alertItem('').replace('<pluginid>40012</pluginid>', '')), `${item}/pluginid`, 'must be a non-empty string');
    await rejects(zapXml(alertItem('<cweid>CWE-79</cweid>')), `${item}/cweid`, '"CWE-79" is not a number; must be a CWE number, or -1 for none');
    await rejects(zapXml(alertItem('<wascid>x</wascid>')), `${item}/wascid`, '"x" is not a number; must be a WASC number, or -1 for none');
    await rejects(zapXml(alertItem('<desc><b>bold</b></desc>')), `${item}/desc`, 'must be text, not elements');
    const two = (uri: string) => `<instances><instance><uri>https://shop.example.com/</uri></instance><instance>${uri}<method>GET</method></instance></instances>`;
    await rejects(zapXml(alertItem('', two(''))), `${item}/instances/instance[2]/uri`, 'must be a non-empty string');
    await rejects(zapXml(alertItem('', two('<uri>http://[::1</uri>'))), `${item}/instances/instance[2]/uri`, '"http://[::1" is not a URL');
    const noSite = zapXml(alertItem('', '<instances><instance><uri>/relative</uri></instance></instances>')).replace(/<site [^>]*>/, '<site>');
    await rejects(noSite, `${item}/instances/instance/uri`, '"/relative" is not a URL (and the site names no origin to resolve it against)');
  });
});

describe('ZAP JSON (traditional JSON report)', () => {
  /** Shaped like ZAP's traditional-json template: every value a string, HTML paragraphs in the texts. */
  function zapJson(alerts: unknown[], site: object = {}): object {
    return {
      '@programName': 'ZAP',
      '@version': '2.14.0',
      '@generated': 'Mon, 1 Jan 2024 10:00:00',
      created: '2024-01-01T10:00:00Z',
      site: [{ '@name': 'https://shop.example.com', '@host': 'shop.example.com', '@port': '443', '@ssl': 'true', ...site, alerts }],
    };
  }
  const csp = {
    pluginid: '10038',
    alertRef: '10038-1',
    alert: 'Content Security Policy (CSP) Header Not Set',
    name: 'Content Security Policy (CSP) Header Not Set',
    riskcode: '2',
    confidence: '3',
    riskdesc: 'Medium (High)',
    desc: '<p>CSP is an added layer of security &amp; more.</p>',
    instances: [
      { id: '5', uri: 'https://shop.example.com/cart?x=1', nodeName: 'x', method: 'GET', param: '', attack: '', evidence: '', otherinfo: '' },
      { id: '6', uri: 'https://shop.example.com/cart?x=2', nodeName: 'x', method: 'GET', param: '', attack: '', evidence: '', otherinfo: '' },
      { id: '7', uri: 'https://shop.example.com/login', nodeName: 'x', method: 'POST', param: '', attack: '', evidence: 'csp', otherinfo: '<p>seen on login</p>' },
    ],
    count: '3',
    systemic: true,
    solution: '<p>Set the header.</p>',
    otherinfo: '',
    reference: '<p>https://developer.mozilla.org/en-US/docs/Web/Security/CSP</p><p>https://www.w3.org/TR/CSP/</p>',
    cweid: '693',
    wascid: '15',
    sourceid: '3',
  };

  test('reads sites, alerts and instances like the XML', async () => {
    const report = await read(Buffer.from(JSON.stringify(zapJson([csp]))));
    assert.equal(report.format, 'zap-json');
    assert.equal(report.formatVersion, '2.14.0');
    assert.deepEqual(report.scanners, [{ id: 'zaproxy', name: 'OWASP ZAP', version: '2.14.0', vendor: null }]);
    assert.equal(report.findings.length, 2);
    const [cart, login] = report.findings;
    assert.equal(cart!.title, 'Content Security Policy (CSP) Header Not Set');
    assert.equal(cart!.severity, 'medium');
    assert.equal(cart!.confidence, 'High');
    assert.deepEqual(cart!.identifiers.map((i) => `${i.type}:${i.value}`), ['zaproxy_pluginid:10038-1', 'cwe:CWE-693', 'wasc:WASC-15']);
    assert.deepEqual([cart!.location.hostname, cart!.location.path, cart!.location.httpMethod, cart!.location.param], ['https://shop.example.com', '/cart', 'GET', null]);
    assert.equal(cart!.description, 'CSP is an added layer of security & more.\n\nURL: https://shop.example.com/cart?x=1 (and 1 more URL with this path, method and parameter)');
    assert.equal(cart!.solution, 'Set the header.');
    assert.deepEqual(cart!.links.map((l) => l.url), ['https://developer.mozilla.org/en-US/docs/Web/Security/CSP', 'https://www.w3.org/TR/CSP/']);
    assert.deepEqual([login!.location.path, login!.location.httpMethod, login!.snippet], ['/login', 'POST', 'csp']);
    assert.match(login!.description!, /Other information:\nseen on login/);
  });

  test('site attributes may come after the alerts; an empty report still names the scanner', async () => {
    const doc = { '@version': '2.11.1', site: [{ alerts: [{ ...csp, instances: [{ uri: '/relative' }] }], '@name': 'http://late.example:8080' }] };
    const report = await read(Buffer.from(JSON.stringify(doc)));
    assert.deepEqual([report.findings[0]!.location.hostname, report.findings[0]!.location.path], ['http://late.example:8080', '/relative']);
    const empty = await read(Buffer.from(JSON.stringify(zapJson([]))));
    assert.deepEqual([empty.findings.length, empty.scanners[0]!.version, empty.reportTypes], [0, '2.14.0', ['dast']]);
  });

  test('each kind of bad value is a ReportError at its JSON pointer', async () => {
    await rejects(zapJson([csp, { ...csp, riskcode: '9' }]), '/site/0/alerts/1/riskcode', '9 is not a ZAP risk code; must be one of 0 (Informational), 1 (Low), 2 (Medium), 3 (High)');
    await rejects(zapJson([{ ...csp, riskcode: true }]), '/site/0/alerts/0/riskcode', 'must be a string');
    await rejects(zapJson([{ ...csp, desc: ['x'] }]), '/site/0/alerts/0/desc', 'must be a string');
    await rejects(zapJson([{ ...csp, instances: {} }]), '/site/0/alerts/0/instances', 'must be an array');
    await rejects(zapJson([{ ...csp, instances: [{ uri: 'https://shop.example.com/' }, 'x'] }]), '/site/0/alerts/0/instances/1', 'must be an object');
    await rejects(zapJson([{ ...csp, instances: [{ uri: true }] }]), '/site/0/alerts/0/instances/0/uri', 'must be a string');
    await rejects(zapJson([{ ...csp, instances: [{ uri: 'https://x/', method: {} }] }]), '/site/0/alerts/0/instances/0/method', 'must be a string');
    await rejects(zapJson(['alert']), '/site/0/alerts/0', 'must be an object');
    await rejects(zapJson([csp], { '@name': ['x'] }), '/site/0/@name', 'must be a string');
    await rejects({ '@version': '2.10.0', site: { '@name': 'https://x', alerts: [csp] } }, '/site', 'must be an array');
    await rejects({ '@version': '2.10.0', site: [{ alerts: { a: csp } }] }, '/site/0/alerts', 'must be an array');
    await rejects({ '@programName': 'ZAP', '@version': { v: 1 }, site: [] }, '/@version', 'must be a string');
  });

  test('a JSON report cut at 60% of its bytes ends early', async () => {
    const text = JSON.stringify(zapJson([csp, csp, csp]), null, 2);
    await rejects(text.slice(0, Math.floor(text.length * 0.6)), '', /^\/: not valid JSON: the document ends early after \d+ bytes \(truncated\?\)$/);
  });
});
