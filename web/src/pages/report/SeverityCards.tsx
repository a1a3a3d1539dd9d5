import { SEVERITIES } from '../../api/types';
import { severityLabel } from '../../components/report/labels';
import type { Facet } from './report-api';

interface Props {
  counts: readonly Facet[];
  /** The severity filter as it stands. */
  selected: readonly string[];
  onPick: (severity: string) => void;
}

/**
 * How many vulnerabilities of each severity the scope has (every state: the facet counts ignore filters). Each
 * card is a toggle button that narrows the report to its severity.
 */
export function SeverityCards({ counts, selected, onPick }: Props) {
  const countOf = new Map(counts.map((c) => [c.id, c.count]));
  return (
    <section className="severity-cards" aria-labelledby="severity-cards-title">
      <h2 id="severity-cards-title" className="severity-cards-title">
        All statuses, by severity
      </h2>
      {SEVERITIES.map((s) => {
        const count = countOf.get(s) ?? 0;
        const pressed = selected.includes(s);
        if (count === 0 && !pressed && (s === 'info' || s === 'unknown')) return null;
        return (
          <button key={s} type="button" className={`severity-card sev-${s}${count === 0 ? ' zero' : ''}`} aria-pressed={pressed} onClick={() => onPick(s)}>
            <span className="severity-card-name">
              <span className="sev-dot" aria-hidden="true" />
              {severityLabel(s)}
            </span>
            <span className="severity-card-count">{count.toLocaleString('en')}</span>
          </button>
        );
      })}
    </section>
  );
}
