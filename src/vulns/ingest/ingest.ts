import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../platform/audit/actor.js';
import type { Services } from '../../platform/context.js';
import { chunks, reserveIds } from '../../platform/db/batch.js';
import type { Database } from '../../platform/db/schema.js';
import { toDbTime } from '../../platform/db/time.js';
import type { Project } from '../../platform/namespaces/model.js';
import { ingestRisk } from '../../risk/ingest-risk.js';
import { ingestSla } from '../../sla/ingest-sla.js';
import { recordResolutions } from '../../sla/resolutions.js';
import { emitNotifications, LISTED_PER_EVENT, type NotificationEvent, type NotificationKind, type NotifiedVulnerability } from '../../notify/outbox.js';
import { fingerprintsOf, identifierKey, positionOf, primaryIdentifier, type Fingerprint } from '../fingerprint.js';
import { assignFindings, type ExistingFingerprint } from '../match.js';
import type { Assessment, Finding } from '../model.js';
import { scopeKeyOf } from '../scope.js';
import { isOpen } from '../triage-states.js';
import type { ParsedReport } from './read-report.js';

export interface ScanSummary {
  new: number;
  existing: number;
  fixed: number;
  reopened: number;
  total: number;
}

export interface ScanRequest {
  project: Project;
  ref: string;
  commitSha: string | null;
  pipelineId: string | null;
  idempotencyKey: string | null;
  actor: Actor;
}

type Trx = Kysely<Database>;

interface Prepared {
  finding: Finding;
  fingerprints: Fingerprint[];
}

/**
 * Findings that carry exactly the same fingerprints are one finding reported twice (e.g. two columns of one
 * line). Then scanner ids are validated: a tracking value that several distinct findings of this report share
 * (a per-file hash, a line hash of repeated code) identifies none of them and is dropped.
 */
function prepare(findings: Finding[]): Prepared[] {
  const seen = new Set<string>();
  const out: Prepared[] = [];
  for (const finding of findings) {
    const fingerprints = fingerprintsOf(finding);
    const key = fingerprints.map((f) => `${f.algorithm}@${f.version}:${f.hash}`).sort().join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ finding, fingerprints });
  }
  const uses = new Map<string, number>();
  for (const p of out) for (const f of p.fingerprints) if (f.algorithm.startsWith('tracking:')) uses.set(f.hash, (uses.get(f.hash) ?? 0) + 1);
  return out.map((p) => ({ ...p, fingerprints: p.fingerprints.filter((f) => !f.algorithm.startsWith('tracking:') || uses.get(f.hash) === 1) }));
}

/** What the report's producer says about a finding: a VEX analysis, or an accepted suppression. */
function assessmentOf(finding: Finding): Assessment | null {
  if (finding.assessment) return finding.assessment;
  const s = finding.suppression;
  if (!s || s.status === 'rejected' || s.status === 'underReview') return null;
  return { state: 'dismissed', reason: 'acceptable_risk', comment: `suppressed by the scanner (${s.kind})${s.justification ? `: ${s.justification}` : ''}` };
}

function locationJson(finding: Finding): string {
  return JSON.stringify(finding.location);
}

/** The advisory lock class of "ingesting into project N" (the other key is the project id). */
const INGEST_LOCK = 0x56494749;

/** A secret is never stored: its hash already lives in the content fingerprint; people see a hint of it. */
export function redactSecret(secret: string): string {
  const visible = secret.length >= 12 ? secret.slice(0, 4) : '';
  return `${visible}${'*'.repeat(8)} (${secret.length} characters, redacted)`;
}

function detailsJson(finding: Finding): string {
  return JSON.stringify({
    confidence: finding.confidence,
    links: finding.links,
    cvss_vectors: finding.cvssVectors,
    snippet: finding.snippet && finding.reportType === 'secret_detection' ? redactSecret(finding.snippet) : finding.snippet,
    related_locations: finding.relatedLocations,
    baseline_state: finding.baselineState,
    suppression: finding.suppression,
    scanner: finding.scanner,
  });
}

