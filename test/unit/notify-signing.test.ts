import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { backoffAfter } from '../../src/notify/delivery-queue.js';
import { maskSecret, newWebhookSecret, signature, verifySignature } from '../../src/notify/signing.js';
import { escapeHtml, eventEmail } from '../../src/notify/email-content.js';
import { webhookBody } from '../../src/notify/webhook-payload.js';

const at = new Date('2026-03-01T09:00:00.000Z');
const ts = at.getTime() / 1000;

describe('webhook signatures', () => {
  test('sha256= HMAC of "<timestamp>.<body>" with the secret, as receivers recompute it', () => {
    const body = '{"event":"scan.completed"}';
    const expected = createHmac('sha256', 'whsec_test').update(`${ts}.${body}`).digest('hex');
    assert.equal(signature('whsec_test', ts, body), `sha256=${expected}`);
    assert.equal(signature('whsec_test', ts, body), 'sha256=' + createHmac('sha256', 'whsec_test').update(`${ts}.{"event":"scan.completed"}`).digest('hex'));
  });

  test('verification needs the right secret, the exact body and a timestamp inside five minutes', () => {
    const body = '{"a":1}';
    const headers = { signature: signature('s3cret', ts, body), timestamp: String(ts) };
    assert.equal(verifySignature('s3cret', headers, body, at), true);
    assert.equal(verifySignature('s3cret', headers, body, new Date(at.getTime() + 299_000)), true);
    assert.equal(verifySignature('s3cret', headers, body, new Date(at.getTime() + 301_000)), false);
    assert.equal(verifySignature('other', headers, body, at), false);
    assert.equal(verifySignature('s3cret', headers, '{"a": 1}', at), false);
    // The timestamp is signed: moving it forward breaks the signature.
    assert.equal(verifySignature('s3cret', { ...headers, timestamp: String(ts + 60) }, body, at), false);
    assert.equal(verifySignature('s3cret', { signature: undefined, timestamp: String(ts) }, body, at), false);
  });

  test('secrets are 256 random bits; the masked form shows only the last four characters', () => {
    const secret = newWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(newWebhookSecret(), secret);
    assert.equal(maskSecret(secret), `whsec_…${secret.slice(-4)}`);
  });
});

describe('retry backoff', () => {
  test('1 min, 5 min, 30 min, 2 h, then 12 h', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 9].map((n) => backoffAfter(n) / 60_000), [1, 5, 30, 120, 720, 720, 720]);
  });
});

describe('message bodies', () => {
  const event = {
    id: 5,
    kind: 'vulnerability.new',
    createdAt: '2026-03-01T09:00:00.000Z',
    payload: { project: { id: 1, path: 'acme/api' }, count: 3, vulnerabilities: [{ id: 9, title: '<script>alert(1)</script> & co', severity: 'high', state: 'detected', primary_identifier: 'CWE-79' }] },
  };

  test('the vigil format is the event itself', () => {
    assert.deepEqual(JSON.parse(webhookBody('vigil', event, null)), { event: 'vulnerability.new', event_id: 5, created_at: '2026-03-01T09:00:00.000Z', ...event.payload });
  });

  test('the Slack format escapes mrkdwn and counts what it does not list', () => {
    const message = JSON.parse(webhookBody('slack', event, null));
    assert.equal(message.text, '3 new vulnerabilities in acme/api');
    assert.equal(message.blocks[1].text.text, '• [high] &lt;script&gt;alert(1)&lt;/script&gt; &amp; co (CWE-79)\n…and 2 more');
  });

  test('e-mail HTML escapes every value; the subject stays on one line', () => {
    const mail = eventEmail({ ...event, payload: { ...event.payload, project: { id: 1, path: 'acme/api\r\nBcc: x@evil' } } }, null);
    assert.equal(mail.subject, '[Vigil] 3 new vulnerabilities in acme/api Bcc: x@evil');
    assert.ok(mail.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co'));
    assert.ok(!mail.html.includes('<script>'));
    assert.equal(escapeHtml(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
  });
});
