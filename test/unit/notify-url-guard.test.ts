import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressProblem, resolveWebhookUrl, UrlRefused, type Lookup } from '../../src/notify/url-guard.js';

/** DNS as a table, so the guard is tested without the network. */
const dns = (table: Record<string, string[]>): Lookup => async (host) => {
  const addresses = table[host];
  if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const lookup = dns({
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'metadata.google.internal': ['169.254.169.254'],
  'mixed.example.com': ['93.184.215.14', '10.1.2.3'],
  localhost: ['127.0.0.1', '::1'],
  'hooks.internal': ['10.20.30.40'],
});

async function refused(url: string, reason: RegExp, allow: string[] = []): Promise<void> {
  await assert.rejects(resolveWebhookUrl(url, allow, lookup), (error: unknown) => {
    assert.ok(error instanceof UrlRefused, String(error));
    assert.match(error.message, reason);
    return true;
  });
}

describe('addressProblem', () => {
  test('public addresses pass', () => {
    for (const ip of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']) assert.equal(addressProblem(ip), null, ip);
  });

  test('loopback, private, link-local, unspecified, multicast and metadata addresses are named', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'a loopback address (127.0.0.0/8)'],
      ['127.255.0.9', 'a loopback address (127.0.0.0/8)'],
      ['10.0.0.1', 'a private address (10.0.0.0/8)'],
      ['172.16.0.1', 'a private address (172.16.0.0/12)'],
      ['172.31.255.255', 'a private address (172.16.0.0/12)'],
      ['192.168.1.1', 'a private address (192.168.0.0/16)'],
      ['100.64.0.1', 'a carrier-grade NAT address (100.64.0.0/10)'],
      ['169.254.1.1', 'a link-local address (169.254.0.0/16)'],
      ['169.254.169.254', 'a cloud metadata address'],
      ['100.100.100.200', 'a cloud metadata address'],
      ['0.0.0.0', 'an unspecified ("this network") address (0.0.0.0/8)'],
      ['224.0.0.1', 'a multicast address (224.0.0.0/4)'],
      ['255.255.255.255', 'a reserved or broadcast address (240.0.0.0/4)'],
      ['::', 'the unspecified address (::)'],
      ['::1', 'the loopback address (::1)'],
      ['fe80::1', 'a link-local address (fe80::/10)'],
      ['fd12:3456::1', 'a unique local (private) address (fc00::/7)'],
      ['fd00:ec2::254', 'a cloud metadata address'],
      ['ff02::1', 'a multicast address (ff00::/8)'],
      // IPv4-mapped IPv6 reaches the IPv4 address: judged as that address.
      ['::ffff:169.254.169.254', 'a cloud metadata address'],
      ['::ffff:10.0.0.1', 'a private address (10.0.0.0/8)'],
      ['::ffff:a9fe:a9fe', 'a cloud metadata address'],
      ['::ffff:7f00:1', 'a loopback address (127.0.0.0/8)'],
      ['::a00:1', 'an IPv4-compatible address (::/96, deprecated)'],
    ];
    for (const [ip, reason] of cases) assert.equal(addressProblem(ip), reason, ip);
  });
});

describe('resolveWebhookUrl', () => {
  test('IPv6 forms that carry an IPv4 address are judged by it: mapped, NAT64, 6to4; and the documentation ranges', () => {
    assert.equal(addressProblem('64:ff9b::a00:5'), 'a private address (10.0.0.0/8)');
    assert.equal(addressProblem('64:ff9b::169.254.169.254'), 'a cloud metadata address');
    assert.equal(addressProblem('64:ff9b:1::a00:5'), 'a private address (10.0.0.0/8)');
    assert.equal(addressProblem('2002:a9fe:a9fe::1'), 'a cloud metadata address');
    assert.equal(addressProblem('::ffff:7f00:1'), 'a loopback address (127.0.0.0/8)');
    assert.equal(addressProblem('198.18.0.1'), 'a benchmarking address (198.18.0.0/15)');
    assert.equal(addressProblem('2001:db8::1'), 'a documentation address (2001:db8::/32)');
    assert.equal(addressProblem('64:ff9b::808:808'), null, '8.8.8.8 through NAT64 is public');
    assert.equal(addressProblem('2606:4700:4700::1111'), null);
  });

  test('a public https URL resolves to every address of its host', async () => {
    const target = await resolveWebhookUrl('https://hooks.example.com/vigil?x=1', [], lookup);
    assert.equal(target.url.toString(), 'https://hooks.example.com/vigil?x=1');
    assert.deepEqual(target.addresses, [
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
  });

  test('only http and https, without credentials', async () => {
    await refused('ftp://x/', /^must use http or https, not ftp$/);
    await refused('file:///etc/passwd', /^must use http or https, not file$/);
    await refused('gopher://hooks.example.com/', /not gopher$/);
    await refused('not a url', /^is not a valid URL$/);
    await refused('https://u:p@hooks.example.com/', /must not contain a user name or password/);
  });

  test('literal and resolved internal addresses are refused with the reason', async () => {
    await refused('http://169.254.169.254/latest/meta-data/', /^169\.254\.169\.254 is a cloud metadata address: webhooks may not reach it \(an administrator can allow the host with VIGIL_WEBHOOK_ALLOW_HOSTS\)$/);
    await refused('http://metadata.google.internal/computeMetadata/v1/', /^metadata\.google\.internal resolves to an address that is a cloud metadata address/);
    await refused('http://10.0.0.1', /^10\.0\.0\.1 is a private address \(10\.0\.0\.0\/8\)/);
    await refused('http://localhost:8080/', /^localhost resolves to an address that is a loopback address \(127\.0\.0\.0\/8\)/);
    await refused('http://[::1]:8080/', /^::1 is the loopback address/);
    await refused('http://[::ffff:a9fe:a9fe]/', /is a cloud metadata address/);
    // One bad address among good ones is enough: the connection could go to any of them.
    await refused('https://mixed.example.com/', /^mixed\.example\.com resolves to an address that is a private address/);
    await refused('https://nowhere.example.com/', /^host nowhere\.example\.com does not resolve \(ENOTFOUND\)$/);
  });

  test('the allow-list lets named hosts, addresses and ports through, and nothing else', async () => {
    assert.equal((await resolveWebhookUrl('http://127.0.0.1:9999/hook', ['127.0.0.1'], lookup)).addresses[0]!.address, '127.0.0.1');
    assert.ok(await resolveWebhookUrl('https://hooks.internal:8443/', ['hooks.internal:8443'], lookup));
    await refused('https://hooks.internal:9443/', /hooks\.internal resolves to an address that is a private address/, ['hooks.internal:8443']);
    assert.ok(await resolveWebhookUrl('http://[::1]/', ['[::1]'], lookup));
    // Allowing 127.0.0.1 does not allow localhost's ::1.
    await refused('http://localhost/', /resolves to an address that is the loopback address/, ['127.0.0.1']);
    assert.ok(await resolveWebhookUrl('http://localhost/', ['localhost'], lookup));
    await refused('http://10.0.0.1/', /private address/, ['127.0.0.1']);
  });
});