async function existingFingerprints(trx: Trx, projectId: number, prepared: Prepared[]): Promise<{ fingerprints: ExistingFingerprint[]; lines: Map<number, number | null> }> {
  const hashes = [...new Set(prepared.flatMap((p) => p.fingerprints.map((f) => f.hash)))];
  const candidates = new Set<number>();
  for (const part of chunks(hashes)) {
    const rows = await trx.selectFrom('vulnerability_fingerprints').select('vulnerability_id').where('project_id', '=', projectId).where('hash', 'in', part).execute();
    for (const r of rows) candidates.add(r.vulnerability_id);
  }
  // All fingerprints of every candidate: matching needs their stable ids to veto wrong weak matches.
  const fingerprints: ExistingFingerprint[] = [];
  const lines = new Map<number, number | null>();
  for (const part of chunks([...candidates])) {
    const rows = await trx.selectFrom('vulnerability_fingerprints').select(['vulnerability_id', 'algorithm', 'version', 'hash']).where('vulnerability_id', 'in', part).execute();
    for (const r of rows) fingerprints.push({ vulnerabilityId: r.vulnerability_id, algorithm: r.algorithm, version: r.version, hash: r.hash });
    for (const r of await trx.selectFrom('vulnerabilities').select(['id', 'start_line']).where('id', 'in', part).execute()) lines.set(r.id, r.start_line);
  }
  return { fingerprints, lines };
}

/**
 * Ingests a parsed report as one scan, in one transaction: match findings to vulnerabilities, create the new
 * ones, reopen resolved ones, record occurrences on the ref, and mark as fixed what this scope no longer sees.
 */
