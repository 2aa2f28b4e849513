import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../config.js';

/**
 * Where an action may send a request. Loopback, link-local, cloud metadata, private and
 * unspecified addresses are fenced unless `egress.allow` in LIFEBOAT_CONFIG names them (a CIDR,
 * an address or a host name): the bot holds every cluster's credentials, and a URL typed into a
 * param must not turn it into a proxy to its own metadata service or the private network.
 */
export type Egress = {
  /** The address to connect to, checked and pinned; why the request is refused; or the DNS error code. */
  resolve(url: URL): Promise<Pinned | { readonly refused: string } | { readonly unresolved: string }>;
};

export type Pinned = { readonly address: string; readonly family: 4 | 6 };

type Subnet = readonly [network: string, prefix: number, family: 'ipv4' | 'ipv6'];

/** Most specific first, so 169.254.169.254 reads "metadata" rather than "link-local". */
const FENCED: readonly { readonly what: string; readonly subnets: readonly Subnet[] }[] = [
  {
    what: 'a cloud metadata address',
    subnets: [
      ['169.254.169.254', 32, 'ipv4'],
      ['169.254.170.2', 32, 'ipv4'], // ECS task metadata
      ['fd00:ec2::254', 128, 'ipv6'],
    ],
  },
  {
    what: 'a loopback address',
    subnets: [
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ],
  },
  {
    what: 'a link-local address',
    subnets: [
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ],
  },
  {
    what: 'a private address',
    subnets: [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ],
  },
  {
    what: 'an unspecified address',
    subnets: [
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ],
  },
  {
    what: 'a multicast or reserved address',
    subnets: [
      ['224.0.0.0', 3, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ],
  },
];

/** Names that reach a metadata service whatever DNS answers. */
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

const fenced = FENCED.map(({ what, subnets }) => {
  const list = new BlockList();
  for (const [network, prefix, family] of subnets) list.addSubnet(network, prefix, family);
  return { what, list };
});

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** Why an address is fenced; IPv4-mapped IPv6 (::ffff:a9fe:a9fe) is checked as the IPv4 address it is. */
export function fencedBecause(address: string): string | undefined {
  return fenced.find(({ list }) => list.check(address, familyOf(address)))?.what;
}

/** Reads `egress.allow`: CIDRs (10.1.0.0/16, fd00::/8), addresses, or host names (matched exactly). */
export function egressFence(
  allow: readonly string[],
  resolveAll: (host: string) => Promise<readonly { address: string; family: number }[]> = (host) =>
    lookup(host, { all: true, verbatim: true }),
): Egress {
  const allowed = new BlockList();
  const names = new Set<string>();
  for (const entry of allow) {
    const [network = '', prefix, ...rest] = entry.split('/');
    const family = isIP(network);
    if (family !== 0 && rest.length === 0) {
      const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128))
        throw new ConfigError(`LIFEBOAT_CONFIG: egress.allow: "${entry}" has a bad prefix length`);
      allowed.addSubnet(network, bits, family === 4 ? 'ipv4' : 'ipv6');
    } else if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(entry)) names.add(entry.toLowerCase());
    else
      throw new ConfigError(
        `LIFEBOAT_CONFIG: egress.allow: "${entry}" is neither a CIDR, an address nor a host name`,
      );
  }
  const hint = (what: string, example: string): string =>
    `${what}; if the runbook really needs it, add it to egress.allow in LIFEBOAT_CONFIG (e.g. "${example}")`;
  return {
    async resolve(url) {
      // WHATWG URL has already turned 0xa9fea9fe, 2852039166 and 0251.0376.0251.0376 into 169.254.169.254.
      const host = url.hostname
        .replace(/^\[(.*)\]$/, '$1')
        .replace(/\.$/, '')
        .toLowerCase();
      const byName = names.has(host);
      if (METADATA_NAMES.has(host) && !byName)
        return { refused: hint(`refused: ${host} is a cloud metadata service`, host) };
      let addresses: readonly { address: string; family: number }[];
      try {
        addresses = isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : await resolveAll(host);
      } catch (error) {
        // Not a refusal: a name that does not resolve yet (DNS still failing over) may resolve on the next attempt.
        return { unresolved: (error as { code?: string }).code ?? 'ENOTFOUND' };
      }
      // Every answer is checked, not only the first: a name with one public and one internal address is refused.
      for (const { address } of addresses) {
        const why = fencedBecause(address);
        if (why && !byName && !allowed.check(address, familyOf(address))) {
          const named = host === address ? address : `${host} (${address})`;
          return {
            refused: hint(
              `refused: ${named} is ${why}`,
              familyOf(address) === 'ipv4' ? `${address}/32` : `${address}/128`,
            ),
          };
        }
      }
      const [first] = addresses;
      if (!first) return { unresolved: 'ENOTFOUND' };
      return { address: first.address, family: first.family === 6 ? 6 : 4 };
    },
  };
}

/** A `lookup` for http.request that answers only the checked address, so DNS cannot change it between check and connect. */
export function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}
