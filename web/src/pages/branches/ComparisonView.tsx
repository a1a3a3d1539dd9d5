import { Link } from 'react-router';
import { SEVERITIES, type Project, type VulnerabilitySummary } from '../../api/types';
import type { Resource } from '../../api/use-api';
import { scopeUrl } from '../../app/scope';
import { humanize, pluralize, severityLabel } from '../../components/report/labels';
import { VulnerabilityTable } from '../../components/report/VulnerabilityTable';
import { Loaded } from '../../components/Status';
import type { Comparison, RefSummary } from './types';

interface Props {
  project: Project;
  branch: string;
  resource: Resource<Comparison>;
  /** The branch in the list of scanned branches, if it is there. */
  scanned: RefSummary | undefined;
  /** Whether that list could be loaded at all (if not, "never scanned" cannot be told from "no difference"). */
  refsKnown: boolean;
}

/** One scanner's share of the comparison. */
interface ScannerDiff {
  scanner: string;
  reportTypes: string[];
  introduced: VulnerabilitySummary[];
  fixed: VulnerabilitySummary[];
}

/** What the branch introduces and fixes compared with the default branch: totals, a line per scanner, then the lists. */
export function ComparisonView({ project, branch, resource, scanned, refsKnown }: Props) {
  return (
    <section aria-labelledby="comparison-heading" aria-busy={resource.loading}>
      <h2 id="comparison-heading">
        <code>{branch}</code> compared with <code>{project.default_branch}</code>
      </h2>
      <Loaded resource={resource} what="comparison">
        {(c) =>
          c.head !== branch ? null : c.new.length + c.fixed.length + c.unchanged === 0 ? (
            <p className="card branch-note">
              {refsKnown && !scanned
                ? `No report has been uploaded for ${branch} yet, so there is nothing to compare. The command below sends one.`
                : `Nothing to compare: the scanners that ran on ${branch} found nothing there or on ${project.default_branch}.`}
            </p>
          ) : (
            <ComparisonBody project={project} comparison={c} />
          )
        }
      </Loaded>
    </section>
  );
}

function ComparisonBody({ project, comparison }: { project: Project; comparison: Comparison }) {
  const diffs = byScanner(comparison);
  return (
    <>
      <dl className="compare-figures">
        <div className={comparison.new.length > 0 ? 'figure-worse' : 'figure-neutral'}>
          <dt>Introduces</dt>
          <dd>
            <span className="figure-value">{comparison.new.length.toLocaleString('en')}</span>
            <span className="figure-detail">{severityCounts(comparison.new) || 'nothing new'}</span>
          </dd>
        </div>
        <div className={comparison.fixed.length > 0 ? 'figure-better' : 'figure-neutral'}>
          <dt>Fixes</dt>
          <dd>
            <span className="figure-value">{comparison.fixed.length.toLocaleString('en')}</span>
            <span className="figure-detail">{severityCounts(comparison.fixed) || `nothing fixed on ${comparison.head}`}</span>
          </dd>
        </div>
        <div className="figure-neutral">
          <dt>Unchanged</dt>
          <dd>
            <span className="figure-value">{comparison.unchanged.toLocaleString('en')}</span>
            <span className="figure-detail">on both branches</span>
          </dd>
        </div>
      </dl>

      <div className="table-wrap">
        <table className="scanner-table">
          <caption className="visually-hidden">New and fixed vulnerabilities per scanner</caption>
          <thead>
            <tr>
              <th scope="col">Scanner</th>
              <th scope="col">Introduces</th>
              <th scope="col">Fixes</th>
            </tr>
          </thead>
          <tbody>
            {diffs.map((d) => (
              <tr key={d.scanner}>
                <th scope="row">
                  <a href={`#scanner-${anchor(d.scanner)}`}>{d.scanner}</a>
                  <span className="muted">{d.reportTypes.map(humanize).join(', ')}</span>
                </th>
                <td>
                  <CountWithSeverities items={d.introduced} />
                </td>
                <td>
                  <CountWithSeverities items={d.fixed} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {diffs.map((d) => (
        <section key={d.scanner} id={`scanner-${anchor(d.scanner)}`} className="scanner-diff" aria-labelledby={`scanner-${anchor(d.scanner)}-heading`}>
          <h3 id={`scanner-${anchor(d.scanner)}-heading`}>
            {d.scanner} <span className="muted">· {d.reportTypes.map(humanize).join(', ')}</span>
          </h3>
          <DiffList title="Introduced" empty={`${d.scanner} finds nothing new on ${comparison.head}.`} items={d.introduced} />
          <DiffList title="Fixed" empty={`${d.scanner} finds everything it found on ${comparison.base} on ${comparison.head} too.`} items={d.fixed} />
        </section>
      ))}
      <p className="muted">
        Unchanged vulnerabilities are in the <Link to={scopeUrl({ kind: 'project', path: project.full_path }, 'vulnerabilities', `ref=${encodeURIComponent(comparison.head)}`)}>report for {comparison.head}</Link>.
      </p>
    </>
  );
}

function CountWithSeverities({ items }: { items: VulnerabilitySummary[] }) {
  return (
    <>
      <span className="scanner-count">{items.length.toLocaleString('en')}</span>
      {items.length > 0 && <span className="muted"> {severityCounts(items)}</span>}
    </>
  );
}

function DiffList({ title, empty, items }: { title: string; empty: string; items: VulnerabilitySummary[] }) {
  return (
    <>
      <h4>
        {title} <span className="muted">({items.length.toLocaleString('en')})</span>
      </h4>
      {items.length === 0 ? <p className="muted">{empty}</p> : <VulnerabilityTable items={items} label={`${title}: ${pluralize(items.length, 'vulnerability', 'vulnerabilities')}`} />}
    </>
  );
}

/** Scanners with something new first (most first), then the rest by name; each list keeps the API's severity order. */
function byScanner(c: Comparison): ScannerDiff[] {
  const diffs = new Map<string, ScannerDiff>();
  const entry = (v: VulnerabilitySummary) => {
    let d = diffs.get(v.scanner);
    if (!d) diffs.set(v.scanner, (d = { scanner: v.scanner, reportTypes: [], introduced: [], fixed: [] }));
    if (!d.reportTypes.includes(v.report_type)) d.reportTypes.push(v.report_type);
    return d;
  };
  for (const v of c.new) entry(v).introduced.push(v);
  for (const v of c.fixed) entry(v).fixed.push(v);
  return [...diffs.values()].sort((a, b) => b.introduced.length - a.introduced.length || a.scanner.localeCompare(b.scanner));
}

/** "1 critical · 2 high", most severe first; empty when there is nothing. */
function severityCounts(items: VulnerabilitySummary[]): string {
  return SEVERITIES.map((s) => [s, items.filter((v) => v.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n.toLocaleString('en')} ${severityLabel(s).toLowerCase()}`)
    .join(' · ');
}

const anchor = (scanner: string) => scanner.replace(/[^\w-]+/g, '-');
