import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { FINGERPRINT_VERSION, fingerprintsOf, identifierKey, imageName, positionOf, primaryIdentifier } from '../../src/vulns/fingerprint.js';
import { emptyLocation, reportTypeFromLocation, REPORT_TYPES, SEVERITIES, severityRank, type Finding, type Location, type ReportType } from '../../src/vulns/model.js';
import { container, dast, dependency, identifier, sast, signature, type FindingOverrides } from './finding-builder.js';

function hashes(finding: Finding): Map<string, string> {
  return new Map(fingerprintsOf(finding).map((fp) => [fp.algorithm, fp.hash]));
}

/** The algorithms whose hash differs between the two findings (or that only one of them has), sorted. */
function changedLayers(a: Finding, b: Finding): string[] {
  const ha = hashes(a);
  const hb = hashes(b);
  return [...new Set([...ha.keys(), ...hb.keys()])].filter((algorithm) => ha.get(algorithm) !== hb.get(algorithm)).sort();
}

function layers(finding: Finding): string[] {
  return fingerprintsOf(finding).map((fp) => fp.algorithm);
}

const sha256 = (tuple: unknown[]) => createHash('sha256').update(JSON.stringify(tuple)).digest('hex');

/** A SAST finding carrying every layer: two tracking signatures, a snippet, a line range. */
const tracked = (overrides: FindingOverrides = {}) =>
  sast({ tracking: [signature('gitlab:location', 'app/db.py:10', 1), signature('gitlab:scope_offset', 'app/db.py|query[0]:3', 3)], ...overrides });

describe('fingerprintsOf: layers', () => {
  test('are ordered strongest first: tracking (100 + priority), content 30, location 20, coarse 10', () => {
    assert.deepEqual(
      fingerprintsOf(tracked()).map((fp) => [fp.algorithm, fp.strength]),
      [
        ['tracking:gitlab:scope_offset', 103],
        ['tracking:gitlab:location', 101],
        ['content', 30],
        ['location', 20],
        ['coarse', 10],
      ],
    );
  });

  test('each tracking signature becomes a tracking:<algorithm> fingerprint, priority 0 gives strength 100', () => {
    const fps = fingerprintsOf(sast({ snippet: null, location: { startLine: null }, tracking: [signature('sarif-fingerprint:matchHash/v1', 'abc')] }));
    assert.deepEqual(
      fps.map((fp) => [fp.algorithm, fp.strength]),
      [
        ['tracking:sarif-fingerprint:matchHash/v1', 100],
        ['coarse', 10],
      ],
    );
  });

  test('every fingerprint records the algorithm version and is a sha256 hex digest', () => {
    assert.equal(FINGERPRINT_VERSION, 1);
    for (const fp of fingerprintsOf(tracked())) {
      assert.equal(fp.version, FINGERPRINT_VERSION, fp.algorithm);
      assert.match(fp.hash, /^[0-9a-f]{64}$/, fp.algorithm);
    }
  });

  test('hashes are sha256 of the canonical JSON tuple [algorithm, version, report type, [identifier type, value], …] (pinned: a change re-keys every stored vulnerability)', () => {
    assert.deepEqual(Object.fromEntries(hashes(tracked())), {
      'tracking:gitlab:scope_offset': sha256(['tracking:gitlab:scope_offset', 1, 'sast', ['semgrep_id', 'python.sqli'], 'app/db.py|query[0]:3']),
      'tracking:gitlab:location': sha256(['tracking:gitlab:location', 1, 'sast', ['semgrep_id', 'python.sqli'], 'app/db.py:10']),
      content: sha256(['content', 1, 'sast', ['semgrep_id', 'python.sqli'], 'app/db.py', 'cursor.execute("SELECT*FROMtWHEREid="+user_id)']),
      location: sha256(['location', 1, 'sast', ['semgrep_id', 'python.sqli'], 'app/db.py', 10, 12]),
      coarse: sha256(['coarse', 1, 'sast', ['semgrep_id', 'python.sqli'], 'app/db.py']),
    });
    assert.deepEqual(Object.fromEntries(hashes(dependency())), {
      coarse: sha256(['coarse', 1, 'dependency_scanning', ['cve', 'cve-2021-23337'], 'package-lock.json', 'lodash']),
    });
    assert.deepEqual(Object.fromEntries(hashes(container())), {
      coarse: sha256(['coarse', 1, 'container_scanning', ['cve', 'cve-2023-5678'], 'registry.example.com/app', 'openssl']),
    });
    assert.deepEqual(Object.fromEntries(hashes(dast())), {
      coarse: sha256(['coarse', 1, 'dast', ['zaproxy_pluginid', '40012'], '/search', 'GET', 'q']),
    });
  });

  test('the same finding always gives the same fingerprints', () => {
    for (const finding of [tracked(), dependency(), container(), dast()]) {
      assert.deepEqual(fingerprintsOf(finding), fingerprintsOf(structuredClone(finding)));
      assert.deepEqual(fingerprintsOf(finding), fingerprintsOf(finding));
    }
  });

  const fileBased: ReportType[] = ['sast', 'secret_detection', 'iac', 'coverage_fuzzing'];
  for (const reportType of REPORT_TYPES) {
    const expected = fileBased.includes(reportType) ? ['content', 'location', 'coarse'] : ['coarse'];
    test(`${reportType} with a file, lines and a snippet gets ${expected.join(' + ')}`, () => {
      const finding = sast({ reportType, location: { package: { name: 'p', version: '1' }, image: 'i:1', path: '/p', httpMethod: 'GET' } });
      assert.deepEqual(layers(finding), expected);
    });
  }

  test('no snippet, or a whitespace-only one, means no content layer', () => {
    assert.deepEqual(layers(sast({ snippet: null })), ['location', 'coarse']);
    assert.deepEqual(layers(sast({ snippet: '' })), ['location', 'coarse']);
    assert.deepEqual(layers(sast({ snippet: ' \n\t ' })), ['location', 'coarse']);
  });

  test('no start line means no location layer; no file means only the coarse layer', () => {
    assert.deepEqual(layers(sast({ location: { startLine: null, endLine: null } })), ['content', 'coarse']);
    assert.deepEqual(layers(sast({ location: { file: null } })), ['coarse']);
  });

  test('a missing end line is the start line', () => {
    assert.deepEqual(changedLayers(sast({ location: { endLine: null } }), sast({ location: { endLine: 10 } })), []);
  });
});

