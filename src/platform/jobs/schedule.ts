import { MINUTE } from '../clock.js';

const HOUR_DIVISORS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];
const DAY_DIVISORS = [60, 120, 180, 240, 360, 480, 720, 1440];

/**
 * Periods must tile the UTC day so that "every n minutes" is the same instants on pg-boss's cron and on the
 * embedded loop (a 7-minute cron step would fire at :56 and again at :00).
 */
export function assertEveryMinutes(everyMinutes: number): void {
  if (!HOUR_DIVISORS.includes(everyMinutes) && !DAY_DIVISORS.includes(everyMinutes)) {
    throw new Error(
      `everyMinutes must be between 1 and 1440 and divide the hour (${HOUR_DIVISORS.join(', ')}) ` +
        `or the day in whole hours (${DAY_DIVISORS.join(', ')}); got ${everyMinutes}`,
    );
  }
}

/** The pg-boss cron expression (evaluated in UTC) for a period accepted by assertEveryMinutes. */
export function cronFor(everyMinutes: number): string {
  assertEveryMinutes(everyMinutes);
  if (everyMinutes === 1) return '* * * * *';
  if (everyMinutes < 60) return `*/${everyMinutes} * * * *`;
  if (everyMinutes === 60) return '0 * * * *';
  if (everyMinutes === 1440) return '0 0 * * *';
  return `0 */${everyMinutes / 60} * * *`;
}

/** Start of the period containing `at`; periods are aligned to midnight UTC, like the cron above. */
export function periodStart(at: Date, everyMinutes: number): Date {
  const length = everyMinutes * MINUTE;
  return new Date(Math.floor(at.getTime() / length) * length);
}
