import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { parseNetwork } from '@app/core';

/**
 * Where a webhook may POST (R-NOT, docs/security.md "Webhook destinations"). A tenant's DSI chooses the
 * URL, the service's worker sends the request from inside the hosting network: without this rule a
 * webhook could reach what only the service should (the cloud metadata address, the database, Redis,
 * the metrics port, an administration page on the LAN). Addresses that are not public are refused
 * unless the operator allows their network (WEBHOOK_ALLOWED_NETWORKS), e.g. the hospital's SIEM on
 * 10.20.0.0/16 when the service is hosted inside the hospital.
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
  ['::', 96, 'ipv6', 'IPv4-compatible (deprecated)'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64 (an IPv4 address behind it)'],
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
    const mapped = family === 'ipv6' ? ipv4Mapped(address) : null;
    if (mapped) return this.refusal(mapped);
    if (this.allowed.check(address, family)) return null;
    const range = RANGES.find((r) => r.family === family && r.list.check(address, family));
    return range ? `${address} is a ${range.kind} address, not in WEBHOOK_ALLOWED_NETWORKS` : null;
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

/** `::ffff:127.0.0.1` reaches 127.0.0.1: judged as that IPv4 address. */
function ipv4Mapped(address: string): string | null {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match) return match[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}
