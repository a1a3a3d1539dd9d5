import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { csvCell, csvRow } from '../../src/vulns/csv.js';

test('plain cells are written as they are; empty for null and undefined', () => {
  assert.deepEqual([csvCell('src/app.py'), csvCell(42), csvCell(0.5), csvCell(true), csvCell(null), csvCell(undefined), csvCell('')], ['src/app.py', '42', '0.5', 'true', '', '', '']);
});

test('RFC 4180: a comma, a quote or a line break quotes the field and doubles its quotes; records end in CRLF', () => {
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
  assert.equal(csvRow(['a', 'b,c', null, 3]), 'a,"b,c",,3\r\n');
});

test('a text cell a spreadsheet would run as a formula gets a leading quote (and is quoted)', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r']) {
    const value = `${start}HYPERLINK("http://evil.example","x")`;
    const cell = csvCell(value);
    assert.ok(cell.startsWith(`"'${start}`), JSON.stringify(cell));
    assert.deepEqual(parse(csvRow([value]), { relaxQuotes: false })[0], [`'${value}`]);
  }
  assert.equal(csvCell('=1+1'), `"'=1+1"`);
  // Only the start counts; numbers are never neutralised (a negative number stays a number).
  assert.equal(csvCell('a=b'), 'a=b');
  assert.equal(csvCell(-1), '-1');
});

test('every record reads back with a standard CSV parser, whatever the text', () => {
  const records = [
    ['id', 'title', 'file'],
    ['1', 'SQL injection in "login", again', 'src/a,b.py'],
    ['2', 'multi\r\nline\ntitle', 'ünïcødé/路径.js'],
    ['3', '', '"quoted"'],
  ];
  const text = records.map((r) => csvRow(r)).join('');
  assert.deepEqual(parse(text), records);
});
