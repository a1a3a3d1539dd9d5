/**
 * Identifiers and their public pages. The API keys a vulnerability by "type:value" in lower case
 * (primary_identifier); advisories read better in their usual upper case.
 */
const UPPER_TYPES = new Set(['cve', 'cwe']);

/** "cve:cve-2019-19814" → "CVE-2019-19814", "ghsa:ghsa-abcd-…" → "GHSA-abcd-…", "gosec_rule_id:g106" → "g106". */
export function identifierFromKey(key: string): { type: string; value: string } {
  const at = key.indexOf(':');
  if (at === -1) return { type: '', value: key };
  const type = key.slice(0, at);
  const raw = key.slice(at + 1);
  return { type, value: displayValue(type, raw) };
}

/** An identifier's value as people write it: "CWE-79" (scanners often give the bare number), "CVE-…", "GHSA-…". */
export function displayValue(type: string, value: string): string {
  const t = type.toLowerCase();
  if (t === 'cwe' && /^\d+$/.test(value)) return `CWE-${value}`;
  if (UPPER_TYPES.has(t)) return value.toUpperCase();
  if (t === 'ghsa' && /^ghsa-/i.test(value)) return `GHSA-${value.slice(5).toLowerCase()}`;
  return value;
}

const isHttp = (url: string | null | undefined): url is string => !!url && /^https?:\/\//i.test(url);

/** The public page of a CVE, CWE or GHSA; otherwise the scanner's own link when it is http(s) (never javascript: and the like). */
export function identifierUrl(type: string, value: string, url?: string | null): string | null {
  const v = value.trim();
  const cve = /^CVE-\d{4}-\d{4,}$/i.exec(v);
  if (cve) return `https://nvd.nist.gov/vuln/detail/${v.toUpperCase()}`;
  const cwe = /^(?:CWE-)?(\d+)$/i.exec(v);
  if (cwe && (type.toLowerCase() === 'cwe' || /^CWE-/i.test(v))) return `https://cwe.mitre.org/data/definitions/${cwe[1]}.html`;
  if (/^GHSA(-[0-9a-z]{4}){3}$/i.test(v)) return `https://github.com/advisories/GHSA-${v.slice(5).toLowerCase()}`;
  return isHttp(url) ? url : null;
}

export { isHttp };
