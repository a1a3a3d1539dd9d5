import { imageName } from './fingerprint.js';
import type { Finding, ReportType, Scanner } from './model.js';

/**
 * What a scan covered: report type(s) + scanner(s) (+ image for container scans). Vulnerabilities missing from
 * a scan are "fixed" only on the same ref *and* scope, never because a different scanner did not report them.
 */
export function scopeKeyOf(reportTypes: ReportType[], scanners: Scanner[], findings: Finding[]): string {
  const types = [...new Set(reportTypes)].sort();
  const tools = [...new Set(scanners.map((s) => s.id))].sort();
  const images = [...new Set(findings.map((f) => (f.location.image ? imageName(f.location.image) : null)).filter((i): i is string => i !== null))].sort();
  return [types.join('+'), tools.join('+'), ...(images.length > 0 ? [images.join('+')] : [])].join(':');
}
