/**
 * How the dashboard writes numbers, percentages, durations and dates (API dates are UTC calendar days), in English
 * like the rest of the app (see components/report/format.ts).
 */
const DAY_MS = 86_400_000;

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const shortDay = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const moment = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

export const count = (n: number) => integer.format(n);
export const decimal = (n: number) => oneDecimal.format(n);
export const percent = (ratio: number | null) => (ratio === null ? '—' : `${oneDecimal.format(ratio * 100)}%`);
export const duration = (days: number | null) => (days === null ? 'no resolutions' : `${oneDecimal.format(days)} ${days === 1 ? 'day' : 'days'}`);

/** "2026-08-25" → "Aug 25" (or the locale's order). */
export const dayLabel = (day: string) => shortDay.format(utcDay(day));
export const dayLabelLong = (day: string) => longDay.format(utcDay(day));
export const momentLabel = (iso: string) => moment.format(new Date(iso));

export function utcDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** Whole or fractional days from a calendar day to a moment (the dashboard's as_of). */
export function daysBetween(day: string, asOf: string): number {
  return (Date.parse(asOf) - utcDay(day).getTime()) / DAY_MS;
}
