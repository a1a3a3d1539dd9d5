import { useId } from 'react';
import { PERIODS, type Period } from './types';

const NAMES: Record<Period, string> = { 30: '30 days', 90: '90 days', 365: '1 year' };

/** Radio buttons drawn as a segmented control: one choice of three, arrow keys move between them as usual. */
export function PeriodSwitch({ value, onChange }: { value: Period; onChange: (period: Period) => void }) {
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend>Period</legend>
      <div className="segmented-options">
        {PERIODS.map((p) => (
          <label key={p}>
            <input type="radio" name={name} value={p} checked={p === value} onChange={() => onChange(p)} />
            <span>{NAMES[p]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The ?days= of a shared link, or the default when it is missing or not one of the periods. */
export function parsePeriod(text: string | null): Period {
  const days = Number(text);
  return (PERIODS as readonly number[]).includes(days) ? (days as Period) : 90;
}
