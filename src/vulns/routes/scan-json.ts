import { Type } from 'typebox';
import type { Scan } from '../scans.js';

/** A scan as the API shows it: the upload's answer, the scan list, and a finished ingest job's result. */
export const SummaryJson = Type.Object({ new: Type.Integer(), existing: Type.Integer(), fixed: Type.Integer(), reopened: Type.Integer(), total: Type.Integer() });
export const ScanJson = Type.Object({
  id: Type.Integer(),
  project_id: Type.Integer(),
  ref: Type.String(),
  commit: Type.Union([Type.String(), Type.Null()]),
  pipeline_id: Type.Union([Type.String(), Type.Null()]),
  format: Type.String(),
  format_version: Type.Union([Type.String(), Type.Null()]),
  scanner: Type.Object({ id: Type.String(), name: Type.String(), version: Type.Union([Type.String(), Type.Null()]) }),
  report_type: Type.String(),
  scope_key: Type.String(),
  finding_count: Type.Integer(),
  summary: SummaryJson,
  created_at: Type.String(),
});

export function scanJson(s: Scan) {
  return {
    id: s.id,
    project_id: s.projectId,
    ref: s.ref,
    commit: s.commitSha,
    pipeline_id: s.pipelineId,
    format: s.format,
    format_version: s.formatVersion,
    scanner: s.scanner,
    report_type: s.reportType,
    scope_key: s.scopeKey,
    finding_count: s.findingCount,
    summary: s.summary,
    created_at: s.createdAt,
  };
}
