import type { Scope } from '../../app/scope';
import { FirstUpload } from '../../components/FirstUpload';

interface Props {
  scope: Scope;
  /** Vulnerabilities in the scope whatever their state (from the facets); undefined when unknown. */
  total: number | undefined;
  filtered: boolean;
  defaultBranch: string | undefined;
  onClear: () => void;
  onAnyState: () => void;
}

/** Why the first page is empty, and the way on: upload a first report, clear the filters, or look at closed ones. */
export function EmptyReport({ scope, total, filtered, defaultBranch, onClear, onAnyState }: Props) {
  if (total === 0 && scope.kind === 'project') {
    return (
      <>
        <p className="lead">No vulnerabilities yet: this project has no scanner reports.</p>
        <FirstUpload projectPath={scope.path} branch={defaultBranch} />
      </>
    );
  }
  if (total === 0) {
    return (
      <div className="report-empty">
        <h2>No vulnerabilities yet</h2>
        <p>Once projects {scope.kind === 'group' ? 'in this group ' : ''}upload scanner reports, their vulnerabilities are listed here.</p>
      </div>
    );
  }
  if (filtered) {
    return (
      <div className="report-empty">
        <h2>No vulnerabilities match these filters</h2>
        <button type="button" onClick={onClear}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div className="report-empty">
      <h2>No open vulnerabilities</h2>
      {total !== undefined && <p>Everything found here has been dismissed or resolved.</p>}
      <button type="button" onClick={onAnyState}>
        Show every status
      </button>
    </div>
  );
}
