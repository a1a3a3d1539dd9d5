import { DAY } from '../../platform/clock.js';

/**
 * Calendar arithmetic of the dashboards, on UTC days written `YYYY-MM-DD` (the first ten characters of a stored
 * timestamp, so SQL groups by `substr(at, 1, 10)` and JavaScript agrees). Pure: the caller passes "now".
 */
export function dayOf(at: Date | string): string {
  return (typeof at === 'string' ? at : at.toISOString()).slice(0, 10);
}

/** The moment a day begins, as stored timestamps are written. */
export function dayStart(day: string): string {
  return `${day}T00:00:00.000Z`;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(dayStart(day)) + n * DAY).toISOString().slice(0, 10);
}

/** The days from `first` to `last` inclusive, oldest first (empty when `first` is after `last`). */
export function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) out.push(day);
  return out;
}

/** A window of `count` days ending with (and including) `today`, oldest first. */
export function windowDays(today: string, count: number): string[] {
  return daysBetween(addDays(today, 1 - count), today);
}

/** The Monday that starts the ISO week of `day`. */
export function weekStart(day: string): string {
  const weekday = new Date(dayStart(day)).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** Each ISO week that has a day in `days` (ascending), with the days of `days` it holds. */
export function weeksOf(days: readonly string[]): { weekStart: string; days: string[] }[] {
  const weeks: { weekStart: string; days: string[] }[] = [];
  for (const day of days) {
    const start = weekStart(day);
    const last = weeks.at(-1);
    if (last?.weekStart === start) last.days.push(day);
    else weeks.push({ weekStart: start, days: [day] });
  }
  return weeks;
}
