import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { consoleActor } from '../../src/platform/audit/actor.js';
import { DAY } from '../../src/platform/clock.js';
import type { Services } from '../../src/platform/context.js';
import { migrateToLatest, migrateUpTo } from '../../src/platform/db/migrate.js';
import { addMember } from '../../src/platform/namespaces/members.js';
import { createGroup } from '../../src/platform/namespaces/groups.js';
import { createProject } from '../../src/platform/namespaces/projects.js';
import type { Group } from '../../src/platform/namespaces/model.js';
import { DUE_NEVER } from '../../src/sla/report-columns.js';
import { reportFacets } from '../../src/vulns/facets.js';
import { SEVERITIES, severityRank, type Severity } from '../../src/vulns/model.js';
import { PLANS, type Plan } from '../../src/vulns/report-plan.js';
import { listVulnerabilities, SORTS, type Sort, type VulnerabilityFilter, type Where } from '../../src/vulns/report.js';
import { createEmptyDatabase, describeEachDatabase, dialects } from '../support/databases.js';
import { makeUser, startTestApp, type TestApp } from '../support/app.js';

/**
 * The report's read plans (src/vulns/report-plan.ts): per-project merge, global walk (with its hand-over to the
 * search plan when the filter keeps too few rows) and the database's own search must each return exactly the
 * rows and order that the definition gives — checked against an independent sort of every row in JavaScript, page
 * by page through the cursors, for every sort, several scopes and filters. And the facet counters the triggers keep
 * must equal a count of the rows after inserts, triage, overrides and deletes, and after the migration's backfill.
 *
 * Seed: 300 vulnerabilities over 5 projects (a/p1 most, c/p5 fewest) in groups a, a/b and c, with ties on every
 * sort key, deadlines missing on a sixth (they sort last), and KEV on 4 of them (ids 97, 194, 291 and 0 is absent).
 */
const COUNT = 300;
const STATES = ['detected', 'confirmed', 'detected', 'dismissed', 'resolved', 'detected'] as const;
const PROJECT_OF = [0, 0, 0, 0, 1, 1, 2, 3, 3, 4, 0, 1] as const;
const START = Date.parse('2026-01-01T00:00:00.000Z');
const at = (days: number) => new Date(START + days * DAY).toISOString();

interface Row {
  id: number;
  projectIndex: number;
  severity: Severity;
  state: string;
  risk: number;
  kev: boolean;
  due: string | null;
  first: string;
  last: string;
}

function rowOf(id: number): Row {
  const due = id % 6 === 0 ? null : at(30 + (id % 9));
  return {
    id,
    projectIndex: PROJECT_OF[id % PROJECT_OF.length]!,
    severity: SEVERITIES[(id * 7) % SEVERITIES.length]!,
    state: STATES[(id * 5) % STATES.length]!,
    risk: (id % 10) * 1.5,
    kev: id % 97 === 0,
    due,
    first: at(id % 7),
    last: at(10 + (id % 13)),
  };
}

const ROWS = Array.from({ length: COUNT }, (_, i) => rowOf(i + 1));

async function seedVulnerabilities(svc: Services, projectIds: readonly number[], withModules: boolean): Promise<void> {
  const db = svc.db.kysely;
  const now = at(0);
  for (const r of ROWS) {
    const projectId = projectIds[r.projectIndex]!;
    await sql`insert into vulnerabilities (id, project_id, title, severity, scanner_severity, severity_overridden, report_type, scanner_id, primary_identifier,
        location_json, details_json, state, present_on_default, first_detected_at, last_detected_at, created_at, updated_at)
      values (${r.id}, ${projectId}, ${`v${r.id}`}, ${r.severity}, ${r.severity}, 0, ${r.id % 3 === 0 ? 'dependency_scanning' : 'sast'}, ${r.id % 4 === 0 ? 'gemnasium' : 'semgrep'}, ${`rule:${r.id}`},
        '{"file":"a.js","startLine":1,"endLine":1}', '{}', ${r.state}, ${r.id % 2}, ${r.first}, ${r.last}, ${now}, ${now})`.execute(db);
    if (!withModules) continue;
    await sql`insert into vulnerability_risk (vulnerability_id, project_id, severity, severity_overridden, kev, risk_score) values (${r.id}, ${projectId}, ${r.severity}, 0, ${r.kev ? 1 : 0}, ${r.risk})`.execute(db);
    const soon = r.due === null ? null : new Date(Date.parse(r.due) - 7 * DAY).toISOString();
    await sql`insert into vulnerability_sla (vulnerability_id, project_id, detected_at, started_at, due_at, due_soon_at) values (${r.id}, ${projectId}, ${now}, ${now}, ${r.due}, ${soon})`.execute(db);
  }
}

