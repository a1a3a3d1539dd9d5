import { Link } from 'react-router';
import { scopeUrl, type NamespaceScope } from '../../app/scope';
import { formatDateTime, relativeTime } from '../../components/report/format';
import type { RefSummary } from './types';

/** Scanned branches, most recently scanned first: each one a link to its comparison and to its open vulnerabilities. */
export function BranchList({ scope, refs, caption }: { scope: NamespaceScope; refs: RefSummary[]; caption: string }) {
  if (refs.length === 0) return <p className="muted">No branch has been scanned yet: upload a report (below) and it appears here.</p>;
  const sorted = [...refs].sort((a, b) => Number(b.default) - Number(a.default) || (b.last_scan_at ?? '').localeCompare(a.last_scan_at ?? ''));
  return (
    <div className="table-wrap branch-list">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Branch</th>
            <th scope="col">Last scan</th>
            <th scope="col" className="num">
              Scans
            </th>
            <th scope="col" className="num">
              Open vulnerabilities
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.ref}>
              <th scope="row">
                <Link to={`?branch=${encodeURIComponent(r.ref)}`}>{r.ref}</Link>
                {r.default && <span className="badge branch-default">default</span>}
              </th>
              <td>{r.last_scan_at ? <time dateTime={r.last_scan_at} title={formatDateTime(r.last_scan_at)}>{relativeTime(r.last_scan_at)}</time> : '—'}</td>
              <td className="num">{r.scans.toLocaleString('en')}</td>
              <td className="num">
                <Link to={scopeUrl(scope, 'vulnerabilities', `ref=${encodeURIComponent(r.ref)}`)} aria-label={`${r.open_present} open on ${r.ref}`}>
                  {r.open_present.toLocaleString('en')}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
