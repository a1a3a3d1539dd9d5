import type { Finding } from '../model.js';
import type { ReadResult, ReportReader } from './format.js';
import { ReportError } from './report-error.js';

/**
 * A reader for formats whose findings are the elements of one array (`$.results.*`, or the root's `$.*`), each
 * converted as it arrives; `finish` completes the result.
 */
export function listReader(path: '$.*' | '$.results.*', convert: (value: unknown, pointer: string) => Finding, finish: (findings: Finding[]) => ReadResult): ReportReader {
  const findings: Finding[] = [];
  const parent = path === '$.*' ? [] : ['results'];
  return {
    elementPaths: [path],
    headerPaths: [],
    take(keys, value, pointer) {
      if (keys.length !== parent.length + 1 || parent.some((k, i) => keys[i] !== k)) return;
      if (typeof keys[parent.length] !== 'number') throw new ReportError(parent.map((k) => `/${k}`).join(''), 'must be an array');
      findings.push(convert(value, pointer));
    },
    finish: () => finish(findings),
  };
}
