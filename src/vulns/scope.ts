import { imageName } from './fingerprint.js';
import type { Finding, ReportType, Scanner } from './model.js';

/**
 * What a scan covered: report type(s) + scanner(s) (+ image for container scans). Vulnerabilities missing from
 * a scan are "fixed" only on the same ref *and* scope, never because a different scanner did not report them.
 */
export function scopeKeyOf(reportTypes: ReportType[], scanners: Scanner[], findings: Finding[], targets?: string[]): string {
  const types = [...new Set(reportTypes)].sort();
  const tools = [...new Set(scanners.map((s) => s.id))].sort();
  // What the header says was scanned wins: a clean rescan of an image has no findings to name it.
  const named = targets && targets.length > 0 ? targets : findings.map((f) => f.location.image).filter((i): i is string => i !== null);
  const images = [...new Set(named.map(imageName))].sort();
  return [types.join('+'), tools.join('+'), ...(images.length > 0 ? [images.join('+')] : [])].join(':');
}
