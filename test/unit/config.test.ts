import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/platform/config.js';

const CWD = path.resolve('/srv/vigil');

function configWith(env: Record<string, string | undefined>) {
  return loadConfig(env, CWD);
}

function assertConfigError(env: Record<string, string | undefined>, message: RegExp): void {
  assert.throws(
    () => configWith(env),
    (err: unknown) => err instanceof ConfigError && message.test(err.message),
  );
}

describe('loadConfig defaults', () => {
  test('an empty environment gives the documented defaults', () => {
    assert.deepEqual(configWith({}), {
      port: 8080,
      host: '0.0.0.0',
      dataDir: path.resolve(CWD, 'data'),
      databaseUrl: null,
      logLevel: 'info',
      secureCookies: false,
      sessionTtlHours: 12,
      passwordCostLog2: 17,
      loginMaxFailuresPerUser: 5,
      loginMaxFailuresPerIp: 50,
      loginWindowMinutes: 15,
      metricsToken: null,
      bodyLimitBytes: 1024 * 1024,
      webDir: null,
      trustProxy: false,
      maxReportBytes: 1024 * 1024 * 1024,
      maxFindings: 500_000,
      asyncIngestBytes: 16 * 1024 * 1024,
      ingestJobTimeoutSeconds: 900,
      jobPollIntervalMs: null,
      jobSuperviseSeconds: 60,
      epssUrl: null,
      kevUrl: null,
      feedRefreshHours: 24,
      maxFeedBytes: 512 * 1024 * 1024,
      feedTimeoutSeconds: 300,
      publicUrl: null,
      smtpUrl: null,
      mailFrom: 'vigil@localhost',
      webhookAllowHosts: [],
      webhookTimeoutSeconds: 10,
      notifyMaxAttempts: 6,
      notifyRetentionDays: 90,
      llmUrl: null,
      llmModel: null,
      llmApiKey: null,
      llmTimeoutSeconds: 120,
    });
  });

  test('feed URLs must be http(s)', () => {
    assert.equal(configWith({ VIGIL_EPSS_URL: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz' }).epssUrl, 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz');
    assert.throws(() => configWith({ VIGIL_KEV_URL: 'file:///etc/passwd' }), /VIGIL_KEV_URL must be an http\(s\) URL/);
  });

  test('notification settings: SMTP and public URLs, the webhook allow-list', () => {
    const config = configWith({ VIGIL_SMTP_URL: 'smtp://u:p@mail.example.com:587', VIGIL_PUBLIC_URL: 'https://vigil.example.com/', VIGIL_WEBHOOK_ALLOW_HOSTS: ' 127.0.0.1, Hooks.Internal:8443 ,[::1]' });
    assert.equal(config.smtpUrl, 'smtp://u:p@mail.example.com:587');
    assert.equal(config.publicUrl, 'https://vigil.example.com');
    assert.deepEqual(config.webhookAllowHosts, ['127.0.0.1', 'hooks.internal:8443', '[::1]']);
    // The error does not repeat the SMTP password.
    assert.throws(() => configWith({ VIGIL_SMTP_URL: 'http://u:secret@mail' }), (e: unknown) => e instanceof ConfigError && /VIGIL_SMTP_URL must be an smtp/.test(e.message) && !e.message.includes('secret'));
    assert.throws(() => configWith({ VIGIL_WEBHOOK_ALLOW_HOSTS: 'http://x/' }), /VIGIL_WEBHOOK_ALLOW_HOSTS: "http:\/\/x\/" is not a host or host:port/);
    assert.throws(() => configWith({ VIGIL_WEBHOOK_TIMEOUT_SECONDS: '0' }), /VIGIL_WEBHOOK_TIMEOUT_SECONDS must be between 1 and 300/);
  });

  test('empty and blank values count as unset', () => {
    const config = configWith({ PORT: '', VIGIL_DATA_DIR: '  ', DATABASE_URL: ' ', VIGIL_SECURE_COOKIES: '', HOST: ' ' });
    assert.equal(config.port, 8080);
    assert.equal(config.dataDir, path.resolve(CWD, 'data'));
    assert.equal(config.databaseUrl, null);
    assert.equal(config.secureCookies, false);
    assert.equal(config.host, '0.0.0.0');
  });
});

describe('VIGIL_DATA_DIR', () => {
  test('a relative directory is resolved against the given cwd', () => {
    assert.equal(configWith({ VIGIL_DATA_DIR: 'state/vigil' }).dataDir, path.resolve(CWD, 'state/vigil'));
  });

  test('an absolute directory is kept', () => {
    const absolute = path.resolve('/var/lib/vigil');
    assert.equal(configWith({ VIGIL_DATA_DIR: absolute }).dataDir, absolute);
  });
});

describe('PORT', () => {
  test('a whole number, with surrounding spaces, is used', () => {
    assert.equal(configWith({ PORT: ' 3000 ' }).port, 3000);
    assert.equal(configWith({ PORT: '0' }).port, 0);
  });

  test('a value that is not a whole number is a ConfigError naming PORT', () => {
    for (const port of ['abc', '80a', '-1', '8080.5']) {
      assertConfigError({ PORT: port }, /^PORT must be a whole number/);
    }
  });

  test('a port above 65535 is a ConfigError naming PORT', () => {
    assertConfigError({ PORT: '65536' }, /^PORT must be between 0 and 65535, got 65536$/);
  });
});

describe('DATABASE_URL', () => {
  test('postgres:// and postgresql:// are accepted as given', () => {
    assert.equal(configWith({ DATABASE_URL: 'postgres://u@db/vigil' }).databaseUrl, 'postgres://u@db/vigil');
    assert.equal(configWith({ DATABASE_URL: ' postgresql://db/vigil ' }).databaseUrl, 'postgresql://db/vigil');
  });

  test('any other scheme is a ConfigError naming DATABASE_URL', () => {
    for (const url of ['mysql://u@db/vigil', 'sqlite:///tmp/vigil.db', 'db/vigil']) {
      assertConfigError({ DATABASE_URL: url }, /^DATABASE_URL must start with postgres:\/\//);
    }
  });
});

describe('boolean settings', () => {
  for (const yes of ['1', 'true', 'yes', 'on', 'YES', ' True ']) {
    test(`VIGIL_SECURE_COOKIES=${JSON.stringify(yes)} is true`, () => {
      assert.equal(configWith({ VIGIL_SECURE_COOKIES: yes }).secureCookies, true);
    });
  }

  for (const no of ['0', 'false', 'no', 'off', 'NO']) {
    test(`VIGIL_SECURE_COOKIES=${JSON.stringify(no)} is false`, () => {
      assert.equal(configWith({ VIGIL_SECURE_COOKIES: no }).secureCookies, false);
    });
  }

  test('anything else is a ConfigError naming the variable and quoting the value', () => {
    assertConfigError({ VIGIL_SECURE_COOKIES: 'maybe' }, /^VIGIL_SECURE_COOKIES must be true or false, got "maybe"$/);
    assertConfigError({ VIGIL_TRUST_PROXY: 'y' }, /^VIGIL_TRUST_PROXY must be true or false, got "y"$/);
  });
});