/** The definition of each order, written independently of the SQL: key descending (due date ascending), then id. */
function expectedOrder(rows: readonly Row[], sort: Sort): number[] {
  const key = (r: Row): string | number =>
    sort === 'severity' ? severityRank(r.severity) : sort === 'risk' ? r.risk : sort === 'due_date' ? (r.due ?? DUE_NEVER) : sort === 'first_detected' ? r.first : r.last;
  const sign = sort === 'due_date' ? 1 : -1;
  return [...rows].sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id)).map((r) => r.id);
}

describeEachDatabase('report read plans: every plan returns the defined rows in the defined order', (use) => {
  let t: TestApp;
  let projectIds: number[] = [];
  const groups: Record<'a' | 'ab' | 'c', Group> = {} as never;
  let memberId = 0;

  before(async () => {
    t = await startTestApp(use());
    const actor = consoleActor('test');
    groups.a = await createGroup(t.svc, actor, null, { path: 'a' });
    groups.ab = await createGroup(t.svc, actor, groups.a, { path: 'b' });
    groups.c = await createGroup(t.svc, actor, null, { path: 'c' });
    const homes = [groups.a, groups.a, groups.ab, groups.c, groups.c];
    for (const [i, group] of homes.entries()) projectIds.push((await createProject(t.svc, actor, group, { path: `p${i + 1}` })).id);
    await seedVulnerabilities(t.svc, projectIds, true);
    const member = await makeUser(t.svc, 'member');
    memberId = member.id;
    await addMember(t.svc, actor, { kind: 'group', group: groups.ab }, member, 'reporter');
    await addMember(t.svc, actor, { kind: 'group', group: groups.c }, member, 'reporter');
  });

  after(async () => {
    await t.app.close();
  });

  const scopes = (): [string, Where, (r: Row) => boolean][] => [
    ['project a/p1', { kind: 'project', projectId: projectIds[0]! }, (r) => r.projectIndex === 0],
    ['group a (a/p1, a/p2, a/b/p3)', { kind: 'group', group: groups.a }, (r) => r.projectIndex <= 2],
    ['group c', { kind: 'group', group: groups.c }, (r) => r.projectIndex >= 3],
    ['instance, administrator', { kind: 'instance', userId: null }, () => true],
    ['instance, member of a/b and c', { kind: 'instance', userId: memberId }, (r) => r.projectIndex >= 2],
  ];

  const filters: [string, VulnerabilityFilter, (r: Row) => boolean][] = [
    ['no filter', {}, () => true],
    ['open states', { state: ['detected', 'confirmed'] }, (r) => r.state === 'detected' || r.state === 'confirmed'],
    ['high and low', { severity: ['high', 'low'] }, (r) => r.severity === 'high' || r.severity === 'low'],
    ['KEV (4 rows: the walk hands over to the search)', { kev: true }, (r) => r.kev],
    ['risk at least 9', { riskMin: 9 }, (r) => r.risk >= 9],
  ];

  async function walk(where: Where, filter: VulnerabilityFilter, sort: Sort, plan: Plan, limit: number): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await listVulnerabilities(t.svc, where, filter, sort, { limit, cursor }, plan);
      assert.ok(page.items.length <= limit);
      ids.push(...page.items.map((v) => v.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    return ids;
  }

  test('each plan pages through exactly the expected ids, for every sort, scope and filter', async () => {
    let compared = 0;
    for (const [scopeName, where, inScope] of scopes()) {
      for (const [filterName, filter, keeps] of filters) {
        const rows = ROWS.filter((r) => inScope(r) && keeps(r));
        for (const sort of SORTS) {
          const expected = expectedOrder(rows, sort);
          for (const plan of PLANS) {
            // Pages of 7, and of 1 where a walk's budget (64 entries a row) is smaller than the table.
            for (const limit of [7, 1]) {
              if (limit === 1 && filterName !== 'KEV (4 rows: the walk hands over to the search)') continue;
              assert.deepEqual(await walk(where, filter, sort, plan, limit), expected, `${scopeName}, ${filterName}, ${sort}, ${plan}, pages of ${limit}`);
              compared++;
            }
          }
        }
      }
    }
    assert.equal(compared, 5 * 5 * 5 * 3 + 5 * 5 * 3);
  });

  test('a walk that hands over to the search neither skips nor repeats the row at its boundary', async () => {
    // A page of 1 reads 2 keys, so the walk steps over 2 × 64 entries: the 128th of the order is its last.
    for (const sort of SORTS) {
      const order = expectedOrder(ROWS, sort);
      for (const position of [126, 127, 128]) {
        const id = order[position]!;
        const found = await walk({ kind: 'instance', userId: null }, { ids: [id] }, sort, 'walk', 1);
        assert.deepEqual(found, [id], `${sort}, the row at ${position}`);
      }
    }
  });

  test('the chosen plan returns what the other plans return, for each scope', async () => {
    for (const [scopeName, where, inScope] of scopes()) {
      const page = await listVulnerabilities(t.svc, where, { state: ['detected'] }, 'risk', { limit: 20, cursor: null });
      const expected = expectedOrder(ROWS.filter((r) => inScope(r) && r.state === 'detected'), 'risk').slice(0, 20);
      assert.deepEqual(page.items.map((v) => v.id), expected, scopeName);
      assert.ok(page.items.every((v) => v.state === 'detected' && v.projectPath.length > 0), scopeName);
    }
  });

  test('facet counts follow inserts, triage, severity overrides and deletes', async () => {
    const db = t.svc.db.kysely;
    const check = async (label: string) => {
      for (const [scopeName, where] of scopes()) {
        const direct = await countDirectly(t.svc, where);
        assert.deepEqual(await reportFacets(t.svc, where), direct, `${label}: ${scopeName}`);
      }
    };
    await check('seeded');
    await db.updateTable('vulnerabilities').set({ state: 'dismissed' }).where('id', '<=', 40).execute();
    await db.updateTable('vulnerabilities').set({ severity: 'critical', severity_overridden: 1 }).where('id', '>', 250).execute();
    // An update that touches none of the counted columns changes nothing.
    await db.updateTable('vulnerabilities').set({ last_detected_at: at(50) }).execute();
    await check('after triage and overrides');
    await db.deleteFrom('vulnerabilities').where('project_id', '=', projectIds[4]!).execute();
    await check('after deleting c/p5’s vulnerabilities');
    const facets = await reportFacets(t.svc, { kind: 'group', group: groups.c });
    assert.equal(facets.states.reduce((n, f) => n + f.count, 0), ROWS.filter((r) => r.projectIndex === 3).length);
  });
});

/** The facets as a plain count over the vulnerability rows of the scope: what the counters must equal. */
async function countDirectly(svc: Services, where: Where) {
  const db = svc.db.kysely;
  const base = db.selectFrom('vulnerabilities').innerJoin('projects', 'projects.id', 'vulnerabilities.project_id');
  const scoped =
    where.kind === 'project'
      ? base.where('vulnerabilities.project_id', '=', where.projectId)
      : where.kind === 'group'
        ? base.where(sql`projects.full_path`, 'like', `${where.group.fullPath}/%`)
        : where.userId === null
          ? base
          : base.where('projects.full_path', 'in', ['a/b/p3', 'c/p4', 'c/p5']);
  const rows = await scoped.select(['vulnerabilities.state', 'vulnerabilities.severity', 'vulnerabilities.report_type', 'vulnerabilities.scanner_id']).execute();
  const tally = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].map(([id, count]) => ({ id, count })).sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  };
  return {
    scanners: tally(rows.map((r) => r.scanner_id)),
    reportTypes: tally(rows.map((r) => r.report_type)),
    severities: tally(rows.map((r) => r.severity)),
    states: tally(rows.map((r) => r.state)),
  };
}

