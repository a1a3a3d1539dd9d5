import { useId, type ReactNode } from 'react';
import { Legend } from '../../components/charts/Legend';
import type { Swatch } from '../../components/charts/tooltip';

interface ChartCardProps {
  title: string;
  /** One sentence saying what the chart shows, for everyone (and the chart's only description for screen readers). */
  summary: ReactNode;
  /** The chart (a Chart with its own aria-label). */
  chart: ReactNode;
  /** Set when there is nothing to draw: says so in place of the chart. */
  empty?: string | undefined;
  /** The chart's colour key, shown above it. */
  legend?: { label: string; swatch: Swatch }[];
  /** The same numbers as a table, with links into the report: the keyboard and screen-reader way through. */
  table: ReactNode;
  size?: 'full' | 'wide';
}

/** One dashboard panel: heading, summary sentence, chart, and the chart's numbers in a disclosure. */
export function ChartCard({ title, summary, chart, empty, legend, table, size }: ChartCardProps) {
  const id = useId();
  return (
    <section className={`card dash-card${size ? ` dash-${size}` : ''}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="dash-summary">{summary}</p>
      {legend && <Legend items={legend} />}
      {empty ? <p className="dash-empty">{empty}</p> : chart}
      <details className="dash-data">
        <summary>Numbers and links</summary>
        <div className="table-wrap">{table}</div>
      </details>
    </section>
  );
}
