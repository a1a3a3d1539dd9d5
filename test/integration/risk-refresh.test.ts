import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { HOUR } from '../../src/platform/clock.js';
import { refreshDue, refreshFeeds } from '../../src/risk/feeds/refresh.js';
import { feedStatus } from '../../src/risk/feeds/status.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { EPSS_EXCERPT } from '../support/fixtures.js';
import { freePort } from '../support/net.js';

test('a feed is due when never tried, after its period, or an hour after a failed attempt', () => {
  const now = new Date('2026-10-02T12:00:00Z');
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR).toISOString();
  assert.equal(refreshDue(null, now, 24), true);
  assert.equal(refreshDue({ status: 'complete', startedAt: at(23) }, now, 24), false);
  assert.equal(refreshDue({ status: 'unchanged', startedAt: at(24) }, now, 24), true);
  assert.equal(refreshDue({ status: 'rejected', startedAt: at(0.5) }, now, 24), false);
  assert.equal(refreshDue({ status: 'rejected', startedAt: at(1) }, now, 24), true);
});

describeEachDatabase('scheduled feed refresh', (use) => {
  let t: TestApp;
  let server: http.Server;
  let kevStatus = 500;
  const requests: string[] = [];

  before(async () => {
    const port = await freePort();
    server = http.createServer((request, response) => {
      requests.push(request.url!);
      if (request.url === '/epss.csv') {
        response.writeHead(200);
        response.end(fs.readFileSync(EPSS_EXCERPT));
      } else {
        response.writeHead(kevStatus);
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    t = await startTestApp(use(), { VIGIL_EPSS_URL: `http://127.0.0.1:${port}/epss.csv`, VIGIL_KEV_URL: `http://127.0.0.1:${port}/kev.json`, VIGIL_FEED_REFRESH_HOURS: '24' });
    t.clock.set('2026-09-30T00:00:00Z');
  });
  after(async () => {
    await t.app.close();
    server.close();
  });

  test('imports what is due, skips what is fresh, retries a failed download after an hour (simulated time)', async () => {
    const first = await refreshFeeds(t.svc);
    assert.deepEqual(first.map((i) => [i.feed, i.status, i.rows, i.actor]), [['epss', 'complete', 5808, 'scheduled refresh']]);
    assert.deepEqual(requests, ['/epss.csv', '/kev.json']);

    t.clock.advance(30 * 60 * 1000);
    assert.deepEqual(await refreshFeeds(t.svc), []);
    assert.equal(requests.length, 2, 'nothing is due half an hour later');

    t.clock.advance(30 * 60 * 1000);
    kevStatus = 404;
    assert.deepEqual(await refreshFeeds(t.svc), []);
    assert.deepEqual(requests.slice(2), ['/kev.json'], 'the failed KEV download is retried after an hour, EPSS is still fresh');

    t.clock.advance(24 * HOUR);
    const later = await refreshFeeds(t.svc);
    assert.deepEqual(later.map((i) => [i.feed, i.status]), [['epss', 'unchanged']]);
    // The status every signed-in user reads names the mirror, never the credentials it may need.
    const withCredentials = { ...t.svc, config: { ...t.svc.config, epssUrl: 'https://svc:Tok3n@mirror.example/epss.csv.gz' } };
    assert.equal((await feedStatus(withCredentials, 'epss')).refreshUrl, 'https://mirror.example/epss.csv.gz');
    const attempts = await use().kysely.selectFrom('feed_imports').select(['feed', 'status']).orderBy('id').execute();
    assert.deepEqual(attempts.map((a) => `${a.feed}:${a.status}`), ['epss:complete', 'kev:rejected', 'kev:rejected', 'epss:unchanged', 'kev:rejected']);
  });
});
