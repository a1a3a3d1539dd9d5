import type { Project } from '../../api/types';

export function BranchesPage({ project }: { project: Project }) {
  return <p>Branches of {project.full_path}</p>;
}
