import type { Services } from '../platform/context.js';
import { AppError, notFound } from '../platform/errors.js';
import { askModel, assistPrompt, type AssistConfig, type AssistKind, type ChatMessage } from './assist.js';
import type { Location, Severity } from '../vulns/model.js';
import { CWE_ATTRIBUTION, cweKnowledge, lookupCwe, type CweEntry } from './cwe.js';
import { trainingFor, type Training } from './training.js';
import { planUpgrades, type PackageUpgrade, type PackageVulnerability } from './upgrade-plan.js';
import { schemeFor, ecosystemOf } from './versions.js';

/** Reads what remediation needs from the vulnerability store; the guidance itself is pure (cwe, training, plan). */
const OPEN = ['detected', 'confirmed'];

async function packageVulnerabilities(svc: Services, projectId: number): Promise<PackageVulnerability[]> {
  const rows = await svc.db.kysely
    .selectFrom('vulnerabilities')
    .select(['id', 'title', 'severity', 'primary_identifier', 'location_json'])
    .where('project_id', '=', projectId)
    .where('state', 'in', OPEN)
    .where('package_name', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => {
    const location = JSON.parse(r.location_json) as Location;
    if (!location.package) return [];
    return [{ id: Number(r.id), title: r.title, severity: r.severity as Severity, identifier: displayIdentifier(r.primary_identifier), package: location.package, image: location.image ?? null, file: location.file }];
  });
}

/** Stored primary identifiers are "type:value" keys (cve:CVE-2021-44228); people read the value. */
function displayIdentifier(key: string | null): string | null {
  if (!key) return null;
  const colon = key.indexOf(':');
  return colon === -1 ? key : key.slice(colon + 1);
}

export async function projectUpgradePlan(svc: Services, projectId: number): Promise<PackageUpgrade[]> {
  return planUpgrades(await packageVulnerabilities(svc, projectId));
}

export interface ImageAdvice {
  image: string;
  upgrades: PackageUpgrade[];
  /** Newer tags of the same image repository that this project's reports have scanned, newest first. */
  newerTags: string[];
}

/** Splits "registry:5000/team/app:1.2@sha256:…" into repository and tag (null when untagged). */
function imageParts(image: string): { repository: string; tag: string | null } {
  const bare = image.split('@')[0]!;
  const slash = bare.lastIndexOf('/');
  const colon = bare.lastIndexOf(':');
  return colon > slash ? { repository: bare.slice(0, colon), tag: bare.slice(colon + 1) } : { repository: bare, tag: null };
}

/** Per image: the packages to upgrade, and whether a newer tag of its base is known from the reports. */
export async function containerAdvice(svc: Services, projectId: number, plans: readonly PackageUpgrade[]): Promise<ImageAdvice[]> {
  const images = [...new Set(plans.flatMap((p) => (p.image ? [p.image] : [])))].sort();
  if (images.length === 0) return [];
  const seen = await svc.db.kysely
    .selectFrom('vulnerabilities')
    .select('location_json')
    .where('project_id', '=', projectId)
    .where('report_type', '=', 'container_scanning')
    .execute();
  const tags = new Map<string, Set<string>>();
  for (const row of seen) {
    const image = (JSON.parse(row.location_json) as Location).image;
    if (!image) continue;
    const { repository, tag } = imageParts(image);
    if (tag) tags.set(repository, (tags.get(repository) ?? new Set()).add(tag));
  }
  const order = schemeFor('other');
  return images.map((image) => {
    const { repository, tag } = imageParts(image);
    const newer = tag === null || !order.valid(tag) ? [] : [...(tags.get(repository) ?? [])].filter((t) => order.valid(t) && order.compare(t, tag) > 0).sort((a, b) => order.compare(b, a));
    return { image, upgrades: plans.filter((p) => p.image === image && p.target !== null), newerTags: newer.map((t) => `${repository}:${t}`) };
  });
}

export interface WeaknessGuidance {
  id: string;
  name: string;
  description: string;
  consequences: CweEntry['consequences'];
  mitigations: CweEntry['mitigations'];
  related: { id: string; name: string }[];
  training: Training;
}

export interface Remediation {
  vulnerabilityId: number;
  /** What the scanner advised, as written in the report. */
  scannerSolution: string | null;
  weaknesses: WeaknessGuidance[];
  /** For a package finding: the upgrade of its package, planned over every open vulnerability of that package. */
  upgrade: PackageUpgrade | null;
  cweVersion: string;
  attribution: string;
}

