import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { consoleActor } from '../../src/platform/audit/actor.js';
import { createUser, type User } from '../../src/platform/auth/users.js';
import { DAY, HOUR, MINUTE } from '../../src/platform/clock.js';
import { toDbTime } from '../../src/platform/db/time.js';
import { createGroup } from '../../src/platform/namespaces/groups.js';
import { addMember } from '../../src/platform/namespaces/members.js';
import type { Project } from '../../src/platform/namespaces/model.js';
import { createProject } from '../../src/platform/namespaces/projects.js';
import { dispatchOutbox } from '../../src/notify/dispatch.js';
import { sendDailyDigests } from '../../src/notify/digest.js';
import { deliverDueEmails } from '../../src/notify/email-delivery.js';
import { emitNotifications, vulnerabilitiesPayload, type NotificationKind } from '../../src/notify/outbox.js';
import { verifySignature } from '../../src/notify/signing.js';
import { purgeNotificationLogs } from '../../src/notify/retention.js';
import { deliverDueWebhooks } from '../../src/notify/webhook-delivery.js';
import { describeEachDatabase } from '../support/databases.js';
import { caller, makeToken, startTestApp, TEST_PASSWORD, type Caller, type TestApp } from '../support/app.js';
import { freePort } from '../support/net.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real webhook receiver on loopback that answers 204, answers 500, or never answers. */
async function startReceiver() {
  const state = { mode: 'ok' as 'ok' | 'fail' | 'hang', requests: [] as Received[] };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      state.requests.push({ headers: req.headers, body });
      if (state.mode === 'ok') res.writeHead(204).end();
      else if (state.mode === 'fail') res.writeHead(500, { 'content-type': 'text/plain' }).end('database on fire');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    state,
    url: `http://127.0.0.1:${port}/hooks`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that keeps every message. */
async function startSmtp() {
  const messages: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { messages, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A header of a captured message, unfolded. */
function header(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1]?.trimEnd();
}

/** The text/plain part of a captured message, quoted-printable decoded. */
function textPart(raw: string): string {
  const part = /Content-Type: text\/plain[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/i.exec(raw)?.[1] ?? '';
  const bytes = part.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => `%${hex}`).replace(/[^%]/g, (c) => encodeURIComponent(c));
  return decodeURIComponent(bytes);
}

const sastReport = {
  version: '15.0.0',
  scan: { type: 'sast', scanner: { id: 'semgrep', name: 'Semgrep', version: '1', vendor: { name: 'x' } }, analyzer: { id: 'a', name: 'a', version: '1', vendor: { name: 'x' } }, status: 'success', start_time: '2026-01-01T00:00:00', end_time: '2026-01-01T00:00:01' },
  vulnerabilities: [{ id: '1', name: 'SQL injection', severity: 'High', identifiers: [{ type: 'semgrep_id', name: 'sqli', value: 'sqli' }], location: { file: 'app.py', start_line: 3 } }],
};

const vulns = [
  { id: 101, title: 'SQL injection in <login>', severity: 'high', state: 'detected', primary_identifier: 'CWE-89' },
  { id: 102, title: 'Prototype pollution in lodash', severity: 'critical', state: 'detected', primary_identifier: 'CVE-2019-10744' },
];

describeEachDatabase('notification delivery', (use) => {
  let t: TestApp;
  let strict: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let project: Project;
  let maintainer: Caller;
  let owner: Caller;
  let watcher: User;
  let secret = '';
  let webhookId = 0;
  const hooks = () => `/api/v1/projects/${encodeURIComponent('acme/api')}/webhooks`;

  const emit = (kind: NotificationKind, payload: Record<string, unknown> = { scan: { id: 7, ref: 'main' }, ...vulnerabilitiesPayload(vulns) }) =>
    use().kysely.transaction().execute((trx) => emitNotifications(trx, toDbTime(t.clock.now()), [{ kind, projectId: project.id, projectPath: project.fullPath, payload }]));
  const deliveries = async (id = webhookId) => (await maintainer.get(`${hooks()}/${id}/deliveries`)).body.items;

  before(async () => {
    receiver = await startReceiver();
    smtp = await startSmtp();
    t = await startTestApp(use(), {
      VIGIL_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      VIGIL_WEBHOOK_TIMEOUT_SECONDS: '1',
      VIGIL_SMTP_URL: smtp.url,
      VIGIL_MAIL_FROM: 'vigil@example.com',
      VIGIL_PUBLIC_URL: 'https://vigil.example.com',
    });
    // The same database under the defaults: no allow-list, no SMTP.
    strict = await startTestApp(use());
    const actor = consoleActor('test');
    const acme = await createGroup(t.svc, actor, null, { path: 'acme' });
    const other = await createGroup(t.svc, actor, null, { path: 'other' });
    project = await createProject(t.svc, actor, acme, { path: 'api' });
    const make = (username: string) => createUser(t.svc, actor, { username, password: TEST_PASSWORD, email: `${username}@example.com` });
    const m = await make('maint');
    await addMember(t.svc, actor, { kind: 'project', project }, m, 'maintainer');
    maintainer = caller(t.app, { token: await makeToken(t.svc, m, ['read', 'write']) });
    const o = await make('boss');
    await addMember(t.svc, actor, { kind: 'group', group: acme }, o, 'owner');
    owner = caller(t.app, { token: await makeToken(t.svc, o, ['read', 'write']) });
    watcher = await make('watcher');
    await addMember(t.svc, actor, { kind: 'group', group: acme }, watcher, 'reporter');
    const outsider = await make('outsider');
    await addMember(t.svc, actor, { kind: 'group', group: other }, outsider, 'owner');
    for (const user of [watcher, outsider]) {
      const reply = await caller(t.app, { token: await makeToken(t.svc, user, ['read', 'write']) }).patch('/api/v1/user/notifications', { kinds: ['vulnerability.new'], digest: true });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
    }
  });

  after(async () => {
    await t.app.close();
    await strict.app.close();
    await receiver.close();
    await smtp.close();
  });

  test('a webhook shows its secret once; afterwards only masked', async () => {
    const created = await maintainer.post(hooks(), { url: receiver.url, events: ['vulnerability.new', 'scan.completed'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.body.format, 'vigil');
    secret = created.body.secret;
    webhookId = created.body.id;
    const shown = await maintainer.get(`${hooks()}/${webhookId}`);
    assert.equal(shown.body.secret, undefined);
    assert.equal(shown.body.secret_masked, `whsec_…${secret.slice(-4)}`);
    assert.equal(JSON.stringify((await maintainer.get(hooks())).body).includes(secret), false);
    // The append-only audit log keeps the receiver's host only: an incoming-webhook URL is itself a secret.
    const audit = await use().kysely.selectFrom('audit_events').select('after_json').where('action', '=', 'webhook.create').where('subject_id', '=', String(webhookId)).executeTakeFirstOrThrow();
    const receiverUrl = new URL(receiver.url);
    assert.equal(JSON.parse(audit.after_json!).url, `http://${receiverUrl.host}/…`);
    assert.equal(audit.after_json!.includes(receiverUrl.pathname), receiverUrl.pathname === '/');
  });

  test('bad webhook URLs are refused with the reason, by default and at creation', async () => {
    const as = caller(strict.app, { token: await makeToken(strict.svc, await createUser(strict.svc, consoleActor('test'), { username: `root-${Date.now()}`, password: TEST_PASSWORD, isAdmin: true }), ['read', 'write']) });
    const cases: [string, RegExp][] = [
      ['http://169.254.169.254/latest/meta-data/', /^169\.254\.169\.254 is a cloud metadata address: webhooks may not reach it/],
      ['http://10.0.0.1/hook', /^10\.0\.0\.1 is a private address \(10\.0\.0\.0\/8\)/],
      ['ftp://x/hook', /^must use http or https, not ftp$/],
      ['http://localhost:9/hook', /^localhost resolves to an address that is (a|the) loopback address/],
      ['http://[fe80::1]/', /^fe80::1 is a link-local address \(fe80::\/10\)/],
      ['http://user:pw@example.com/', /must not contain a user name or password/],
    ];
    for (const [url, reason] of cases) {
      const reply = await as.post(hooks(), { url, events: ['scan.completed'] });
      assert.equal(reply.status, 400, url);
      assert.equal(reply.body.field, 'body/url');
      assert.match(reply.body.errors[0].message, reason, url);
    }
    // Loopback is allowed only where the allow-list says so.
    assert.equal((await as.post(hooks(), { url: receiver.url, events: ['scan.completed'] })).status, 400);
    assert.equal((await maintainer.patch(`${hooks()}/${webhookId}`, { url: 'http://192.168.1.1/' })).status, 400);
  });

  test('events reach the project webhook and a Slack-format group webhook, signed; dispatching again sends nothing more', async () => {
    const slack = await owner.post('/api/v1/groups/acme/webhooks', { url: `${receiver.url}/slack`, events: ['vulnerability.new'], format: 'slack' });
    assert.equal(slack.status, 201, JSON.stringify(slack.body));
    await emit('vulnerability.new');
    await emit('sla.breached');
    const dispatched = await dispatchOutbox(t.svc);
    assert.deepEqual({ events: dispatched.events, webhooks: dispatched.webhooks }, { events: 2, webhooks: 2 });
    assert.deepEqual(await dispatchOutbox(t.svc), { events: 0, webhooks: 0, emails: 0 });

    assert.deepEqual(await deliverDueWebhooks(t.svc), { delivered: 2, retrying: 0, failed: 0 });
    assert.deepEqual(await deliverDueWebhooks(t.svc), { delivered: 0, retrying: 0, failed: 0 });
    const plain = receiver.state.requests.find((r) => r.headers['content-type'] === 'application/json' && !r.body.includes('"blocks"'))!;
    assert.equal(plain.headers['x-vigil-event'], 'vulnerability.new');
    assert.match(String(plain.headers['x-vigil-delivery']), /^\d+$/);
    assert.equal(plain.headers['x-vigil-timestamp'], String(Math.floor(t.clock.now().getTime() / 1000)));
    const signed = { signature: plain.headers['x-vigil-signature'] as string, timestamp: plain.headers['x-vigil-timestamp'] as string };
    assert.ok(verifySignature(secret, signed, plain.body, t.clock.now()));
    assert.equal(verifySignature(secret, signed, plain.body.replace('high', 'low'), t.clock.now()), false);
    assert.equal(verifySignature('whsec_wrong', signed, plain.body, t.clock.now()), false);
    // Replayed ten minutes later: refused by the timestamp.
    assert.equal(verifySignature(secret, signed, plain.body, new Date(t.clock.now().getTime() + 10 * MINUTE)), false);
    const event = JSON.parse(plain.body);
    assert.equal(event.event, 'vulnerability.new');
    assert.deepEqual(event.project, { id: project.id, path: 'acme/api' });
    assert.equal(event.count, 2);

    const chat = receiver.state.requests.find((r) => r.body.includes('"blocks"'))!;
    const message = JSON.parse(chat.body);
    assert.equal(message.text, '2 new vulnerabilities in acme/api (main)');
    assert.equal(message.blocks[0].text.type, 'mrkdwn');
    assert.equal(message.blocks[0].text.text, '*<https://vigil.example.com/api/v1/projects/acme%2Fapi/vulnerabilities|2 new vulnerabilities in acme/api (main)>*');
    // Scanner text is escaped for mrkdwn: a title cannot inject links or mentions.
    assert.match(message.blocks[1].text.text, /^• <https:\/\/vigil\.example\.com\/api\/v1\/vulnerabilities\/101\|\[high\] SQL injection in &lt;login&gt; \(CWE-89\)>$/m);
    const log = await deliveries();
    assert.equal(log.length, 1);
    assert.equal(log[0].status, 'delivered');
    assert.equal(log[0].last_status_code, 204);
    assert.deepEqual(log[0].attempt_log.map((a: { status_code: number }) => a.status_code), [204]);
  });

  test('a receiver answering 500 is retried after 1 min, 5 min, 30 min, 2 h, 12 h, then the delivery fails with every attempt logged', async () => {
    receiver.state.mode = 'fail';
    await emit('scan.completed', { scan: { id: 8, ref: 'main' }, summary: { new: 0, existing: 2, fixed: 1, reopened: 0, total: 2 } });
    await dispatchOutbox(t.svc);
    const start = t.clock.now().getTime();
    assert.deepEqual(await deliverDueWebhooks(t.svc), { delivered: 0, retrying: 1, failed: 0 });
    let [delivery] = await deliveries();
    assert.equal(delivery.status, 'pending');
    assert.equal(delivery.last_error, 'HTTP 500: database on fire');
    assert.equal(delivery.next_attempt_at, new Date(start + MINUTE).toISOString());
    // Nothing is due before the backoff has passed.
    t.clock.advance(MINUTE - 1000);
    assert.deepEqual(await deliverDueWebhooks(t.svc), { delivered: 0, retrying: 0, failed: 0 });
    t.clock.advance(1000);
    for (const wait of [5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR]) {
      assert.deepEqual(await deliverDueWebhooks(t.svc), { delivered: 0, retrying: 1, failed: 0 });
      [delivery] = await deliveries();
      assert.equal(delivery.next_attempt_at, new Date(t.clock.now().getTime() + wait).toISOString());
      t.clock.advance(wait);
    }
    assert.deepEqual(await deliverDueWebhooks(t.svc), { delivered: 0, retrying: 0, failed: 1 });
    [delivery] = await deliveries();
    assert.equal(delivery.status, 'failed');
    assert.equal(delivery.attempts, 6);
    assert.equal(delivery.next_attempt_at, null);
    assert.deepEqual(delivery.attempt_log.map((a: { attempt: number; status_code: number }) => [a.attempt, a.status_code]), [1, 2, 3, 4, 5, 6].map((n) => [n, 500]));
    t.clock.advance(DAY);
    assert.deepEqual(await deliverDueWebhooks(t.svc), { delivered: 0, retrying: 0, failed: 0 });
  });

  test('a failed delivery is redelivered as a new delivery with the same body', async () => {
    receiver.state.mode = 'ok';
    const [failed] = await deliveries();
    const reply = await maintainer.post(`${hooks()}/${webhookId}/deliveries/${failed.id}/redeliver`);
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.body.status, 'delivered');
    assert.equal(reply.body.redelivery_of, failed.id);
    assert.equal(reply.body.request_body, failed.request_body);
    assert.equal(receiver.state.requests.at(-1)!.body, failed.request_body);
    assert.equal(receiver.state.requests.at(-1)!.headers['x-vigil-delivery'], String(reply.body.id));
    // The failed one stays in the log as it was.
    const log = await deliveries();
    assert.deepEqual(log.map((d: { status: string }) => d.status).slice(0, 2), ['delivered', 'failed']);
    assert.equal((await maintainer.post(`${hooks()}/${webhookId}/deliveries/999999/redeliver`)).status, 404);
  });

  test('a receiver that never answers times out (VIGIL_WEBHOOK_TIMEOUT_SECONDS) and is retried later', async () => {
    receiver.state.mode = 'hang';
    const started = Date.now();
    const reply = await maintainer.post(`${hooks()}/${webhookId}/test`);
    assert.ok(Date.now() - started < 5000);
    assert.equal(reply.status, 201);
    assert.equal(reply.body.kind, 'ping');
    assert.equal(reply.body.status, 'pending');
    assert.equal(reply.body.last_error, 'no complete response within 1 s (VIGIL_WEBHOOK_TIMEOUT_SECONDS)');
    assert.equal(reply.body.attempt_log[0].status_code, null);
    receiver.state.mode = 'ok';
    t.clock.advance(MINUTE);
    assert.deepEqual(await deliverDueWebhooks(t.svc), { delivered: 1, retrying: 0, failed: 0 });
    assert.deepEqual(JSON.parse(receiver.state.requests.at(-1)!.body).webhook, { id: webhookId, scope: { type: 'project', path: 'acme/api' } });
  });

  test('an address that became private after creation is refused at send time, and the delivery fails at once', async () => {
    // As if the host's DNS now pointed inside the network.
    await use().kysely.updateTable('webhooks').set({ url: 'http://10.0.0.1/hook' }).where('id', '=', webhookId).execute();
    await emit('scan.completed', { scan: { id: 9, ref: 'main' }, summary: { new: 0, existing: 0, fixed: 0, reopened: 0, total: 0 } });
    await dispatchOutbox(t.svc);
    const sent = receiver.state.requests.length;
    assert.deepEqual(await deliverDueWebhooks(t.svc), { delivered: 0, retrying: 0, failed: 1 });
    const [delivery] = await deliveries();
    assert.equal(delivery.status, 'failed');
    assert.match(delivery.last_error, /^URL refused: 10\.0\.0\.1 is a private address/);
    assert.equal(receiver.state.requests.length, sent);
    await use().kysely.updateTable('webhooks').set({ url: receiver.url }).where('id', '=', webhookId).execute();
  });

  test('subscribers who can see the project get an e-mail at once; others do not', async () => {
    await deliverDueEmails(t.svc);
    const before = smtp.messages.length;
    await emit('vulnerability.new');
    const dispatched = await dispatchOutbox(t.svc);
    assert.equal(dispatched.emails, 1);
    assert.deepEqual(await deliverDueEmails(t.svc), { delivered: 1, retrying: 0, failed: 0 });
    const mails = smtp.messages.slice(before);
    assert.equal(mails.length, 1);
    assert.deepEqual(mails[0]!.to, ['watcher@example.com']);
    assert.equal(mails[0]!.from, 'vigil@example.com');
    assert.equal(header(mails[0]!.raw, 'Subject'), '[Vigil] 2 new vulnerabilities in acme/api (main)');
    assert.equal(header(mails[0]!.raw, 'Date'), t.clock.now().toUTCString().replace('GMT', '+0000'));
    const text = textPart(mails[0]!.raw);
    assert.match(text, /^- \[high\] SQL injection in <login> \(CWE-89\)$/m);
    assert.match(text, /^ {2}https:\/\/vigil\.example\.com\/api\/v1\/vulnerabilities\/102$/m);
    assert.match(mails[0]!.raw, /SQL injection in &lt;login&gt;/);
    const log = (await caller(t.app, { token: await makeToken(t.svc, watcher, ['read']) }).get('/api/v1/user/notifications/emails')).body.items;
    assert.equal(log[0].status, 'delivered');
    assert.equal(log[0].to, 'watcher@example.com');
    assert.equal(log[0].attempt_log.length, 1);
  });

  test('the daily digest goes out once per user and day, summarising yesterday', async () => {
    t.clock.set('2026-03-03T06:00:00.000Z');
    const upload = await maintainer.post(`/api/v1/projects/${project.id}/scans?ref=main`, sastReport);
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    // Its deadline passed: the digest counts it as breached.
    await use().kysely.updateTable('vulnerability_sla').set({ due_at: '2026-03-02T00:00:00.000Z', due_soon_at: '2026-03-01T00:00:00.000Z' }).where('project_id', '=', project.id).execute();
    await dispatchOutbox(t.svc);
    await deliverDueEmails(t.svc);
    t.clock.set('2026-03-04T00:05:00.000Z');
    const before = smtp.messages.length;
    assert.equal(await sendDailyDigests(t.svc), 1);
    assert.equal(await sendDailyDigests(t.svc), 0);
    assert.equal(await strict.svc.db.kysely.selectFrom('email_deliveries').select('id').where('digest_day', '=', '2026-03-03').execute().then((r) => r.length), 1);
    assert.deepEqual(await deliverDueEmails(t.svc), { delivered: 1, retrying: 0, failed: 0 });
    const [digest] = smtp.messages.slice(before);
    assert.deepEqual(digest!.to, ['watcher@example.com']);
    assert.equal(header(digest!.raw, 'Subject'), '[Vigil] Daily digest for 2026-03-03: 1 past the remediation deadline, 0 due soon');
    assert.match(textPart(digest!.raw), /^acme\/api: scan\.completed: 1, vulnerability\.new: 1; open: 1 breached, 0 due soon$/m);
    // The next day's run sends the next day's digest.
    t.clock.advance(DAY);
    assert.equal(await sendDailyDigests(t.svc), 1);
  });

  test('e-mail settings say when the server cannot send e-mail', async () => {
    const as = caller(strict.app, { token: await makeToken(strict.svc, watcher, ['read', 'write']) });
    const settings = (await as.get('/api/v1/user/notifications')).body;
    assert.equal(settings.email_enabled, false);
    assert.equal(settings.note, 'e-mail is disabled on this server (VIGIL_SMTP_URL is not set)');
    assert.deepEqual(settings.kinds, ['vulnerability.new']);
    const scoped = await as.patch('/api/v1/user/notifications', { scopes: [{ type: 'project', id: 999999 }] });
    assert.equal(scoped.status, 400);
    assert.equal(scoped.body.field, 'body/scopes/0');
  });

  test('finished deliveries, their attempts and dispatched events are purged after the retention period; pending ones stay', async () => {
    const db = use().kysely;
    const count = async (table: 'webhook_deliveries' | 'email_deliveries' | 'notification_events' | 'notification_attempts', finished: boolean | null = null) => {
      let query = db.selectFrom(table).select(db.fn.countAll<number>().as('n'));
      if (finished !== null && table !== 'notification_events' && table !== 'notification_attempts') query = query.where('status', finished ? 'in' : 'not in', ['delivered', 'failed']);
      return Number((await query.executeTakeFirstOrThrow()).n);
    };
    const finishedWebhooks = await count('webhook_deliveries', true);
    const pendingWebhooks = await count('webhook_deliveries', false);
    const finishedEmails = await count('email_deliveries', true);
    assert.ok(finishedWebhooks > 0 && finishedEmails > 0, 'the earlier tests left finished deliveries');
    assert.deepEqual(await purgeNotificationLogs(t.svc), { webhook: 0, email: 0, events: 0 }, 'nothing is old enough yet');
    t.clock.advance(120 * DAY);
    const purged = await purgeNotificationLogs(t.svc);
    assert.deepEqual([purged.webhook, purged.email], [finishedWebhooks, finishedEmails]);
    assert.ok(purged.events > 0);
    assert.equal(await count('webhook_deliveries'), pendingWebhooks);
    const orphans = await db.selectFrom('notification_attempts').select('id').where('channel', '=', 'webhook').where('delivery_id', 'not in', db.selectFrom('webhook_deliveries').select('id')).execute();
    assert.deepEqual(orphans, []);
  });
});
