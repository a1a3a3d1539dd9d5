import type { Generated } from 'kysely';

/** Comments on vulnerabilities and links to external issues (migration 0004). */
export interface VulnerabilityCommentsTable {
  id: Generated<number>;
  project_id: number;
  vulnerability_id: number;
  author_id: number | null;
  author: string;
  /** Markdown source; null once the comment is deleted. */
  body: string | null;
  /** The body rendered by markdown.ts when it was written. */
  body_html: string | null;
  created_at: string;
  updated_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  /** Name of whoever deleted it (the author or a maintainer). */
  deleted_by: string | null;
}

export interface IssueLinksTable {
  id: Generated<number>;
  project_id: number;
  /** Normalised http(s) URL: one link per issue and project, shared by every vulnerability it covers. */
  url: string;
  key: string;
  title: string | null;
  created_by_id: number | null;
  created_by: string;
  created_at: string;
}

export interface VulnerabilityIssueLinksTable {
  vulnerability_id: number;
  issue_link_id: number;
  created_by_id: number | null;
  created_at: string;
}

export interface DiscussionTables {
  vulnerability_comments: VulnerabilityCommentsTable;
  issue_links: IssueLinksTable;
  vulnerability_issue_links: VulnerabilityIssueLinksTable;
}
