import type { Severity } from '../../api/types';

/**
 * Words for the API's identifiers (snake_case enums), in one place so the report, the vulnerability page and the
 * dashboards name things the same way.
 */
export const REPORT_TYPES = ['sast', 'dependency_scanning', 'container_scanning', 'cluster_image_scanning', 'dast', 'api_fuzzing', 'coverage_fuzzing', 'secret_detection', 'iac'] as const;

export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info', unknown: 'Unknown' };

const STATE_LABELS: Record<string, string> = { detected: 'Detected', confirmed: 'Confirmed', dismissed: 'Dismissed', resolved: 'Resolved' };

const SLA_LABELS: Record<string, string> = { breached: 'Breached', due_soon: 'Due soon', ok: 'On track' };

// Words that read as acronyms, not as sentence case, when an identifier is humanised.
const ACRONYMS: Record<string, string> = { sast: 'SAST', dast: 'DAST', iac: 'IaC', api: 'API', cve: 'CVE', cwe: 'CWE', ghsa: 'GHSA', owasp: 'OWASP', kev: 'KEV', epss: 'EPSS', cvss: 'CVSS', ssvc: 'SSVC', sla: 'SLA', url: 'URL', id: 'ID' };

/** "false_positive" → "False positive", "dast" → "DAST", "cluster_image_scanning" → "Cluster image scanning". */
export function humanize(id: string): string {
  const words = id.split(/[_\s]+/).filter(Boolean).map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  if (words.length === 0) return id;
  const [first, ...rest] = words;
  return [first!.charAt(0).toUpperCase() + first!.slice(1), ...rest].join(' ');
}

export const severityLabel = (severity: string) => SEVERITY_LABELS[severity as Severity] ?? humanize(severity);
export const stateLabel = (state: string) => STATE_LABELS[state] ?? humanize(state);
export const slaLabel = (status: string) => SLA_LABELS[status] ?? humanize(status);

export function pluralize(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}
