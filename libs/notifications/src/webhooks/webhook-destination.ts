import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { parseNetwork } from '@app/core';

/**
 * Where a webhook may POST (R-NOT, docs/security.md "Webhook destinations"): the worker posts from inside the hosting
 * network, so addresses that are not public are refused unless their network is in WEBHOOK_ALLOWED_NETWORKS.
 */
const NOT_PUBLIC: [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const RANGES = NOT_PUBLIC.map(([network, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { family, kind, list };
});

/** Thrown (and recorded as the attempt's error) when a destination is not allowed. */
export class WebhookDestinationRefused extends Error {
  readonly code = 'WEBHOOK_DESTINATION_REFUSED';
}

export class WebhookDestinations {
  private readonly allowed = new BlockList();

  /** `allowedNetworks`: CIDRs (or single addresses) the operator lets webhooks reach although they are not public. */
  constructor(readonly allowedNetworks: readonly string[]) {
    for (const network of allowedNetworks) {
      const parsed = parseNetwork(network);
      if (!parsed) throw new Error(`Not a network: ${network}`);
      this.allowed.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  /** Why a webhook may not reach this IP address, or null when it may. */
  refusal(address: string): string | null {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(address, family)) return null;
    const range = RANGES.find((r) => r.family === family && r.list.check(address, family));
    if (range) return `${address} is a ${range.kind} address, not in WEBHOOK_ALLOWED_NETWORKS`;
    if (family === 'ipv4') return null;
    // R-NOT an IPv6 address that carries an IPv4 address reaches it: judged as that IPv4 address.
    for (const ipv4 of embeddedIpv4(address)) {
      const refused = this.refusal(ipv4);
      if (refused) return `${address} carries ${ipv4}: ${refused}`;
    }
    return null;
  }

  /**
   * At subscription: a URL whose host is an address (or `localhost`) that may not be reached is refused
   * at once. A host name is checked each time it is resolved, at delivery (see `lookup`).
   */
  refusalForUrl(url: string): string | null {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
    if (isIP(host)) return this.refusal(host);
    if (host === 'localhost' || host.endsWith('.localhost')) return this.refusal('127.0.0.1');
    return null;
  }

  /**
   * A `lookup` for node:http that refuses a name resolving to any address that may not be reached. The
   * check happens on the addresses the connection will use, so a name that changes its answer between
   * subscription and delivery (DNS rebinding) is still caught.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family ?? 0;
    dnsLookup(hostname, { family, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const refused = addresses.map((a) => this.refusal(a.address)).find((r) => r !== null);
      if (refused) return callback(new WebhookDestinationRefused(`${hostname} resolves to ${refused}`), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail read as two groups). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const [first, last] = [groups(head), groups(tail)];
  return [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}

const dotted = (bytes: number[]) => bytes.join('.');
const bytesOf = (groups: number[]) => groups.flatMap((g) => [g >> 8, g & 255]);
const zero = (groups: number[]) => groups.every((g) => g === 0);

/**
 * The IPv4 addresses an IPv6 address reaches: IPv4-mapped (::ffff:0:0/96), IPv4-translated (::ffff:0:0:0/96),
 * IPv4-compatible (::/96), NAT64 (64:ff9b::/96, and 64:ff9b:1::/48 at every RFC 6052 prefix length, since
 * the operator's is unknown), 6to4 (2002::/16) and Teredo (2001::/32, the client's address inverted).
 */
export function embeddedIpv4(address: string): string[] {
  const g = ipv6Groups(address);
  const last32 = dotted(bytesOf(g.slice(6)));
  if (zero(g.slice(0, 5)) && g[5] === 0xffff) return [last32];
  if (zero(g.slice(0, 4)) && g[4] === 0xffff && g[5] === 0) return [last32];
  if (zero(g.slice(0, 6))) return [last32];
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(g.slice(2, 6))) return [last32];
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return localNat64(bytesOf(g));
  if (g[0] === 0x2002) return [dotted(bytesOf(g.slice(1, 3)))];
  if (g[0] === 0x2001 && g[1] === 0) return [dotted(bytesOf(g.slice(6)).map((byte) => byte ^ 255))];
  return [];
}

/** RFC 6052 2.2: where the IPv4 address sits for each prefix length; byte 8 is never part of it, the suffix is zero. */
const NAT64_LAYOUTS: { at: number[]; zero: number[] }[] = [
  { at: [6, 7, 9, 10], zero: [8, 11, 12, 13, 14, 15] }, { at: [7, 9, 10, 11], zero: [8, 12, 13, 14, 15] },
  { at: [9, 10, 11, 12], zero: [8, 13, 14, 15] }, { at: [12, 13, 14, 15], zero: [] },
];

/** 64:ff9b:1::/48 is local: its prefix length is the operator's, so every layout the address fits is judged. */
function localNat64(bytes: number[]): string[] {
  const fits = NAT64_LAYOUTS.filter((l) => l.zero.every((i) => bytes[i] === 0)).map((l) => dotted(l.at.map((i) => bytes[i])));
  const carried = fits.filter((ipv4) => ipv4 !== '0.0.0.0');
  return carried.length > 0 ? carried : fits;
}