/** The assist's settings, or null when it is off (no URL or no model configured). */
export function assistConfig(svc: Services): AssistConfig | null {
  const { llmUrl, llmModel, llmApiKey, llmTimeoutSeconds } = svc.config;
  return llmUrl && llmModel ? { url: llmUrl, model: llmModel, apiKey: llmApiKey, timeoutSeconds: llmTimeoutSeconds } : null;
}

export interface AssistAnswer {
  kind: AssistKind;
  model: string;
  prompt: ChatMessage[];
  answer: string;
}

/** Asks the configured model to explain or fix one vulnerability; the prompt goes back with the answer. */
export async function assistVulnerability(svc: Services, id: number, kind: AssistKind): Promise<AssistAnswer> {
  const config = assistConfig(svc);
  if (!config) throw new AppError('not-found', 'the AI assist is not configured (VIGIL_LLM_URL and VIGIL_LLM_MODEL)');
  const db = svc.db.kysely;
  const row = await db.selectFrom('vulnerabilities').select(['title', 'severity', 'report_type', 'description', 'location_json', 'details_json']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`vulnerability ${id}`);
  const identifiers = await db.selectFrom('vulnerability_identifiers').select(['type', 'value']).where('vulnerability_id', '=', id).orderBy('position').execute();
  const location = JSON.parse(row.location_json) as Location;
  const details = JSON.parse(row.details_json) as { snippet?: string | null };
  const where = location.package ? `${location.package.name} ${location.package.version ?? ''} (${location.file ?? location.image ?? ''})` : `${location.file ?? location.hostname ?? ''}${location.startLine ? `:${location.startLine}` : ''}`;
  const subject = {
    title: row.title,
    severity: row.severity,
    reportType: row.report_type,
    description: row.description,
    identifiers: identifiers.map((i) => (i.type === 'cwe' && /^\d+$/.test(i.value) ? `CWE-${i.value}` : i.value)),
    location: where.trim(),
    snippet: details.snippet ?? null,
    secrets: [],
  };
  const prompt = assistPrompt(kind, subject, await vulnerabilityRemediation(svc, id));
  try {
    return { kind, model: config.model, prompt, answer: await askModel(config, prompt) };
  } catch (error) {
    throw new AppError('internal', `the AI assist failed: ${(error as Error).message}`);
  }
}

export async function vulnerabilityRemediation(svc: Services, id: number): Promise<Remediation> {
  const db = svc.db.kysely;
  const row = await db.selectFrom('vulnerabilities').select(['id', 'project_id', 'solution', 'location_json', 'state']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`vulnerability ${id}`);
  const cwes = await db
    .selectFrom('vulnerability_identifiers')
    .select(['value'])
    .where('vulnerability_id', '=', id)
    .where('type', '=', 'cwe')
    .orderBy('position')
    .execute();
  const knowledge = cweKnowledge();
  const weaknesses = [...new Set(cwes.map((c) => c.value.replace(/^cwe-/i, '')))].flatMap((number) => {
    const entry = lookupCwe(knowledge, number);
    if (!entry) return [];
    const related = [...entry.parents, ...entry.peers].flatMap((r) => {
      const other = knowledge.weaknesses[r];
      return other ? [{ id: `CWE-${r}`, name: other.name }] : [];
    });
    return [{ id: `CWE-${number}`, name: entry.name, description: entry.description, consequences: entry.consequences, mitigations: entry.mitigations, related, training: trainingFor(knowledge, number) }];
  });
  const location = JSON.parse(row.location_json) as Location;
  let upgrade: PackageUpgrade | null = null;
  if (location.package) {
    const pkg = location.package;
    const mine = (await packageVulnerabilities(svc, Number(row.project_id))).filter(
      (v) => v.package.name === pkg.name && v.package.version === pkg.version && v.image === (location.image ?? null) && ecosystemOf(v.package) === ecosystemOf(pkg),
    );
    // A closed vulnerability is not in the open set: plan for it alone, so the page still says what fixed it.
    const group = mine.some((v) => v.id === id) ? mine : [{ id, title: '', severity: 'unknown' as Severity, identifier: null, package: pkg, image: location.image ?? null, file: location.file }];
    upgrade = planUpgrades(group)[0] ?? null;
  }
  return { vulnerabilityId: id, scannerSolution: row.solution, weaknesses, upgrade, cweVersion: knowledge.version, attribution: CWE_ATTRIBUTION };
}
