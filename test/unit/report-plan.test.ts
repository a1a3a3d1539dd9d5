import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choosePlan, mergeOrdered, walkBudget, type Plan } from '../../src/vulns/report-plan.js';

/** The plan for a scope of `inScope` projects (null: all of them) in an instance of `all`, counting the questions asked. */
async function plan(needle: boolean, inScope: number | null, all: number): Promise<{ plan: Plan; asked: string[] }> {
  const asked: string[] = [];
  const chosen = await choosePlan({
    needle,
    inScope: async () => (asked.push('inScope'), inScope),
    allProjects: async () => (asked.push('allProjects'), all),
  });
  return { plan: chosen, asked };
}

test('a needle is searched for without counting projects', async () => {
  assert.deepEqual(await plan(true, 5, 1000), { plan: 'search', asked: [] });
});

test('one project is read by its own index; the whole instance walks the global order', async () => {
  assert.deepEqual(await plan(false, 1, 1000), { plan: 'per-project', asked: ['inScope'] });
  assert.deepEqual(await plan(false, null, 1000), { plan: 'walk', asked: ['inScope'] });
  assert.deepEqual(await plan(false, 257, 100_000), { plan: 'walk', asked: ['inScope'] });
});

test('few projects one by one only when they are a small share of the instance', async () => {
  assert.equal((await plan(false, 20, 1000)).plan, 'per-project');
  assert.equal((await plan(false, 20, 20)).plan, 'walk', 'every project: the global walk keeps every entry');
  assert.equal((await plan(false, 32, 257)).plan, 'per-project');
  assert.equal((await plan(false, 32, 256)).plan, 'walk', 'an eighth of the instance');
  assert.equal((await plan(false, 200, 100_000)).plan, 'per-project', 'many, but under a 64th');
  assert.equal((await plan(false, 200, 12_800)).plan, 'walk', 'a 64th');
});

test('the walk budget: 64 entries a row, shared among per-project walks, never under a page', () => {
  assert.equal(walkBudget(51), 3264);
  assert.equal(walkBudget(51, 20), 164);
  assert.equal(walkBudget(51, 1000), 51);
});

test('merging per-project lists keeps the order, ties broken by id, and the limit', () => {
  const lists = [
    [{ sortValue: 5, id: 3 }, { sortValue: 2, id: 9 }],
    [{ sortValue: 5, id: 7 }, { sortValue: 4, id: 1 }],
  ];
  assert.deepEqual(mergeOrdered(lists, false, 3).map((k) => k.id), [7, 3, 1]);
  assert.deepEqual(mergeOrdered(lists, true, 2).map((k) => k.id), [9, 1]);
});
