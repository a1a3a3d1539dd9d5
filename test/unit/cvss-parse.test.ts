import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCvss } from '../../src/risk/cvss/index.js';
import { throwsCvssError } from '../support/cvss-fixtures.js';

const V2 = 'AV:N/AC:L/Au:N/C:P/I:P/A:P';
const V30 = 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

function rejects(text: string, message: string, metric: string | null, options: { strict?: boolean } = {}): void {
  throwsCvssError(() => parseCvss(text, options), message, metric);
}

describe('parseCvss: versions', () => {
  test('are told apart by the CVSS:4.0/, CVSS:3.1/ and CVSS:3.0/ prefixes; no prefix is v2', () => {
    assert.deepEqual(
      [V2, V30, V31, V40].map((text) => parseCvss(text).version),
      ['2.0', '3.0', '3.1', '4.0'],
    );
  });

  test('v2 is also accepted wrapped in parentheses or behind CVSS:2.0/, and is written without prefix', () => {
    assert.equal(parseCvss(`(${V2})`).vector, V2);
    assert.equal(parseCvss(`CVSS:2.0/${V2}`).vector, V2);
    assert.equal(parseCvss(`  ${V31}\n`).vector, V31);
  });

  test('an unknown version or an empty string is rejected', () => {
    rejects('CVSS:5.0/AV:N', 'unsupported CVSS version "5.0"', null);
    rejects('CVSS:3/AV:N', 'unsupported CVSS version "3"', null);
    rejects('   ', 'empty CVSS vector', null);
  });

  test('a v3 vector without its prefix is read as v2 and fails on the first v3-only metric', () => {
    rejects('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 2.0 vector: unknown metric "PR"', 'PR');
  });
});

