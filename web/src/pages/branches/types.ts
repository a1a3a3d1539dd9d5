import type { VulnerabilitySummary } from '../../api/types';
import type { RefSummary } from '../report/report-api';

export type { RefSummary };

export interface RefList {
  items: RefSummary[];
}

/** GET /api/v1/projects/{p}/compare?head=: what head introduces and fixes compared with base (the default branch). */
export interface Comparison {
  head: string;
  base: string;
  /** Present on head, not on base (per scanned scope). */
  new: VulnerabilitySummary[];
  /** Present on base, no longer on head. */
  fixed: VulnerabilitySummary[];
  unchanged: number;
}
