import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';

/** What Vigil notifies about (webhook event names; e-mail subscriptions use the same names). */
export const NOTIFICATION_KINDS = [
  'vulnerability.new',
  'vulnerability.resolved',
  'vulnerability.reopened',
  'sla.breached',
  'sla.due_soon',
  'scan.completed',
  'acceptance.expired',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A vulnerability as notifications show it. */
export interface NotifiedVulnerability {
  id: number;
  title: string;
  severity: string;
  state: string;
  primary_identifier: string;
  due_at?: string | null;
}

/**
 * A vulnerability.* or sla.* event covers many vulnerabilities at once (one scan can bring thousands): receivers get
 * one message listing the first ones in full and counting all of them, not a flood.
 */
export const LISTED_PER_EVENT = 100;

export interface NotificationEvent {
  kind: NotificationKind;
  projectId: number;
  projectPath: string;
  /** Event-specific: vulnerabilities (listed + count), scan summary, ref. */
  payload: Record<string, unknown>;
}

/** Writes events in the caller's transaction. */
export async function emitNotifications(trx: Kysely<Database>, now: string, events: readonly NotificationEvent[]): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('notification_events')
    .values(events.map((e) => ({ kind: e.kind, project_id: e.projectId, payload_json: JSON.stringify({ project: { id: e.projectId, path: e.projectPath }, ...e.payload }), created_at: now, dispatched_at: null })))
    .execute();
}

/** The payload part for a set of vulnerabilities. */
export function vulnerabilitiesPayload(vulnerabilities: readonly NotifiedVulnerability[]): { count: number; vulnerabilities: NotifiedVulnerability[] } {
  return { count: vulnerabilities.length, vulnerabilities: vulnerabilities.slice(0, LISTED_PER_EVENT) };
}

/** One event per project for vulnerabilities of possibly many projects (an SLA scan, an acceptance expiry). */
export async function emitPerProject(trx: Kysely<Database>, now: string, kind: NotificationKind, vulnerabilities: readonly (NotifiedVulnerability & { projectId: number; projectPath: string })[]): Promise<void> {
  const byProject = new Map<number, { path: string; vulnerabilities: NotifiedVulnerability[] }>();
  for (const { projectId, projectPath, ...vulnerability } of vulnerabilities) {
    const entry = byProject.get(projectId) ?? { path: projectPath, vulnerabilities: [] };
    entry.vulnerabilities.push(vulnerability);
    byProject.set(projectId, entry);
  }
  await emitNotifications(trx, now, [...byProject].map(([projectId, p]) => ({ kind, projectId, projectPath: p.path, payload: vulnerabilitiesPayload(p.vulnerabilities) })));
}