describe('parseCvss: canonical form', () => {
  test('any input order comes out in the specification order, with the metrics as a record', () => {
    const vector = parseCvss('CVSS:3.1/S:U/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/MAV:L/CR:H/E:P');
    assert.equal(vector.vector, `${V31}/E:P/CR:H/MAV:L`);
    assert.deepEqual(vector.metrics, { AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H', E: 'P', CR: 'H', MAV: 'L' });
  });

  test('X and ND values are left out of the vector and the metrics', () => {
    const v3 = parseCvss(`${V30}/E:X/RL:X/RC:X/MAV:X/MAC:X/MPR:X/MUI:X/MS:X/MC:X/MI:X/MA:X/CR:X/IR:X/AR:H`);
    assert.equal(v3.vector, `${V30}/AR:H`);
    const v2 = parseCvss(`${V2}/E:ND/RL:OF/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND`);
    assert.equal(v2.vector, `${V2}/RL:OF`);
    assert.equal('E' in v2.metrics, false);
  });

  test('CVSS 4.0: lenient parsing takes any order (metaeffekt puts supplemental metrics before MAC, E last)', () => {
    const text = `${V40}/MAV:A/S:P/R:A/U:Amber/MAC:H/CR:L/E:P`;
    assert.equal(parseCvss(text).vector, `${V40}/E:P/CR:L/MAV:A/MAC:H/S:P/R:A/U:Amber`);
  });

  test('CVSS 4.0 strict: FIRST order is required, X values included', () => {
    const ordered = `${V40}/E:X/CR:H/MAV:X/MSI:S/S:X/U:Red`;
    assert.equal(parseCvss(ordered, { strict: true }).vector, `${V40}/CR:H/MSI:S/U:Red`);
    rejects(`${V40}/MAV:A/S:P/MAC:H`, 'CVSS 4.0 vector: metric MAC is out of order (strict CVSS 4.0 order puts MAC before S)', 'MAC', {
      strict: true,
    });
    rejects(`${V40}/MSI:S/E:P`, 'CVSS 4.0 vector: metric E is out of order (strict CVSS 4.0 order puts E before MSI)', 'E', { strict: true });
    rejects(
      'CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      'CVSS 4.0 vector: metric AV is out of order (strict CVSS 4.0 order puts AV before AC)',
      'AV',
      { strict: true },
    );
  });

  test('v2 and v3.x: FIRST allows any order, so strict parsing accepts what lenient parsing does', () => {
    assert.equal(parseCvss('CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/MA:L/CR:H', { strict: true }).vector, `${V31}/CR:H/MA:L`);
    assert.equal(parseCvss('A:P/I:P/C:P/Au:N/AC:L/AV:N/CDP:H/E:F', { strict: true }).vector, `${V2}/E:F/CDP:H`);
  });

  test('the canonical vector parses, strictly, back to itself', () => {
    const once = parseCvss(`${V40}/U:Clear/E:U/MVC:L`);
    assert.deepEqual(parseCvss(once.vector, { strict: true }), once);
  });
});

describe('parseCvss: invalid vectors name the bad metric', () => {
  test('unknown value, with the allowed ones', () => {
    rejects('CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: unknown value "Q" for metric AV (allowed: N, A, L, P)', 'AV');
    rejects(`${V31}/E:Z`, 'CVSS 3.1 vector: unknown value "Z" for metric E (allowed: X, U, P, F, H)', 'E');
    rejects(`${V40}/U:red`, 'CVSS 4.0 vector: unknown value "red" for metric U (allowed: X, Clear, Green, Amber, Red)', 'U');
    rejects(`${V40}/MSC:S`, 'CVSS 4.0 vector: unknown value "S" for metric MSC (allowed: X, N, L, H)', 'MSC');
    rejects(`${V2}/CDP:X`, 'CVSS 2.0 vector: unknown value "X" for metric CDP (allowed: N, L, LM, MH, H, ND)', 'CDP');
  });

  test('a base metric cannot be "not defined"', () => {
    rejects('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: unknown value "X" for metric AV (allowed: N, A, L, P)', 'AV');
    rejects('AV:ND/AC:L/Au:N/C:P/I:P/A:P', 'CVSS 2.0 vector: unknown value "ND" for metric AV (allowed: L, A, N)', 'AV');
  });

  test('unknown metric, including another version’s metric and wrong letter case', () => {
    rejects(`${V31}/XY:Z`, 'CVSS 3.1 vector: unknown metric "XY"', 'XY');
    rejects(`${V31}/AT:N`, 'CVSS 3.1 vector: unknown metric "AT"', 'AT');
    rejects(`${V40}/MS:U`, 'CVSS 4.0 vector: unknown metric "MS"', 'MS');
    rejects('CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: unknown metric "av"', 'av');
  });

  test('a metric given twice, even with the same value or as X', () => {
    rejects('CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: metric AV appears twice', 'AV');
    rejects(`${V31}/A:H`, 'CVSS 3.1 vector: metric A appears twice', 'A');
    rejects(`${V40}/E:X/E:P`, 'CVSS 4.0 vector: metric E appears twice', 'E');
  });

  test('missing base metrics, all of them listed', () => {
    rejects('CVSS:3.1/AV:N/AC:L/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: missing base metric PR', 'PR');
    rejects('CVSS:3.1/AV:N/AC:L/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: missing base metrics PR, UI', 'PR');
    rejects('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/E:A', 'CVSS 4.0 vector: missing base metric SA', 'SA');
    rejects('AV:N/AC:L/Au:N', 'CVSS 2.0 vector: missing base metrics C, I, A', 'C');
    rejects('CVSS:3.0/', 'CVSS 3.0 vector: missing base metrics AV, AC, PR, UI, S, C, I, A', 'AV');
  });

  test('empty parts and a trailing slash', () => {
    rejects('CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: empty part after "AV:N"', null);
    rejects('CVSS:3.1//AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: empty part at the start', null);
    rejects(`${V31}/`, 'CVSS 3.1 vector: trailing "/"', null);
    rejects(`${V2}/`, 'CVSS 2.0 vector: trailing "/"', null);
  });

  test('a metric without a value, a value without a metric', () => {
    rejects('CVSS:3.1/AV/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: metric AV has no value', 'AV');
    rejects('CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS 3.1 vector: metric AV has no value', 'AV');
    rejects(`${V31}/:H`, 'CVSS 3.1 vector: part ":H" has no metric name', null);
    rejects(`${V31}/E:P:F`, 'CVSS 3.1 vector: unknown value "P:F" for metric E (allowed: X, U, P, F, H)', 'E');
  });
});
