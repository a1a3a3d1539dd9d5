import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { GENERIC_JSON_SCHEMA, genericCsvFormat, genericJsonFormat } from '../../src/vulns/formats/generic.js';
import { readWith, rejectsAt } from '../support/report-fixtures.js';

const read = (text: string) => readWith([genericJsonFormat, genericCsvFormat], Buffer.from(text), { maxBytes: 1e8, maxFindings: 1e6 });
const rejects = (text: string, pointer: string, message: RegExp) => rejectsAt(read(text), pointer, message);

const doc = {
  vigil_generic_version: '1',
  scanner: { id: 'inhouse-lint', name: 'In-house lint', version: '2.3' },
  report_type: 'sast',
  findings: [
    {
      title: 'Hard-coded password',
      severity: 'high',
      identifiers: [{ type: 'rule', value: 'PW001' }, { type: 'cwe', value: 'CWE-798' }],
      location: { file: './src/config.js', start_line: 12 },
      snippet: 'const password = "hunter2";',
      fingerprint: 'pw001:src/config.js:password',
    },
    {
      title: 'Outdated lodash',
      severity: 'medium',
      identifiers: [{ type: 'ghsa', value: 'ghsa-35jh-r3h4-6jhm' }, { type: 'cve', value: 'cve-2021-23337' }],
      location: { file: 'package-lock.json', package: { name: 'lodash', version: '4.17.20', ecosystem: 'npm', fixed_versions: ['4.17.21'] } },
      assessment: { state: 'dismissed', reason: 'not_applicable', comment: 'template() is never called' },
    },
  ],
};

describe('Vigil generic JSON', () => {
  test('a valid document becomes canonical findings; the published schema accepts it', async () => {
    assert.equal(new Ajv2020({ strict: true }).validate(GENERIC_JSON_SCHEMA, doc), true);
    const report = await read(JSON.stringify(doc));
    assert.equal(report.format, 'generic-json');
    assert.deepEqual(report.scanners, [{ id: 'inhouse-lint', name: 'In-house lint', version: '2.3', vendor: null }]);
    assert.deepEqual(report.reportTypes, ['sast']);
    const [pw, lodash] = report.findings;
    assert.equal(pw!.location.file, 'src/config.js');
    assert.deepEqual(pw!.tracking, [{ algorithm: 'generic:fingerprint', value: 'pw001:src/config.js:password', priority: 5 }]);
    assert.deepEqual(lodash!.identifiers.map((i) => i.value), ['GHSA-35JH-R3H4-6JHM', 'CVE-2021-23337']);
    assert.deepEqual(lodash!.location.package, { name: 'lodash', version: '4.17.20', ecosystem: 'npm', purl: null, fixedVersions: ['4.17.21'] });
    assert.deepEqual(lodash!.assessment, { state: 'dismissed', reason: 'not_applicable', comment: 'template() is never called' });
  });

  test('schema violations point at the field', async () => {
    const bad = (mutate: (d: any) => void) => {
      const copy = structuredClone(doc) as any;
      mutate(copy);
      return JSON.stringify(copy);
    };
    await rejects(bad((d) => (d.findings[1].severity = 'severe')), '/findings/1/severity', /must be one of critical, high/);
    await rejects(bad((d) => delete d.findings[0].identifiers), '/findings/0/identifiers', /is required/);
    await rejects(bad((d) => (d.findings[0].identifiers = [])), '/findings/0/identifiers', /fewer than 1/);
    await rejects(bad((d) => (d.findings[0].location.start_line = 'twelve')), '/findings/0/location/start_line', /integer/);
    await rejects(bad((d) => (d.findings[0].colour = 'red')), '/findings/0/colour', /not a known field/);
    await rejects(bad((d) => (d.report_type = 'pentest')), '/report_type', /must be one of sast/);
    await rejects(bad((d) => delete d.scanner), '/scanner', /is required/);
  });
});

describe('Vigil generic CSV', () => {
  const csv = [
    'title,severity,rule,cve,cwe,file,start_line,package,version,fixed_versions,scanner,report_type',
    'SQL injection,high,SQLI-1,,89,app/db.py,10,,,,inhouse,sast',
    '"Outdated lodash, prototype pollution",medium,npm-1673,CVE-2021-23337,,package-lock.json,,lodash,4.17.20,4.17.21,inhouse,dependency_scanning',
  ].join('\n');

  test('rows become findings; quoted commas survive; CWE numbers become CWE ids', async () => {
    const report = await read(csv);
    assert.equal(report.format, 'generic-csv');
    assert.equal(report.findings.length, 2);
    const [sqli, lodash] = report.findings;
    assert.deepEqual(sqli!.identifiers.map((i) => `${i.type}:${i.value}`), ['rule:SQLI-1', 'cwe:CWE-89']);
    assert.equal(sqli!.location.startLine, 10);
    assert.equal(lodash!.title, 'Outdated lodash, prototype pollution');
    assert.equal(lodash!.reportType, 'dependency_scanning');
    assert.deepEqual(lodash!.location.package?.fixedVersions, ['4.17.21']);
    assert.deepEqual(report.scanners.map((s) => s.id), ['inhouse']);
    assert.deepEqual(report.reportTypes.sort(), ['dependency_scanning', 'sast']);
  });

  test('bad rows name the row and column; a ragged row is invalid CSV; unknown columns are not this format', async () => {
    await rejects(csv.replace('SQL injection,high', 'SQL injection,urgent'), '/2/severity', /must be one of/);
    await rejects(csv.replace(',10,', ',ten,'), '/2/start_line', /"ten" is not a line number/);
    await rejects(`${csv}\nonly,three,cells,too-few`, '', /not valid CSV/);
    await rejects('title,severity,rule,colour\nx,high,r,red', '', /not a known report format: a CSV file with columns title, severity, rule, colour/);
  });
});
