import type { Query } from '../../api/client';
import { SORTS, type Sort } from '../../api/types';
import { humanize, severityLabel, slaLabel, stateLabel } from '../../components/report/labels';

/**
 * The report's view lives in the page URL, with the API's own parameter names and values, so a URL is shareable,
 * other pages (the dashboard) can link into a filtered report, and the export gets exactly what the list shows.
 * Only one thing is the page's own: without a `state` parameter the report shows open vulnerabilities (detected
 * and confirmed); `state=` (empty) means every state.
 */
export const FILTER_KEYS = [
  'state',
  'severity',
  'report_type',
  'scanner',
  'ref',
  'identifier',
  'location',
  'sla',
  'risk_min',
  'kev',
  'epss_min',
  'min_age_days',
  'max_age_days',
  'present_on_default',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

/** Filters whose value is a comma-separated list of enum values. */
const LIST_KEYS: ReadonlySet<FilterKey> = new Set(['state', 'severity', 'report_type', 'sla']);

export const DEFAULT_STATES = ['detected', 'confirmed'] as const;
export const DEFAULT_SORT: Sort = 'severity';
export const PAGE_SIZE = 50;

export interface ReportView {
  /** What the API is asked for (the default state filled in). */
  filters: Filters;
  sort: Sort;
  cursor: string | null;
  /** Filters the person chose (the URL's, without the default state): what "Clear filters" removes. */
  chosen: FilterKey[];
}

export function readView(params: URLSearchParams): ReportView {
  const filters: Filters = {};
  const chosen: FilterKey[] = [];
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value === null) continue;
    chosen.push(key);
    if (value !== '') filters[key] = value;
  }
  if (!params.has('state')) filters.state = DEFAULT_STATES.join(',');
  const sort = params.get('sort');
  return { filters, sort: SORTS.includes(sort as Sort) ? (sort as Sort) : DEFAULT_SORT, cursor: params.get('cursor') || null, chosen };
}

/** The list's, the export's and the triage-by-filter's query: the filters and the order. */
export function apiQuery(view: ReportView): Query {
  return { ...view.filters, sort: view.sort };
}

export const listOf = (value: string | undefined): string[] => (value ? value.split(',').filter(Boolean) : []);

/** The URL after one filter changes (null removes it); any change starts again from the first page. */
export function withFilter(params: URLSearchParams, key: FilterKey | 'sort', value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete('cursor');
  if (value === null) next.delete(key);
  else next.set(key, value);
  return next;
}

/** The state filter's URL value for a set of states: the default needs no parameter, none at all means any. */
export function stateParam(states: readonly string[]): string | null {
  const isDefault = states.length === DEFAULT_STATES.length && DEFAULT_STATES.every((s) => states.includes(s));
  return isDefault ? null : states.join(',');
}

/** "?severity=critical,high": lists keep their commas readable (URLSearchParams would write %2C; both parse the same). */
export function searchOf(params: URLSearchParams): string {
  const text = params.toString().replace(/%2C/gi, ',');
  return text ? `?${text}` : '';
}

/** Back to the default view, keeping the order. */
export function cleared(params: URLSearchParams): URLSearchParams {
  const sort = params.get('sort');
  return new URLSearchParams(sort ? { sort } : {});
}

export const FILTER_LABELS: Record<FilterKey, string> = {
  state: 'Status',
  severity: 'Severity',
  report_type: 'Report type',
  scanner: 'Scanner',
  ref: 'Branch',
  identifier: 'Identifier',
  location: 'Location',
  sla: 'SLA',
  risk_min: 'Risk at least',
  kev: 'Known exploited (KEV)',
  epss_min: 'EPSS at least',
  min_age_days: 'Detected at least … days ago',
  max_age_days: 'Detected at most … days ago',
  present_on_default: 'On the default branch',
};

const VALUE_LABEL: Partial<Record<FilterKey, (v: string) => string>> = { state: stateLabel, severity: severityLabel, report_type: humanize, sla: slaLabel };

/** "Critical, High", "any", "yes": a filter's value in words, for the chips that list active filters. */
export function describeFilter(key: FilterKey, value: string): string {
  if (key === 'state' && value === '') return 'any';
  if (LIST_KEYS.has(key)) return listOf(value).map(VALUE_LABEL[key] ?? humanize).join(', ');
  if (value === 'true' || value === 'false') return value === 'true' ? 'yes' : 'no';
  return value;
}

export const SORT_LABELS: Record<Sort, string> = {
  severity: 'Severity',
  risk: 'Risk score',
  due_date: 'SLA due date (soonest first)',
  first_detected: 'Newest first detected',
  last_detected: 'Most recently detected',
};
