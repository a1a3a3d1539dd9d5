import type { JobOptions } from './queue.js';

export interface ResolvedJobOptions {
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  singletonKey: string | null;
  startAfterSeconds: number;
  timeoutSeconds: number;
}

export const DEFAULT_JOB_OPTIONS: ResolvedJobOptions = {
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  singletonKey: null,
  startAfterSeconds: 0,
  timeoutSeconds: 15 * 60,
};

// pg-boss keys its storage by queue name; keep names to what both implementations and logs handle plainly.
const NAME = /^[A-Za-z0-9][\w.-]{0,99}$/;

export function assertJobName(name: string): void {
  if (!NAME.test(name)) throw new Error(`invalid job name "${name}": use letters, digits, "_", "-" and "." (at most 100)`);
}

function wholeNumber(label: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`${label} must be a whole number ≥ 0, got ${value}`);
  return value;
}

/** Fills in the defaults and rejects what neither implementation could honour. */
export function resolveJobOptions(options: JobOptions = {}): ResolvedJobOptions {
  if (options.singletonKey !== undefined && options.singletonKey === '') throw new Error('singletonKey must not be empty');
  if (options.timeoutSeconds === 0) throw new Error('timeoutSeconds must be at least 1');
  return {
    retryLimit: wholeNumber('retryLimit', options.retryLimit, DEFAULT_JOB_OPTIONS.retryLimit),
    retryDelaySeconds: wholeNumber('retryDelaySeconds', options.retryDelaySeconds, DEFAULT_JOB_OPTIONS.retryDelaySeconds),
    retryBackoff: options.retryBackoff ?? DEFAULT_JOB_OPTIONS.retryBackoff,
    singletonKey: options.singletonKey ?? null,
    startAfterSeconds: wholeNumber('startAfterSeconds', options.startAfterSeconds, DEFAULT_JOB_OPTIONS.startAfterSeconds),
    timeoutSeconds: wholeNumber('timeoutSeconds', options.timeoutSeconds, DEFAULT_JOB_OPTIONS.timeoutSeconds),
  };
}

/** Seconds to wait before retrying after failed attempt number `attempt` (1 = the first run failed). */
export function retryDelaySeconds(options: Pick<ResolvedJobOptions, 'retryDelaySeconds' | 'retryBackoff'>, attempt: number): number {
  return options.retryBackoff ? options.retryDelaySeconds * 2 ** (attempt - 1) : options.retryDelaySeconds;
}
