import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createMigratedDatabase } from '../support/databases.js';
import { caller, makeToken, makeUser, startTestApp, type Caller, type TestApp } from '../support/app.js';
import type { Db } from '../../src/platform/db/connect.js';

/**
 * The AI assist against a real OpenAI-compatible endpoint on loopback: what Vigil sends is captured and searched for
 * the secrets the finding's code and description hold. None may leave.
 */
const SECRETS = [
  'AKIAIOSFODNN7EXAMPLE',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789AB',
  'hunter2-is-my-password',
  'xoxb-123456789012-abcdefghijkl',
  's3cr3t-db-pass',
];

const report = {
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'Semgrep', rules: [{ id: 'hardcoded-credentials', shortDescription: { text: 'Hard-coded credentials' }, properties: { tags: ['CWE-798: Use of Hard-coded Credentials'] } }] } },
      results: [
        {
          ruleId: 'hardcoded-credentials',
          level: 'error',
          message: { text: `Hard-coded credentials; the Slack token ${SECRETS[3]} is also in this file` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'app/settings.py' },
                region: {
                  startLine: 3,
                  snippet: { text: `AWS_KEY = "${SECRETS[0]}"\nGITHUB = '${SECRETS[1]}'\npassword = "${SECRETS[2]}"\nDB = "postgres://app:${SECRETS[4]}@db/app"` },
                },
              },
            },
          ],
        },
      ],
    },
  ],
};

let db: Db;
let server: http.Server;
const received: { body: string; authorization: string | undefined }[] = [];

before(async () => {
  db = await createMigratedDatabase('sqlite');
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      received.push({ body, authorization: request.headers.authorization });
      if (request.url !== '/v1/chat/completions' || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      const model = (JSON.parse(body) as { model: string }).model;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'x', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'Move the credentials to a secret store and rotate them.' }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.close();
});

async function appWith(env: Record<string, string>): Promise<{ t: TestApp; api: Caller; vulnerabilityId: number }> {
  const t = await startTestApp(db, env);
  const existing = await db.kysely.selectFrom('projects').select('id').where('full_path', '=', 'ai/app').executeTakeFirst();
  const token = await makeToken(t.svc, await makeUser(t.svc, `dev${existing ? 2 : 1}`, { admin: true }), ['read', 'write', 'admin']);
  const api = caller(t.app, { token });
  if (!existing) {
    await api.post('/api/v1/groups', { path: 'ai' });
    await api.post('/api/v1/groups/ai/projects', { path: 'app' });
    const upload = await api.post('/api/v1/projects/ai%2Fapp/scans?ref=main', report);
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
  }
  const list = await api.get('/api/v1/projects/ai%2Fapp/vulnerabilities');
  return { t, api, vulnerabilityId: list.body.items[0].id };
}

test('without VIGIL_LLM_URL and VIGIL_LLM_MODEL the assist is absent, not broken', async () => {
  const { t, api, vulnerabilityId } = await appWith({});
  try {
    const remediation = await api.get(`/api/v1/vulnerabilities/${vulnerabilityId}/remediation`);
    assert.equal(remediation.body.assist, false);
    const asked = await api.post(`/api/v1/vulnerabilities/${vulnerabilityId}/assist`, { kind: 'explain' });
    assert.equal(asked.status, 404);
    assert.match(asked.body.detail, /not configured/);
    assert.equal(received.length, 0, 'nothing was sent anywhere');
  } finally {
    await t.app.close();
  }
});

test('explain and fix go to the configured endpoint with the CWE guidance and the code — and no secret', async () => {
  const port = (server.address() as AddressInfo).port;
  const { t, api, vulnerabilityId } = await appWith({ VIGIL_LLM_URL: `http://127.0.0.1:${port}/v1`, VIGIL_LLM_MODEL: 'local-coder', VIGIL_LLM_API_KEY: 'llm-key' });
  try {
    assert.equal((await api.get(`/api/v1/vulnerabilities/${vulnerabilityId}/remediation`)).body.assist, true);
    for (const kind of ['explain', 'fix'] as const) {
      const asked = await api.post(`/api/v1/vulnerabilities/${vulnerabilityId}/assist`, { kind });
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      assert.equal(asked.body.answer, 'Move the credentials to a secret store and rotate them.');
      assert.match(asked.body.label, /^AI suggestion from local-coder/);
      const sent = received.at(-1)!;
      assert.equal(sent.authorization, 'Bearer llm-key');
      const request = JSON.parse(sent.body) as { model: string; messages: { role: string; content: string }[] };
      assert.equal(request.model, 'local-coder');
      // The prompt shown is the prompt sent.
      assert.deepEqual(asked.body.prompt, request.messages);
      const prompt = request.messages.map((m) => m.content).join('\n');
      assert.match(prompt, /CWE-798 Use of Hard-coded Credentials/);
      assert.match(prompt, /app\/settings\.py:3/);
      assert.match(prompt, /AWS_KEY = "\[REDACTED AWS access key\]"/);
      for (const secret of SECRETS) assert.ok(!sent.body.includes(secret), `${secret} left in the request`);
    }
    assert.equal(received.length, 2);
    const bad = await api.post(`/api/v1/vulnerabilities/${vulnerabilityId}/assist`, { kind: 'rewrite' });
    assert.equal(bad.status, 400);
  } finally {
    await t.app.close();
  }
});
