import type { Swatch } from './tooltip';

/**
 * A chart's key, in HTML rather than drawn on the canvas: it wraps like text on a phone instead of running into the
 * plot, and it costs no charting code. Hidden from screen readers, which get the chart's summary and table instead.
 */
export function Legend({ items }: { items: { label: string; swatch: Swatch }[] }) {
  return (
    <ul className="chart-legend" aria-hidden="true">
      {items.map((item) => (
        <li key={item.label}>
          <i className={`chart-swatch swatch-${item.swatch}`} />
          {item.label}
        </li>
      ))}
    </ul>
  );
}
