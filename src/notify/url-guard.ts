import dns from 'node:dns/promises';
import net from 'node:net';

/**
 * Webhook URLs are chosen by project maintainers, but requests leave from the Vigil server: without a guard a
 * webhook could read the cloud metadata service or probe the internal network (SSRF). Only http(s) is allowed, and
 * every address the host resolves to must be public, unless the host is on VIGIL_WEBHOOK_ALLOW_HOSTS. The addresses
 * checked are the ones connected to (see webhook-http.ts), so DNS cannot change between the check and the request.
 */
export class UrlRefused extends Error {}

export interface ResolvedTarget {
  url: URL;
  addresses: { address: string; family: 4 | 6 }[];
}

export type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** Instance metadata services: named apart because they hold cloud credentials. */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

const RANGES: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'an unspecified ("this network") address (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'ipv4', 'a private address (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'ipv4', 'a carrier-grade NAT address (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'ipv4', 'a private address (172.16.0.0/12)'],
  ['192.168.0.0', 16, 'ipv4', 'a private address (192.168.0.0/16)'],
  ['192.0.0.0', 24, 'ipv4', 'an IETF protocol assignment (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation address (192.0.2.0/24)'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation address (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation address (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved or broadcast address (240.0.0.0/4)'],
  ['::', 128, 'ipv6', 'the unspecified address (::)'],
  ['::1', 128, 'ipv6', 'the loopback address (::1)'],
  ['::', 96, 'ipv6', 'an IPv4-compatible address (::/96, deprecated)'],
  ['fe80::', 10, 'ipv6', 'a link-local address (fe80::/10)'],
  ['fc00::', 7, 'ipv6', 'a unique local (private) address (fc00::/7)'],
  ['ff00::', 8, 'ipv6', 'a multicast address (ff00::/8)'],
  ['2001:db8::', 32, 'ipv6', 'a documentation address (2001:db8::/32)'],
];

const ranges = RANGES.map(([network, prefix, type, reason]) => {
  const list = new net.BlockList();
  list.addSubnet(network, prefix, type);
  return { list, type, reason };
});

/**
 * IPv6 addresses that carry an IPv4 one reach it: `::ffff:10.0.0.1` (mapped), `64:ff9b::a00:1` and `64:ff9b:1::…`
 * (NAT64, on IPv6-only networks), `2002:a00:1::` (6to4). Judge the IPv4 address they carry.
 */
function unmapped(address: string): string {
  if (!net.isIPv6(address)) return address;
  const words = expand(address);
  const v4 = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255].join('.');
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return v4(words[6]!, words[7]!);
  if (words[0] === 0x64 && words[1] === 0xff9b && (words.slice(2, 6).every((w) => w === 0) || words[2] === 1)) return v4(words[6]!, words[7]!);
  if (words[0] === 0x2002) return v4(words[1]!, words[2]!);
  return address;
}

/** The eight 16-bit words of an IPv6 address (a trailing dotted IPv4 part included). */
function expand(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((w) => parseInt(w, 16));
}

/** Why webhooks may not reach this IP address, or null when it is a public address. */
export function addressProblem(ip: string): string | null {
  const address = unmapped(ip).toLowerCase();
  const type = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
  if (!type) return 'not an IP address';
  if (METADATA.has(address)) return 'a cloud metadata address';
  return ranges.find((r) => r.type === type && r.list.check(address, type))?.reason ?? null;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** An allow-list entry is `host` (any port) or `host:port`; IPv6 hosts in brackets. */
function allowed(allow: readonly string[], host: string, port: string): boolean {
  const bracketed = net.isIPv6(host) ? `[${host}]` : host;
  return allow.includes(bracketed) || allow.includes(`${bracketed}:${port}`);
}

/** Checks a webhook URL and resolves it to the addresses a request may connect to; throws UrlRefused saying why. */
export async function resolveWebhookUrl(raw: string, allow: readonly string[], lookup: Lookup = systemLookup): Promise<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefused('is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefused(`must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username || url.password) throw new UrlRefused('must not contain a user name or password (receivers authenticate Vigil by the signature)');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = defaultPort(url);
  const literal = net.isIP(host);
  let addresses: { address: string; family: number }[];
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await lookup(host);
    } catch (error) {
      throw new UrlRefused(`host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    if (addresses.length === 0) throw new UrlRefused(`host ${host} does not resolve`);
  }
  if (!allowed(allow, host, port)) {
    for (const { address } of addresses) {
      const problem = addressProblem(address);
      if (problem && !allowed(allow, unmapped(address).toLowerCase(), port)) {
        // The resolved address is not repeated: the message would map internal names to internal addresses.
        const what = literal ? address : `${host} resolves to an address that`;
        throw new UrlRefused(`${what} is ${problem}: webhooks may not reach it (an administrator can allow the host with VIGIL_WEBHOOK_ALLOW_HOSTS)`);
      }
    }
  }
  return { url, addresses: addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
}