describe('fingerprintsOf: volatile fields stay out of identity', () => {
  const volatile: Array<[string, Finding, Finding]> = [
    ['description', tracked(), tracked({ description: 'Reworded by a newer rule pack.' })],
    ['severity', tracked(), tracked({ severity: 'low' })],
    ['title', tracked(), tracked({ title: 'Possible SQL injection' })],
    ['confidence, solution, links, CVSS', tracked(), tracked({ confidence: 'high', solution: 'Use bind parameters.', links: [{ name: null, url: 'https://x' }], cvssVectors: [{ vendor: null, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] })],
    ['scanner version', tracked(), tracked({ scanner: { id: 'semgrep', name: 'Semgrep', version: '1.99.0', vendor: 'Semgrep' } })],
    ['scanner id', tracked(), tracked({ scanner: { id: 'semgrep-pro', name: 'Semgrep Pro', version: '2.0.0', vendor: null } })],
    ['classification identifiers after the primary one', tracked(), tracked({ identifiers: [identifier('semgrep_id', 'python.sqli'), identifier('cwe', '89'), identifier('owasp', 'A03:2021')] })],
    ['a classification identifier before the primary one', tracked(), tracked({ identifiers: [identifier('cwe', '89'), identifier('semgrep_id', 'python.sqli')] })],
    ['primary identifier case', tracked(), tracked({ identifiers: [identifier('SEMGREP_ID', 'Python.SQLi')] })],
    ['whitespace in the snippet', tracked(), tracked({ snippet: '  cursor.execute( "SELECT * FROM t WHERE id = "\n\t+ user_id )  ' })],
    ['package version', dependency(), dependency({ location: { package: { name: 'lodash', version: '4.17.21' } } })],
    ['package name case', dependency(), dependency({ location: { package: { name: 'LoDash', version: null } } })],
    ['a line in the manifest', dependency(), dependency({ location: { startLine: 120, endLine: 120 }, snippet: '"lodash": "4.17.20"' })],
    ['image tag', container(), container({ location: { image: 'registry.example.com/app:1.3' } })],
    ['image digest', container(), container({ location: { image: 'registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' } })],
    ['image tag and digest', container(), container({ location: { image: 'registry.example.com/app:1.3@sha256:0123456789abcdef' } })],
    ['operating system version', container(), container({ location: { operatingSystem: 'alpine 3.20' } })],
    ['DAST hostname', dast(), dast({ location: { hostname: 'https://prod.example.com:8443' } })],
    ['HTTP method case', dast(), dast({ location: { httpMethod: 'get' } })],
  ];
  for (const [name, before, after] of volatile) {
    test(`${name} changes no hash`, () => {
      assert.deepEqual(changedLayers(before, after), []);
    });
  }
});

describe('fingerprintsOf: identity fields change exactly their layers', () => {
  const all = ['coarse', 'content', 'location', 'tracking:gitlab:location', 'tracking:gitlab:scope_offset'];
  const identity: Array<[string, Finding, Finding, string[]]> = [
    ['primary identifier', tracked(), tracked({ identifiers: [identifier('semgrep_id', 'python.sqli-format')] }), all],
    ['report type', tracked(), tracked({ reportType: 'secret_detection' }), all],
    ['file', tracked(), tracked({ location: { file: 'app/orm.py' } }), ['coarse', 'content', 'location']],
    ['start line moved by 10', tracked(), tracked({ location: { startLine: 20, endLine: 22 } }), ['location']],
    ['end line', tracked(), tracked({ location: { endLine: 13 } }), ['location']],
    ['code (not only whitespace)', tracked(), tracked({ snippet: 'cursor.execute("SELECT * FROM t WHERE id = %s", (user_id,))' }), ['content']],
    ['a tracking value', tracked(), tracked({ tracking: [signature('gitlab:location', 'app/db.py:10', 1), signature('gitlab:scope_offset', 'app/db.py|query[0]:4', 3)] }), ['tracking:gitlab:scope_offset']],
    ['package name', dependency(), dependency({ location: { package: { name: 'lodash-es', version: '4.17.20' } } }), ['coarse']],
    ['manifest', dependency(), dependency({ location: { file: 'web/package-lock.json' } }), ['coarse']],
    ['image name', container(), container({ location: { image: 'registry.example.com/worker:1.2' } }), ['coarse']],
    ['image registry', container(), container({ location: { image: 'mirror.example.com/app:1.2' } }), ['coarse']],
    ['container package', container(), container({ location: { package: { name: 'libcrypto3', version: '3.1.4-r0' } } }), ['coarse']],
    ['DAST path', dast(), dast({ location: { path: '/search/advanced' } }), ['coarse']],
    ['DAST method', dast(), dast({ location: { httpMethod: 'POST' } }), ['coarse']],
    ['DAST parameter', dast(), dast({ location: { param: 'query' } }), ['coarse']],
    ['DAST parameter name case', dast(), dast({ location: { param: 'Q' } }), ['coarse']],
  ];
  for (const [name, before, after, changed] of identity) {
    test(`${name} changes ${changed.join(', ')}`, () => {
      assert.deepEqual(changedLayers(before, after), changed);
    });
  }

  test('a moved line keeps content, coarse and tracking hashes and changes only location', () => {
    const before = hashes(tracked());
    const after = hashes(tracked({ location: { startLine: 20, endLine: 22 } }));
    assert.deepEqual([...after.keys()], [...before.keys()]);
    for (const [algorithm, hash] of before) {
      if (algorithm === 'location') assert.notEqual(after.get(algorithm), hash);
      else assert.equal(after.get(algorithm), hash, algorithm);
    }
  });

  test('without a snippet a moved line still keeps the coarse hash', () => {
    assert.deepEqual(changedLayers(sast({ snippet: null }), sast({ snippet: null, location: { startLine: 20, endLine: 22 } })), ['location']);
  });
});

describe('fingerprintsOf: canonical tuples, never concatenation', () => {
  test('rule "ab" + file "c" and rule "a" + file "bc" differ', () => {
    const a = sast({ identifiers: [identifier('rule', 'ab')], location: { file: 'c' } });
    const b = sast({ identifiers: [identifier('rule', 'a')], location: { file: 'bc' } });
    assert.deepEqual(changedLayers(a, b), ['coarse', 'content', 'location']);
  });

  test('file "a" lines 12–3 and file "a1" lines 2–3 differ', () => {
    const a = sast({ snippet: null, location: { file: 'a', startLine: 12, endLine: 3 } });
    const b = sast({ snippet: null, location: { file: 'a1', startLine: 2, endLine: 3 } });
    assert.deepEqual(changedLayers(a, b), ['coarse', 'location']);
  });

  test('manifest "lib/a" + package "b" and manifest "lib/" + package "ab" differ', () => {
    const a = dependency({ location: { file: 'lib/a', package: { name: 'b', version: null } } });
    const b = dependency({ location: { file: 'lib/', package: { name: 'ab', version: null } } });
    assert.deepEqual(changedLayers(a, b), ['coarse']);
  });

  test('a missing DAST parameter and a parameter named "null" differ', () => {
    assert.deepEqual(changedLayers(dast({ location: { param: null } }), dast({ location: { param: 'null' } })), ['coarse']);
  });

  test('the same tracking value under two algorithms gives two hashes', () => {
    const [a, b] = fingerprintsOf(sast({ tracking: [signature('x', 'v'), signature('y', 'v')] }));
    assert.notEqual(a!.hash, b!.hash);
  });
});

describe('primaryIdentifier', () => {
  const cases: Array<[string, string[], string]> = [
    ['the first non-classification identifier', ['cwe', 'owasp', 'wasc', 'capec', 'cve', 'ghsa'], 'cve'],
    ['report order among identities', ['ghsa', 'cve'], 'ghsa'],
    ['the first classification when nothing else exists', ['owasp', 'cwe'], 'owasp'],
  ];
  for (const [name, types, expected] of cases) {
    test(`is ${name}`, () => {
      assert.equal(primaryIdentifier(types.map((t) => identifier(t, `${t}-1`))).type, expected);
    });
  }

  test('a finding without identifiers is refused', () => {
    assert.throws(() => primaryIdentifier([]), { message: 'a finding needs at least one identifier' });
  });

  test('a CWE-only finding is identified by its first CWE', () => {
    const cweOnly = (first: string, second: string) => sast({ identifiers: [identifier('cwe', first), identifier('cwe', second)] });
    assert.deepEqual(changedLayers(cweOnly('89', '79'), cweOnly('89', '20')), []);
    assert.deepEqual(changedLayers(cweOnly('89', '79'), cweOnly('79', '89')), ['coarse', 'content', 'location']);
  });
});

describe('identifierKey', () => {
  test('is type:value, case-folded', () => {
    assert.equal(identifierKey(identifier('CVE', 'CVE-2021-44228')), 'cve:cve-2021-44228');
    assert.equal(identifierKey(identifier('GHSA', 'GHSA-JFH8-C2JP-5V3Q')), identifierKey(identifier('ghsa', 'ghsa-jfh8-c2jp-5v3q')));
  });

  test('ignores name and url', () => {
    assert.equal(identifierKey({ type: 'cve', value: 'CVE-1', name: 'Log4Shell', url: 'https://nvd' }), 'cve:cve-1');
  });
});

describe('imageName', () => {
  const cases: Array<[string, string]> = [
    ['alpine', 'alpine'],
    ['alpine:3.19', 'alpine'],
    ['library/alpine:latest', 'library/alpine'],
    ['registry:5000/app:1.2', 'registry:5000/app'],
    ['registry:5000/app', 'registry:5000/app'],
    ['registry:5000/team/app@sha256:abc123', 'registry:5000/team/app'],
    ['registry.example.com/app:1.2@sha256:abc123', 'registry.example.com/app'],
    ['Registry.Example.com/App:1.2', 'registry.example.com/app'],
  ];
  for (const [image, name] of cases) {
    test(`${image} → ${name}`, () => {
      assert.equal(imageName(image), name);
    });
  }
});

describe('positionOf', () => {
  test('is file, start line, end line; missing parts are empty and zero', () => {
    assert.deepEqual(positionOf(sast()), ['app/db.py', 10, 12]);
    assert.deepEqual(positionOf(dast()), ['', 0, 0]);
  });
});

describe('reportTypeFromLocation', () => {
  const shapes: Array<[string, Partial<Location>, ReportType]> = [
    ['nothing', {}, 'sast'],
    ['file and lines', { file: 'a.js', startLine: 1, endLine: 2 }, 'sast'],
    ['an image', { image: 'alpine:3' }, 'container_scanning'],
    ['an operating system', { operatingSystem: 'debian 12' }, 'container_scanning'],
    ['an image and a package', { image: 'alpine:3', package: { name: 'musl', version: '1' } }, 'container_scanning'],
    ['a package', { file: 'go.sum', package: { name: 'golang.org/x/net', version: '0.1.0' } }, 'dependency_scanning'],
    ['a package and a hostname', { package: { name: 'p', version: null }, hostname: 'h' }, 'dependency_scanning'],
    ['a hostname', { hostname: 'https://example.com' }, 'dast'],
    ['an HTTP method', { httpMethod: 'POST' }, 'dast'],
    ['a parameter', { param: 'id' }, 'dast'],
    ['a commit', { file: '.env', startLine: 1, commitSha: 'a'.repeat(40) }, 'secret_detection'],
  ];
  for (const [name, location, reportType] of shapes) {
    test(`${name} → ${reportType}`, () => {
      assert.equal(reportTypeFromLocation({ ...emptyLocation(), ...location }), reportType);
    });
  }
});

describe('severityRank', () => {
  test('critical > high > medium > low > info > unknown', () => {
    assert.deepEqual(
      SEVERITIES.map((s) => [s, severityRank(s)]),
      [
        ['critical', 5],
        ['high', 4],
        ['medium', 3],
        ['low', 2],
        ['info', 1],
        ['unknown', 0],
      ],
    );
  });
});

describe('emptyLocation', () => {
  test('has every field null and is a fresh object each time', () => {
    const a = emptyLocation();
    assert.ok(Object.values(a).every((v) => v === null));
    assert.equal(Object.keys(a).length, 13);
    a.file = 'x';
    assert.equal(emptyLocation().file, null);
  });
});

describe('primaryIdentifier: advisory aliases of package findings', () => {
  const ids = (...pairs: [string, string][]) => pairs.map(([type, value]) => ({ type, value, name: null, url: null }));
  test('a package finding is named by its CVE, whichever alias the scanner put first', () => {
    const grype = ids(['ghsa', 'GHSA-35JH-R3H4-6JHM'], ['cve', 'CVE-2021-23337']);
    const gemnasium = ids(['gemnasium', 'ffb814a0'], ['cve', 'CVE-2021-23337']);
    assert.equal(primaryIdentifier(grype, 'dependency_scanning').value, 'CVE-2021-23337');
    assert.equal(primaryIdentifier(gemnasium, 'container_scanning').value, 'CVE-2021-23337');
    assert.equal(primaryIdentifier(ids(['gemnasium', 'x'], ['ghsa', 'GHSA-1']), 'dependency_scanning').value, 'GHSA-1');
  });
  test('other findings keep the report order', () => {
    assert.equal(primaryIdentifier(ids(['semgrep_id', 'rule'], ['cve', 'CVE-1']), 'sast').value, 'rule');
    assert.equal(primaryIdentifier(ids(['cwe', '79'], ['semgrep_id', 'rule'])).value, 'rule');
  });
});
