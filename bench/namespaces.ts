import { consoleActor } from '../src/platform/audit/actor.js';
import type { Services } from '../src/platform/context.js';
import { createGroup } from '../src/platform/namespaces/groups.js';
import type { Group } from '../src/platform/namespaces/model.js';
import { createProject } from '../src/platform/namespaces/projects.js';

/**
 * The benchmark's projects under the group `bench`, created through the real services: flat (bench/p0, bench/p1, …)
 * or nested as a large organisation's are, ten groups of ten subgroups (bench/g3/s7/p123), the projects spread
 * evenly over the hundred subgroups.
 */
export async function createBenchProjects(svc: Services, count: number, nested: boolean): Promise<{ groupPath: string; projectIds: number[] }> {
  const actor = consoleActor('bench');
  const root = await createGroup(svc, actor, null, { path: 'bench' });
  const parents: Group[] = [root];
  if (nested) {
    parents.length = 0;
    for (let g = 0; g < 10; g++) {
      const group = await createGroup(svc, actor, root, { path: `g${g}` });
      for (let s = 0; s < 10; s++) parents.push(await createGroup(svc, actor, group, { path: `s${s}` }));
    }
  }
  const projectIds: number[] = [];
  for (let i = 0; i < count; i++) projectIds.push((await createProject(svc, actor, parents[i % parents.length]!, { path: `p${i}` })).id);
  return { groupPath: root.fullPath, projectIds };
}
