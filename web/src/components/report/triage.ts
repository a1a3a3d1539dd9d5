import type { DISMISSAL_REASONS, Severity } from '../../api/types';
import { humanize, pluralize, severityLabel } from './labels';

/**
 * Triage as the API takes it: a new state (a dismissal needs a reason and a comment) or a severity override (with
 * a justification), never both in one request.
 */
export type DismissalReason = (typeof DISMISSAL_REASONS)[number];
export type TriageState = 'detected' | 'confirmed' | 'dismissed' | 'resolved';

export type TriageChange =
  | { state: Exclude<TriageState, 'dismissed'>; comment?: string }
  | { state: 'dismissed'; reason: DismissalReason; comment: string; expires_at?: string }
  | { severity: Severity; justification: string };

export interface TriageResult {
  changed: number;
  unchanged: number;
}

/** What a person picks: a state to move to, or "change severity". */
export type TriageAction = TriageState | 'severity';

export const ACTION_LABELS: Record<TriageAction, string> = {
  confirmed: 'Confirm',
  dismissed: 'Dismiss',
  resolved: 'Resolve',
  detected: 'Revert to detected',
  severity: 'Change severity',
};

const DONE: Record<TriageAction, string> = {
  confirmed: 'Confirmed',
  dismissed: 'Dismissed',
  resolved: 'Resolved',
  detected: 'Reverted to detected',
  severity: 'Changed the severity of',
};

/**
 * The sentence announced once the server answered, e.g. "Dismissed 3 vulnerabilities as false positive; 1 was
 * already so." `subject` names a lone vulnerability ("this vulnerability").
 */
export function describeResult(action: TriageAction, change: TriageChange, result: TriageResult, subject?: string): string {
  const total = result.changed + result.unchanged;
  const target = 'severity' in change ? ` to ${severityLabel(change.severity)}` : change.state === 'dismissed' ? ` as ${humanize(change.reason).toLowerCase()}` : '';
  const what = (n: number) => (total === 1 && subject ? subject : pluralize(n, 'vulnerability', 'vulnerabilities'));
  if (result.changed === 0) return `Nothing changed: ${total === 1 && subject ? `${subject} was` : `${pluralize(total, 'vulnerability was', 'vulnerabilities were')}`} already so.`;
  const already = result.unchanged > 0 ? `; ${result.unchanged.toLocaleString('en')} ${result.unchanged === 1 ? 'was' : 'were'} already so` : '';
  return `${DONE[action]} ${what(result.changed)}${target}${already}.`;
}
