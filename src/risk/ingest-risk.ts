import type { Kysely } from 'kysely';
import type { DialectName } from '../platform/db/connect.js';
import type { Database } from '../platform/db/schema.js';
import type { Finding } from '../vulns/model.js';
import { rescoreIds } from './rescore.js';
import { projectRiskSettings } from './settings.js';
import { chooseVector, cvssColumnsOf, exploitReferenceOf, type CvssColumns } from './vulnerability-cvss.js';

/** What ingestion stores on a vulnerability for risk, computed from a finding. */
export type FindingRiskColumns = CvssColumns & { exploit_reference: string | null };

/** The risk side of one ingest: per-finding columns while writing, then the set-based rescoring at the end. */
export interface IngestRisk {
  columnsOf(finding: Finding, ownEnvironmental: string | null): FindingRiskColumns;
  rescore(ids: readonly number[]): Promise<void>;
}

export async function ingestRisk(trx: Kysely<Database>, dialect: DialectName, projectId: number): Promise<IngestRisk> {
  const settings = await projectRiskSettings(trx, projectId);
  return {
    columnsOf: (finding, own) => ({ ...cvssColumnsOf(chooseVector(finding.cvssVectors), settings.environmental, own), exploit_reference: exploitReferenceOf(finding.links) }),
    rescore: (ids) => rescoreIds(trx, dialect, ids),
  };
}
