import type { Kysely } from 'kysely';
import { chunks } from '../platform/db/batch.js';
import type { DialectName } from '../platform/db/connect.js';
import type { Database } from '../platform/db/schema.js';
import type { Finding } from '../vulns/model.js';
import { rescoreIds } from './rescore.js';
import { projectRiskSettings } from './settings.js';
import { chooseVector, cvssColumnsOf, exploitReferenceOf, type CvssColumns, type ProjectEnvironmental } from './vulnerability-cvss.js';

/** What ingestion stores for risk, computed from a finding. */
type FindingRiskColumns = CvssColumns & { exploit_reference: string | null };

/** The risk side of one ingest: rows for new vulnerabilities, refreshed inputs for rescanned ones, then rescoring. */
export interface IngestRisk {
  add(vulnerabilities: readonly { id: number; finding: Finding }[]): Promise<void>;
  /** The default branch was rescanned: the report's vectors and links may have changed. Returns the ids that did. */
  refresh(vulnerabilities: readonly { id: number; finding: Finding }[]): Promise<number[]>;
  rescore(ids: readonly number[]): Promise<void>;
}

function columnsOf(finding: Finding, environmental: ProjectEnvironmental, own: string | null): FindingRiskColumns {
  return { ...cvssColumnsOf(chooseVector(finding.cvssVectors), environmental, own), exploit_reference: exploitReferenceOf(finding.links) };
}

const COLUMNS = ['cvss_version', 'cvss_vector', 'cvss_score', 'ssvc_automatable', 'ssvc_technical_impact', 'exploit_reference'] as const;

export async function ingestRisk(trx: Kysely<Database>, dialect: DialectName, projectId: number): Promise<IngestRisk> {
  const { environmental } = await projectRiskSettings(trx, projectId);
  return {
    add: async (vulnerabilities) => {
      for (const part of chunks(vulnerabilities, 200)) {
        const rows = part.map(({ id, finding }) => ({ vulnerability_id: id, project_id: projectId, severity: finding.severity, severity_overridden: 0, ...columnsOf(finding, environmental, null) }));
        await trx.insertInto('vulnerability_risk').values(rows).execute();
      }
    },
    refresh: async (vulnerabilities) => {
      const changed: number[] = [];
      for (const part of chunks(vulnerabilities)) {
        const findingOf = new Map(part.map((v) => [v.id, v.finding]));
        const current = await trx.selectFrom('vulnerability_risk').select(['vulnerability_id', 'cvss_environmental', ...COLUMNS]).where('vulnerability_id', 'in', [...findingOf.keys()]).execute();
        for (const row of current) {
          const next = columnsOf(findingOf.get(row.vulnerability_id)!, environmental, row.cvss_environmental);
          if (COLUMNS.every((c) => row[c] === next[c])) continue;
          await trx.updateTable('vulnerability_risk').set(next).where('vulnerability_id', '=', row.vulnerability_id).execute();
          changed.push(row.vulnerability_id);
        }
      }
      return changed;
    },
    rescore: (ids) => rescoreIds(trx, dialect, ids),
  };
}