export async function ingestReport(svc: Services, request: ScanRequest, report: ParsedReport): Promise<{ scanId: number; summary: ScanSummary; scopeKey: string }> {
  const { project, ref } = request;
  const now = toDbTime(svc.clock.now());
  const scopeKey = scopeKeyOf(report.reportTypes, report.scanners, report.findings, report.targets);
  const prepared = prepare(report.findings);
  const primaryScanner = report.scanners[0]!;
  const onDefault = ref === project.defaultBranch;
  const actor = request.actor;

  return svc.db.kysely.transaction().execute(async (trx) => {
    // Scans of one project are matched against what the project already has: two at once (two workers, two API
    // servers) would each miss the other's new vulnerabilities and add them twice. SQLite has one writer anyway.
    if (svc.db.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${INGEST_LOCK}, ${project.id}::int)`.execute(trx);
    const scan = await trx
      .insertInto('scans')
      .values({
        project_id: project.id,
        ref,
        commit_sha: request.commitSha,
        pipeline_id: request.pipelineId,
        idempotency_key: request.idempotencyKey,
        format: report.format,
        format_version: report.formatVersion,
        scanner_id: report.scanners.map((s) => s.id).join('+'),
        scanner_name: report.scanners.map((s) => s.name).join(', '),
        scanner_version: primaryScanner.version,
        report_type: [...report.reportTypes].sort().join('+'),
        scope_key: scopeKey,
        finding_count: report.findings.length,
        summary_json: '{}',
        created_by: actor.userId,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const scanId = scan.id;
    const risk = await ingestRisk(trx, svc.db.dialect, project.id);
    const sla = ingestSla(trx, svc.db.dialect, project.id, now);

    const existing = await existingFingerprints(trx, project.id, prepared);
    const assignment = assignFindings(
      prepared.map((p) => ({ fingerprints: p.fingerprints, position: positionOf(p.finding) })),
      existing.fingerprints,
      existing.lines,
    );

    const fresh = prepared.filter((_, i) => assignment[i] === null);
    const ids = await reserveIds(trx, svc.db.dialect, 'vulnerabilities', fresh.length);
    const vulnIdOf = new Map<Prepared, number>();
    fresh.forEach((p, i) => vulnIdOf.set(p, ids[i]!));
    prepared.forEach((p, i) => assignment[i] !== null && vulnIdOf.set(p, assignment[i]!));

    // New vulnerabilities, their identifiers and fingerprints, in batches.
    for (const part of chunks(fresh, 200)) {
      await trx
        .insertInto('vulnerabilities')
        .values(
          part.map((p) => {
            const f = p.finding;
            const assessed = assessmentOf(f);
            return {
              id: vulnIdOf.get(p)!,
              project_id: project.id,
              title: f.title,
              description: f.description,
              severity: f.severity,
              scanner_severity: f.severity,
              severity_overridden: 0,
              report_type: f.reportType,
              scanner_id: f.scanner.id,
              primary_identifier: identifierKey(primaryIdentifier(f.identifiers, f.reportType)),
              file: f.location.file,
              start_line: f.location.startLine,
              package_name: f.location.package?.name ?? null,
              location_json: locationJson(f),
              details_json: detailsJson(f),
              solution: f.solution,
              // What the producer says (VEX, suppression) is where a new vulnerability starts; an event records why.
              state: assessed?.state ?? 'detected',
              dismissal_reason: assessed?.state === 'dismissed' ? assessed.reason : null,
              present_on_default: onDefault ? 1 : 0,
              first_detected_at: now,
              last_detected_at: now,
              resolved_at: assessed?.state === 'resolved' ? now : null,
              created_at: now,
              updated_at: now,
            };
          }),
        )
        .execute();
    }
    await risk.add(fresh.map((p) => ({ id: vulnIdOf.get(p)!, finding: p.finding })));
    await sla.add(ids, onDefault);
    const identifierRows = fresh.flatMap((p) =>
      p.finding.identifiers.map((id, position) => ({ vulnerability_id: vulnIdOf.get(p)!, position, type: id.type, value: id.value, name: id.name, url: id.url })),
    );
    for (const part of chunks(identifierRows)) await trx.insertInto('vulnerability_identifiers').values(part).execute();
    const fingerprintRows = prepared.flatMap((p) =>
      p.fingerprints.map((f) => ({ project_id: project.id, vulnerability_id: vulnIdOf.get(p)!, algorithm: f.algorithm, version: f.version, hash: f.hash })),
    );
    // Matched vulnerabilities gain the fingerprints they did not have yet: identity upgrades without losing history.
    for (const part of chunks(fingerprintRows)) await trx.insertInto('vulnerability_fingerprints').values(part).onConflict((oc) => oc.doNothing()).execute();

    // Matched vulnerabilities: seen again now; resolved ones come back.
    const matchedIds = assignment.filter((id): id is number => id !== null);
    // A finding its own report calls resolved (VEX) is not a sign that the issue is back.
    const matched = prepared.filter((_, i) => assignment[i] !== null);
    const saidResolved = new Set(matched.filter((p) => assessmentOf(p.finding)?.state === 'resolved').map((p) => vulnIdOf.get(p)!));
    const reopened: number[] = [];
    for (const part of chunks(matchedIds)) {
      const rows = await trx.selectFrom('vulnerabilities').select(['id', 'state']).where('id', 'in', part).execute();
      reopened.push(...rows.filter((r) => r.state === 'resolved' && !saidResolved.has(r.id)).map((r) => r.id));
      await trx.updateTable('vulnerabilities').set({ last_detected_at: now, updated_at: now }).where('id', 'in', part).execute();
    }
    for (const part of chunks(reopened)) {
      await trx.updateTable('vulnerabilities').set({ state: 'detected', resolved_at: null }).where('id', 'in', part).execute();
    }
    const assessed = await applyAssessments(trx, matched, vulnIdOf, now);
    const aliased = await addAliases(trx, matched, vulnIdOf);
    const refreshed = onDefault ? [...(await refreshFromDefaultBranch(trx, matched, vulnIdOf)), ...(await risk.refresh(matched.map((p) => ({ id: vulnIdOf.get(p)!, finding: p.finding }))))] : [];
    // Only what is new or changed is rescored: an identical re-ingest costs nothing here.
    await risk.rescore([...new Set([...ids, ...aliased, ...refreshed])]);
    const firstOnDefault = onDefault ? await sla.seenOnDefault(matchedIds) : [];
    await sla.reopened(reopened);
    await sla.refresh([...new Set([...ids, ...refreshed, ...reopened, ...firstOnDefault])]);

    // Occurrences on this ref and scope.
    const occurrences = await trx
      .selectFrom('occurrences')
      .select(['id', 'vulnerability_id', 'state'])
      .where('project_id', '=', project.id)
      .where('ref', '=', ref)
      .where('scope_key', '=', scopeKey)
      .execute();
    const occurrenceOf = new Map(occurrences.map((o) => [o.vulnerability_id, o]));
    const seen = prepared.map((p) => vulnIdOf.get(p)!);
    const seenSet = new Set(seen);
    const back = seen.filter((id) => occurrenceOf.get(id)?.state === 'fixed');
    const toInsert = prepared.filter((p) => !occurrenceOf.has(vulnIdOf.get(p)!));
    for (const part of chunks(toInsert)) {
      await trx
        .insertInto('occurrences')
        .values(
          part.map((p) => ({
            project_id: project.id,
            vulnerability_id: vulnIdOf.get(p)!,
            ref,
            scope_key: scopeKey,
            state: 'present' as const,
            first_seen_scan_id: scanId,
            last_seen_scan_id: scanId,
            fixed_scan_id: null,
            location_json: locationJson(p.finding),
            updated_at: now,
          })),
        )
        .execute();
    }
    const stillThere = seen.filter((id) => occurrenceOf.has(id));
    for (const part of chunks(stillThere)) {
      await trx
        .updateTable('occurrences')
        .set({ state: 'present', last_seen_scan_id: scanId, fixed_scan_id: null, updated_at: now })
        .where('ref', '=', ref)
        .where('scope_key', '=', scopeKey)
        .where('vulnerability_id', 'in', part)
        .execute();
    }
    const fixed = occurrences.filter((o) => o.state === 'present' && !seenSet.has(o.vulnerability_id)).map((o) => o.vulnerability_id);
    for (const part of chunks(fixed)) {
      await trx
        .updateTable('occurrences')
        .set({ state: 'fixed', fixed_scan_id: scanId, updated_at: now })
        .where('ref', '=', ref)
        .where('scope_key', '=', scopeKey)
        .where('vulnerability_id', 'in', part)
        .execute();
    }

    const resolved = onDefault ? await refreshDefaultBranchPresence(trx, project, [...matchedIds, ...fixed], now) : [];
    await recordResolutions(trx, resolved, now);

    const event = (vulnerabilityId: number, kind: string, fromValue: string | null, toValue: string | null, reason: string | null) => ({
      project_id: project.id,
      vulnerability_id: vulnerabilityId,
      at: now,
      actor_id: actor.userId,
      actor: actor.name,
      kind,
      from_value: fromValue,
      to_value: toValue,
      reason,
      comment: null,
      scan_id: scanId,
    });
    const events = [
      ...fresh.map((p) => event(vulnIdOf.get(p)!, 'detected', null, ref, null)),
      ...fresh.flatMap((p) => {
        const a = assessmentOf(p.finding);
        return a ? [{ ...event(vulnIdOf.get(p)!, 'state', 'detected', a.state, a.reason), comment: `as the report says${a.comment ? `: ${a.comment}` : ''}` }] : [];
      }),
      ...assessed.map((a) => ({ ...event(a.id, 'state', 'detected', a.state, a.reason), comment: `as the report says${a.comment ? `: ${a.comment}` : ''}` })),
      ...reopened.map((id) => event(id, 'state', 'resolved', 'detected', `detected again on ${ref}`)),
      ...back.map((id) => event(id, 'occurrence', 'fixed', 'present', `detected again on ${ref}`)),
      ...fixed.map((id) => event(id, 'occurrence', 'present', 'fixed', `no longer detected on ${ref}`)),
      ...resolved.map((id) => event(id, 'state', 'detected', 'resolved', 'no longer detected on the default branch (auto-resolve)')),
    ];
    for (const part of chunks(events, 300)) await trx.insertInto('vulnerability_events').values(part).execute();

    const summary: ScanSummary = { new: fresh.length, existing: matchedIds.length, fixed: fixed.length, reopened: reopened.length, total: report.findings.length };
    await trx.updateTable('scans').set({ summary_json: JSON.stringify(summary) }).where('id', '=', scanId).execute();
    await notifyIngest(trx, now, project, { scanId, ref, summary, fresh: fresh.filter((p) => isOpen(assessmentOf(p.finding)?.state ?? 'detected')).map((p) => vulnIdOf.get(p)!), reopened, resolved });
    return { scanId, summary, scopeKey };
  });
}

/** The outbox events of one ingest: the scan, and what it made new, reopened or resolved (in the same transaction). */
async function notifyIngest(trx: Trx, now: string, project: Project, what: { scanId: number; ref: string; summary: ScanSummary; fresh: number[]; reopened: number[]; resolved: number[] }): Promise<void> {
  const listed = (ids: number[]): Promise<NotifiedVulnerability[]> =>
    trx.selectFrom('vulnerabilities').select(['id', 'title', 'severity', 'state', 'primary_identifier']).where('id', 'in', ids.slice(0, LISTED_PER_EVENT)).orderBy('id').execute();
  const scan = { id: what.scanId, ref: what.ref };
  const about = async (kind: NotificationKind, ids: number[]): Promise<NotificationEvent[]> =>
    ids.length === 0 ? [] : [{ kind, projectId: project.id, projectPath: project.fullPath, payload: { scan, count: ids.length, vulnerabilities: await listed(ids) } }];
  await emitNotifications(trx, now, [
    { kind: 'scan.completed', projectId: project.id, projectPath: project.fullPath, payload: { scan, summary: what.summary } },
    ...(await about('vulnerability.new', what.fresh)),
    ...(await about('vulnerability.reopened', what.reopened)),
    ...(await about('vulnerability.resolved', what.resolved)),
  ]);
}

/**
 * Identifiers a matched finding brings that its vulnerability does not have yet — another scanner's alias for the
 * same advisory (GHSA next to CVE), a new CWE — are added, so every name of the issue finds it.
 */
async function addAliases(trx: Trx, matched: Prepared[], vulnIdOf: Map<Prepared, number>): Promise<number[]> {
  const aliased = new Set<number>();
  for (const part of chunks(matched)) {
    const ids = [...new Set(part.map((p) => vulnIdOf.get(p)!))];
    const rows = await trx.selectFrom('vulnerability_identifiers').select(['vulnerability_id', 'position', 'type', 'value']).where('vulnerability_id', 'in', ids).execute();
    const known = new Map<number, { keys: Set<string>; next: number }>();
    for (const r of rows) {
      const entry = known.get(r.vulnerability_id) ?? { keys: new Set<string>(), next: 0 };
      entry.keys.add(`${r.type}\u0000${r.value.toLowerCase()}`);
      entry.next = Math.max(entry.next, r.position + 1);
      known.set(r.vulnerability_id, entry);
    }
    const additions = part.flatMap((p) => {
      const id = vulnIdOf.get(p)!;
      const entry = known.get(id) ?? { keys: new Set<string>(), next: 0 };
      known.set(id, entry);
      return p.finding.identifiers.flatMap((i) => {
        const key = `${i.type}\u0000${i.value.toLowerCase()}`;
        if (entry.keys.has(key)) return [];
        entry.keys.add(key);
        return [{ vulnerability_id: id, position: entry.next++, type: i.type, value: i.value, name: i.name, url: i.url }];
      });
    });
    for (const batch of chunks(additions)) await trx.insertInto('vulnerability_identifiers').values(batch).execute();
    for (const a of additions) aliased.add(a.vulnerability_id);
  }
  return [...aliased];
}

/**
 * A producer's assessment (VEX, suppression) moves a matched vulnerability only while nobody has triaged it: a
 * person's decision always stands. Returns the vulnerabilities moved.
 */
async function applyAssessments(trx: Trx, matched: Prepared[], vulnIdOf: Map<Prepared, number>, now: string): Promise<(Assessment & { id: number })[]> {
  const wanted = matched.flatMap((p) => {
    const a = assessmentOf(p.finding);
    return a ? [{ ...a, id: vulnIdOf.get(p)! }] : [];
  });
  const moved: (Assessment & { id: number })[] = [];
  for (const part of chunks(wanted)) {
    const untriaged = new Set((await trx.selectFrom('vulnerabilities').select('id').where('id', 'in', part.map((a) => a.id)).where('state', '=', 'detected').execute()).map((r) => r.id));
    for (const a of part.filter((x) => untriaged.has(x.id))) {
      await trx
        .updateTable('vulnerabilities')
        .set({ state: a.state, dismissal_reason: a.state === 'dismissed' ? a.reason : null, resolved_at: a.state === 'resolved' ? now : null, updated_at: now })
        .where('id', '=', a.id)
        .execute();
      moved.push(a);
    }
  }
  return moved;
}

/**
 * The default branch is the reference: its latest view of a matched vulnerability (title, severity, location, …)
 * becomes the vulnerability's. Only rows whose content changed are written, so an identical re-ingest writes
 * nothing here; the effective severity follows the scanner's unless a person overrode it.
 */
async function refreshFromDefaultBranch(trx: Trx, matched: Prepared[], vulnIdOf: Map<Prepared, number>): Promise<number[]> {
  const refreshed: number[] = [];
  for (const part of chunks(matched)) {
    const byId = new Map(part.map((p) => [vulnIdOf.get(p)!, p.finding]));
    const current = await trx
      .selectFrom('vulnerabilities')
      .select(['id', 'title', 'description', 'scanner_severity', 'severity_overridden', 'location_json', 'details_json', 'solution'])
      .where('id', 'in', [...byId.keys()])
      .execute();
    for (const row of current) {
      const f = byId.get(row.id)!;
      const next = { title: f.title, description: f.description, scanner_severity: f.severity, location_json: locationJson(f), details_json: detailsJson(f), solution: f.solution };
      const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => row[k] !== next[k]);
      if (!changed) continue;
      await trx
        .updateTable('vulnerabilities')
        .set({
          ...next,
          file: f.location.file,
          start_line: f.location.startLine,
          package_name: f.location.package?.name ?? null,
          ...(row.severity_overridden === 0 && { severity: f.severity }),
        })
        .where('id', '=', row.id)
        .execute();
      refreshed.push(row.id);
    }
  }
  return refreshed;
}

/**
 * Recomputes "present on the default branch" for the given vulnerabilities and, under the project's auto-resolve
 * policy, resolves the open ones that no scope of the default branch detects any more. Returns those resolved.
 */
async function refreshDefaultBranchPresence(trx: Trx, project: Project, ids: number[], now: string): Promise<number[]> {
  const resolved: number[] = [];
  for (const part of chunks([...new Set(ids)])) {
    const present = await trx
      .selectFrom('occurrences')
      .select('vulnerability_id')
      .distinct()
      .where('vulnerability_id', 'in', part)
      .where('ref', '=', project.defaultBranch)
      .where('state', '=', 'present')
      .execute();
    const presentIds = present.map((r) => r.vulnerability_id);
    const absentIds = part.filter((id) => !presentIds.includes(id));
    if (presentIds.length > 0) await trx.updateTable('vulnerabilities').set({ present_on_default: 1 }).where('id', 'in', presentIds).execute();
    if (absentIds.length > 0) {
      await trx.updateTable('vulnerabilities').set({ present_on_default: 0 }).where('id', 'in', absentIds).execute();
      if (project.autoResolve) {
        const open = await trx.selectFrom('vulnerabilities').select(['id', 'state']).where('id', 'in', absentIds).execute();
        const toResolve = open.filter((v) => isOpen(v.state)).map((v) => v.id);
        if (toResolve.length > 0) {
          await trx.updateTable('vulnerabilities').set({ state: 'resolved', resolved_at: now, updated_at: now }).where('id', 'in', toResolve).execute();
          resolved.push(...toResolve);
        }
      }
    }
  }
  return resolved;
}