for (const dialect of dialects) {
  test(`[${dialect}] upgrading: existing vulnerabilities get their severity rank and facet counts`, async () => {
    const db = await createEmptyDatabase(dialect);
    try {
      await migrateUpTo(db, '0010_repository_url');
      const app = await startTestApp(db);
      after(() => app.app.close());
      const svc = app.svc;
      const group = await createGroup(svc, consoleActor('test'), null, { path: 'g' });
      const projects = [];
      for (let i = 0; i < 5; i++) projects.push((await createProject(svc, consoleActor('test'), group, { path: `p${i}` })).id);
      await seedVulnerabilities(svc, projects, false);
      await migrateToLatest(db);
      const ranks = await db.kysely.selectFrom('vulnerabilities').select(['id', 'severity_rank']).orderBy('id').execute();
      assert.deepEqual(ranks.map((r) => [Number(r.id), r.severity_rank]), ROWS.map((r) => [r.id, severityRank(r.severity)]));
      assert.deepEqual(await reportFacets(svc, { kind: 'group', group }), await countDirectly(svc, { kind: 'group', group }));
      const total = await db.kysely.selectFrom('vulnerability_counts').select(sql<number | string>`sum(n)`.as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(total.n), COUNT);
    } finally {
      await db.close();
    }
  });
}
