import { STATES, type Severity } from '../../api/types';
import { scopeUrl, type Scope } from '../../app/scope';
import { daysBetween } from './format';
import type { AgeBucket } from './types';

/**
 * Where each figure on the dashboard leads: the report filtered to the vulnerabilities behind it, with the
 * report's own query parameters, so the link is also a shareable filtered report.
 */
const OPEN = 'detected,confirmed';
const ANY_STATE = STATES.join(',');

export type SlaLinkStatus = 'breached' | 'due_soon' | 'ok';

/** Commas are legal in a query and far easier to read in a shared link than %2C. */
function query(params: Record<string, string | number | null | undefined>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v)).replace(/%2C/g, ',')}`)
    .join('&');
}

export interface ReportLinks {
  open(): string;
  severity(severity: Severity): string;
  resolved(severity: Severity): string;
  sla(status: SlaLinkStatus): string;
  age(bucket: Pick<AgeBucket, 'min_days' | 'max_days'>): string;
  /** Approximate: the report filters by first detection, not by resolution date (see weekResolved). */
  weekNew(weekStart: string): string;
  weekResolved(weekStart: string): string;
  cwe(cwe: string): string;
  project(fullPath: string): string;
}

export function reportLinks(scope: Scope, asOf: string): ReportLinks {
  const report = (params: Record<string, string | number | null | undefined>) => scopeUrl(scope, 'vulnerabilities', query(params));
  // A week [start, start + 7 days) as ages in days before as_of; the report's age filters are whole days, so round outwards.
  const weekAges = (weekStart: string) => {
    const oldest = daysBetween(weekStart, asOf);
    return { min: Math.max(0, Math.floor(oldest - 7)), max: Math.ceil(oldest) };
  };
  return {
    open: () => report({ state: OPEN }),
    severity: (severity) => report({ severity, state: OPEN }),
    resolved: (severity) => report({ severity, state: 'resolved' }),
    sla: (sla) => report({ sla, state: OPEN }),
    age: (bucket) => report({ state: OPEN, min_age_days: bucket.min_days, max_age_days: bucket.max_days }),
    weekNew: (weekStart) => {
      const { min, max } = weekAges(weekStart);
      return report({ state: ANY_STATE, min_age_days: min, max_age_days: max });
    },
    // Everything resolved in that week was first detected before the week ended: a superset, the closest the report can filter.
    weekResolved: (weekStart) => report({ state: 'resolved', min_age_days: weekAges(weekStart).min }),
    cwe: (cwe) => report({ identifier: cwe, state: OPEN }),
    project: (fullPath) => scopeUrl({ kind: 'project', path: fullPath }, 'vulnerabilities', query({ state: OPEN })),
  };
}
