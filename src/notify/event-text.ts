import type { NotifiedVulnerability } from './outbox.js';

/** An outbox event as read back: what webhooks and e-mails are written from. */
export interface StoredEvent {
  id: number;
  kind: string;
  createdAt: string;
  payload: EventPayload;
}

export interface EventPayload {
  /** Every outbox event has one; only the test ping (a webhook's own) has none. */
  project?: { id: number; path: string };
  scan?: { id: number; ref: string };
  summary?: { new: number; existing: number; fixed: number; reopened: number; total: number };
  count?: number;
  vulnerabilities?: NotifiedVulnerability[];
  [key: string]: unknown;
}

export function storedEvent(row: { id: number; kind: string; created_at: string; payload_json: string }): StoredEvent {
  return { id: row.id, kind: row.kind, createdAt: row.created_at, payload: JSON.parse(row.payload_json) as EventPayload };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One line saying what happened, for a chat message or an e-mail subject. */
export function headline(kind: string, p: EventPayload): string {
  const count = p.count ?? p.vulnerabilities?.length ?? 0;
  const vulns = plural(count, 'vulnerability', 'vulnerabilities');
  const where = `${p.project?.path ?? ''}${p.scan ? ` (${p.scan.ref})` : ''}`;
  switch (kind) {
    case 'vulnerability.new':
      return `${count === 1 ? '1 new vulnerability' : `${count} new vulnerabilities`} in ${where}`;
    case 'vulnerability.resolved':
      return `${vulns} resolved in ${where}`;
    case 'vulnerability.reopened':
      return `${vulns} reopened in ${where}`;
    case 'sla.breached':
      return `${vulns} past the remediation deadline in ${where}`;
    case 'sla.due_soon':
      return `${vulns} due for remediation soon in ${where}`;
    case 'acceptance.expired':
      return `${plural(count, 'risk acceptance', 'risk acceptances')} expired in ${where}`;
    case 'scan.completed': {
      const s = p.summary;
      return `Scan completed in ${where}${s ? `: ${s.total} findings, ${s.new} new, ${s.fixed} fixed, ${s.reopened} reopened` : ''}`;
    }
    default:
      return `${kind} in ${where}`;
  }
}

/** The vulnerabilities an event lists, one short line each, and how many more it counts. */
export function vulnerabilityLines(p: EventPayload): { lines: { vulnerability: NotifiedVulnerability; text: string }[]; more: number } {
  const listed = p.vulnerabilities ?? [];
  return {
    lines: listed.map((v) => ({ vulnerability: v, text: `[${v.severity}] ${v.title} (${v.primary_identifier})${v.due_at ? `, due ${v.due_at.slice(0, 10)}` : ''}` })),
    more: Math.max(0, (p.count ?? listed.length) - listed.length),
  };
}

/** Links into Vigil, when VIGIL_PUBLIC_URL says where it is. */
export function links(publicUrl: string | null) {
  return {
    project: (path: string) => (publicUrl ? `${publicUrl}/api/v1/projects/${encodeURIComponent(path)}/vulnerabilities` : null),
    vulnerability: (id: number) => (publicUrl ? `${publicUrl}/api/v1/vulnerabilities/${id}` : null),
  };
}
