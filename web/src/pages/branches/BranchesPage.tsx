import { Link, useSearchParams } from 'react-router';
import type { Project } from '../../api/types';
import { useApi } from '../../api/use-api';
import { apiPrefix, scopeUrl, type NamespaceScope } from '../../app/scope';
import { BranchList } from './BranchList';
import { BranchPicker } from './BranchPicker';
import { CiGate } from './CiGate';
import { ComparisonView } from './ComparisonView';
import type { Comparison, RefList } from './types';
import './branches.css';

/**
 * A project's branches: pick one (?branch=, so the view is a shareable link) and see what it introduces and fixes
 * compared with the default branch, per scanner, with the CI command that gates merges on exactly that.
 */
export function BranchesPage({ project }: { project: Project }) {
  const scope: NamespaceScope = { kind: 'project', path: project.full_path };
  const [params, setParams] = useSearchParams();
  const branch = params.get('branch')?.trim() || null;
  const refs = useApi<RefList>(`${apiPrefix(scope)}/refs`);
  const compared = branch !== null && branch !== project.default_branch;
  const comparison = useApi<Comparison>(compared ? `${apiPrefix(scope)}/compare` : null, { head: branch });
  // While another branch loads, the previous answer stays in the resource: only this branch's counts.
  const current = comparison.data?.head === branch ? comparison.data : undefined;
  const choose = (ref: string | null) => setParams(ref ? { branch: ref } : {});
  // Without the branch list (an older server answers 404) the picker falls back to typing the name.
  const known = refs.error ? null : refs.data?.items;
  const others = known?.filter((r) => r.ref !== project.default_branch);
  return (
    <div className="branches">
      <BranchPicker refs={known} value={branch} defaultBranch={project.default_branch} onChoose={choose} />
      {branch === null && known && <BranchList scope={scope} refs={known} caption="Branches with scans" />}
      {branch === project.default_branch && (
        <section className="card branch-note" aria-labelledby="default-branch-note">
          <h2 id="default-branch-note">Nothing to compare</h2>
          <p>
            <code>{branch}</code> is the default branch: every other branch is compared with it, so it introduces and fixes nothing by definition. Its
            open vulnerabilities are in the <Link to={scopeUrl(scope, 'vulnerabilities', `ref=${encodeURIComponent(branch)}`)}>report</Link>.
          </p>
          {others && others.length > 0 ? (
            <BranchList scope={scope} refs={others} caption="Other branches" />
          ) : others ? (
            <p className="muted">No other branch has been scanned yet: upload a report with <code>--ref &lt;branch&gt;</code> (below).</p>
          ) : (
            <p className="muted">Type another branch&apos;s name above to compare it.</p>
          )}
        </section>
      )}
      {compared && <ComparisonView project={project} branch={branch} resource={comparison} scanned={known?.find((r) => r.ref === branch)} refsKnown={Boolean(known)} />}
      <CiGate project={project} branch={compared ? branch : null} comparison={current} />
    </div>
  );
}
