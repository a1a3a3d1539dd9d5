/** API shapes the report reads besides the list itself (the list's types are in api/types.ts). */
export interface Facet {
  id: string;
  count: number;
}

/** How many vulnerabilities of the scope have each value, whatever the filters: what the menus offer. */
export interface Facets {
  scanners: Facet[];
  report_types: Facet[];
  severities: Facet[];
  states: Facet[];
}

/** A branch (ref) of a project with scans on it; the default branch comes first. */
export interface RefSummary {
  ref: string;
  default: boolean;
  scans: number;
  last_scan_at: string | null;
  last_scan_id: number | null;
  /** Open vulnerabilities present on the branch now. */
  open_present: number;
}
