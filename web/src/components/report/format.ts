/**
 * Dates and numbers as the report shows them: relative times for scanning a list (with the absolute time kept for
 * a title), short dates for deadlines, and risk figures at the precision they carry.
 */
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 days ago", "in 2 weeks", "now". */
export function relativeTime(iso: string, now = Date.now()): string {
  const delta = Date.parse(iso) - now;
  for (const [unit, ms] of UNITS) if (Math.abs(delta) >= ms) return relative.format(Math.round(delta / ms), unit);
  return 'now';
}

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatDate = (iso: string) => dateOnly.format(new Date(iso));

/** Risk is 0–100; small scores keep two decimals so 0.93 and 0.09 stay apart. */
export function formatRisk(score: number): string {
  return score.toLocaleString('en', { maximumFractionDigits: score < 10 ? 2 : score < 100 ? 1 : 0 });
}

/** A probability (EPSS) as a percentage: 0.00042 → "0.04%", 0.97 → "97%". */
export function formatPercent(probability: number): string {
  const percent = probability * 100;
  return `${percent.toLocaleString('en', { maximumFractionDigits: percent < 1 ? 2 : percent < 10 ? 1 : 0 })}%`;
}
