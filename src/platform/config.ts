import path from 'node:path';

/** Everything Vigil reads from its environment, parsed once and validated up front. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; otherwise SQLite at `<dataDir>/vigil.db`. */
  databaseUrl: string | null;
  logLevel: string;
  /** Only set the `Secure` cookie attribute when Vigil is served over HTTPS. */
  secureCookies: boolean;
  sessionTtlHours: number;
  /** log2 of scrypt's CPU/memory cost N for new password hashes (17 ⇒ 128 MiB, OWASP's minimum). */
  passwordCostLog2: number;
  loginMaxFailuresPerUser: number;
  loginMaxFailuresPerIp: number;
  loginWindowMinutes: number;
  /** Bearer token that Prometheus may use for /metrics instead of an admin token. */
  metricsToken: string | null;
  bodyLimitBytes: number;
  webDir: string | null;
  /** Largest scan report accepted (streamed, so this bounds disk and time, not memory). */
  maxReportBytes: number;
  /** Most findings accepted in one report. */
  maxFindings: number;
  /** Uploads larger than this are ingested by a worker (202 + a job to poll); 0: every upload. */
  asyncIngestBytes: number;
  /** A worker's ingest not finished after this long is presumed dead and retried (PostgreSQL). */
  ingestJobTimeoutSeconds: number;
  /** How often idle workers look for jobs; null: the queue's default. */
  jobPollIntervalMs: number | null;
  /** How often the PostgreSQL queue looks for jobs past their timeout. */
  jobSuperviseSeconds: number;
  /** Behind a reverse proxy, take the client address from X-Forwarded-For (login throttling and audit need it). */
  trustProxy: boolean;
  /** Where the scheduled refresh fetches EPSS and KEV from; null: feeds come only from `vigil feeds import`. */
  epssUrl: string | null;
  kevUrl: string | null;
  feedRefreshHours: number;
  /** Largest feed file accepted after decompression. */
  maxFeedBytes: number;
  feedTimeoutSeconds: number;
  /** Where users reach Vigil (links in notifications); null: notifications carry no links. */
  publicUrl: string | null;
  /** `smtp://user:pass@host:port` (or smtps://); null: e-mail notifications are off. */
  smtpUrl: string | null;
  mailFrom: string;
  /** Hosts (`host` or `host:port`) that webhooks may reach although they are loopback, private or link-local. */
  webhookAllowHosts: string[];
  webhookTimeoutSeconds: number;
  /** Attempts per webhook or e-mail delivery before it is marked failed. */
  notifyMaxAttempts: number;
  /** Finished deliveries, their attempts and dispatched events are kept this many days. */
  notifyRetentionDays: number;
  /** An OpenAI-compatible API (…/v1) and model for the optional AI assist; either null: the assist is off. */
  llmUrl: string | null;
  llmModel: string | null;
  llmApiKey: string | null;
  llmTimeoutSeconds: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function url(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (!/^https?:\/\/\S+$/i.test(raw)) throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw;
}

function smtpUrl(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (!/^smtps?:\/\/\S+$/i.test(raw)) throw new ConfigError(`${name} must be an smtp:// or smtps:// URL, got "${raw.replace(/\/\/[^@/]*@/, '//…@')}"`);
  return raw;
}

/** `a.example, 127.0.0.1:8080, [::1]` → lower-cased entries; anything else is refused rather than silently ignored. */
function hostList(env: Env, name: string): string[] {
  const entries = (env[name] ?? '').split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  for (const entry of entries) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(:\d{1,5})?$/.test(entry)) throw new ConfigError(`${name}: "${entry}" is not a host or host:port`);
  }
  return entries;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (leave it unset to use the embedded SQLite database)');
  }
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: path.resolve(cwd, env.VIGIL_DATA_DIR?.trim() || 'data'),
    databaseUrl,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    secureCookies: boolean(env, 'VIGIL_SECURE_COOKIES', false),
    sessionTtlHours: integer(env, 'VIGIL_SESSION_TTL_HOURS', 12, 1, 24 * 90),
    passwordCostLog2: integer(env, 'VIGIL_PASSWORD_COST_LOG2', 17, 10, 20),
    loginMaxFailuresPerUser: integer(env, 'VIGIL_LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginMaxFailuresPerIp: integer(env, 'VIGIL_LOGIN_MAX_FAILURES_PER_IP', 50, 1, 100000),
    loginWindowMinutes: integer(env, 'VIGIL_LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    metricsToken: env.VIGIL_METRICS_TOKEN?.trim() || null,
    bodyLimitBytes: integer(env, 'VIGIL_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    webDir: env.VIGIL_WEB_DIR?.trim() || null,
    trustProxy: boolean(env, 'VIGIL_TRUST_PROXY', false),
    maxReportBytes: integer(env, 'VIGIL_MAX_REPORT_BYTES', 1024 * 1024 * 1024, 1024, 64 * 1024 * 1024 * 1024),
    maxFindings: integer(env, 'VIGIL_MAX_FINDINGS', 500_000, 1, 50_000_000),
    asyncIngestBytes: integer(env, 'VIGIL_ASYNC_INGEST_BYTES', 16 * 1024 * 1024, 0, 64 * 1024 * 1024 * 1024),
    ingestJobTimeoutSeconds: integer(env, 'VIGIL_INGEST_JOB_TIMEOUT_SECONDS', 15 * 60, 1, 24 * 3600),
    jobPollIntervalMs: env.VIGIL_JOB_POLL_MS?.trim() ? integer(env, 'VIGIL_JOB_POLL_MS', 0, 10, 60_000) : null,
    jobSuperviseSeconds: integer(env, 'VIGIL_JOB_SUPERVISE_SECONDS', 60, 1, 3600),
    epssUrl: url(env, 'VIGIL_EPSS_URL'),
    kevUrl: url(env, 'VIGIL_KEV_URL'),
    feedRefreshHours: integer(env, 'VIGIL_FEED_REFRESH_HOURS', 24, 1, 24 * 30),
    maxFeedBytes: integer(env, 'VIGIL_MAX_FEED_BYTES', 512 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
    feedTimeoutSeconds: integer(env, 'VIGIL_FEED_TIMEOUT_SECONDS', 300, 1, 24 * 3600),
    publicUrl: url(env, 'VIGIL_PUBLIC_URL')?.replace(/\/+$/, '') ?? null,
    smtpUrl: smtpUrl(env, 'VIGIL_SMTP_URL'),
    mailFrom: env.VIGIL_MAIL_FROM?.trim() || 'vigil@localhost',
    webhookAllowHosts: hostList(env, 'VIGIL_WEBHOOK_ALLOW_HOSTS'),
    webhookTimeoutSeconds: integer(env, 'VIGIL_WEBHOOK_TIMEOUT_SECONDS', 10, 1, 300),
    notifyMaxAttempts: integer(env, 'VIGIL_NOTIFY_MAX_ATTEMPTS', 6, 1, 20),
    notifyRetentionDays: integer(env, 'VIGIL_NOTIFY_RETENTION_DAYS', 90, 1, 3650),
    llmUrl: url(env, 'VIGIL_LLM_URL'),
    llmModel: env.VIGIL_LLM_MODEL?.trim() || null,
    llmApiKey: env.VIGIL_LLM_API_KEY?.trim() || null,
    llmTimeoutSeconds: integer(env, 'VIGIL_LLM_TIMEOUT_SECONDS', 120, 1, 3600),
  };
}
