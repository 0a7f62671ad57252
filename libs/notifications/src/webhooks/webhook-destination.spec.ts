import { ConfigError, parseConfig } from '@app/core';
import { WebhookDestinationRefused, WebhookDestinations } from './webhook-destination';

const required = { DATABASE_URL: 'postgres://localhost/x', APP_SECRET: 'a-secret-that-is-long-enough-0123456789' };

describe('R-NOT webhook destinations: nothing but public addresses unless the operator allows a network', () => {
  const none = new WebhookDestinations([]);

  it.each([
    ['127.0.0.1', 'loopback'], ['127.8.9.10', 'loopback'], ['::1', 'loopback'], ['169.254.169.254', 'link-local'],
    ['10.20.30.40', 'private'], ['172.31.255.1', 'private'], ['192.168.1.10', 'private'], ['100.64.0.1', 'shared'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'], ['fd12:3456::1', 'private'], ['fe80::1', 'link-local'],
    ['224.0.0.251', 'multicast'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:a9fe:a9fe', 'link-local'],
  ])('R-NOT %s is refused as %s', (address, kind) => {
    expect(none.refusal(address)).toContain(kind);
  });

  it.each([
    ['::ffff:0:7f00:1', 'IPv4-translated'], ['::ffff:7f00:1', 'IPv4-mapped'], ['::127.0.0.1', 'IPv4-compatible'],
    ['::a00:1', 'IPv4-compatible'],
    ['64:ff9b::a9fe:a9fe', 'NAT64'], ['64:ff9b:1::7f00:1', 'local NAT64, /96'], ['64:ff9b:1:7f00:0:100::', 'local NAT64, /48'],
    ['64:ff9b:1:ff7f:0:1::', 'local NAT64, /56'], ['64:ff9b:1:ffff:7f:0:100::', 'local NAT64, /64'], ['2002:7f00:1::', '6to4'],
    ['2002:a9fe:a9fe:1::5', '6to4'], ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo'],
  ])('R-INT R-NOT %s (%s) carries a refused IPv4 address and is refused as that address', (address) => {
    expect(none.refusal(address)).toMatch(/carries (\S+): \1 is a (loopback|private|link-local)/);
  });

  it.each([
    ['::ffff:0:5db8:d70e'], ['64:ff9b::5db8:d70e'], ['64:ff9b:1::5db8:d70e'], ['2002:5db8:d70e::1'],
    ['2001:0:4136:e378:8000:63bf:a247:28f1'],
  ])('R-INT R-NOT %s carries a public IPv4 address and is allowed', (address) => {
    expect(none.refusal(address)).toBeNull();
    expect(new WebhookDestinations(['127.0.0.0/8']).refusal('2002:7f00:1::')).toBeNull();
  });

  const PUBLIC = ['93.184.215.14', '2606:4700::6810:84e5', '172.32.0.1', '192.169.0.1', '::ffff:93.184.215.14'];
  it.each(PUBLIC)('R-NOT the public address %s is allowed', (address) => {
    expect(none.refusal(address)).toBeNull();
  });

  it('R-NOT an allowed network opens exactly that network', () => {
    const siem = new WebhookDestinations(['10.20.0.0/16', 'fd00:1::/32', '127.0.0.1']);
    expect(siem.refusal('10.20.5.6')).toBeNull();
    expect(siem.refusal('10.21.0.1')).toContain('private');
    expect(siem.refusal('fd00:1:2::3')).toBeNull();
    expect(siem.refusal('127.0.0.1')).toBeNull();
    expect(siem.refusal('127.0.0.2')).toContain('loopback');
  });

  it('R-NOT a subscription URL naming a refused address or localhost is refused; a host name waits for delivery', () => {
    expect(none.refusalForUrl('http://127.0.0.1:8080/hook')).toContain('loopback');
    expect(none.refusalForUrl('http://[::1]/hook')).toContain('loopback');
    expect(none.refusalForUrl('http://[::ffff:127.0.0.1]/hook')).toContain('loopback');
    for (const host of ['[::ffff:0:7f00:1]', '[64:ff9b:1::7f00:1]', '[2002:7f00:1::]']) {
      expect(none.refusalForUrl(`http://${host}/hook`)).toContain('loopback');
    }
    expect(none.refusalForUrl('http://LOCALHOST./hook')).toContain('loopback');
    expect(none.refusalForUrl('http://metrics.localhost/hook')).toContain('loopback');
    expect(none.refusalForUrl('https://169.254.169.254/latest/meta-data/')).toContain('link-local');
    expect(none.refusalForUrl('https://siem.hospital.example/hook')).toBeNull();
  });

  it('R-NOT a host name resolving to a refused address fails at lookup, so the connection is never opened', async () => {
    const error = await new Promise<Error | null>((resolve) => none.lookup('localhost', { all: true }, (e) => resolve(e)));
    expect(error).toBeInstanceOf(WebhookDestinationRefused);
    expect(error?.message).toMatch(/^localhost resolves to .* loopback address/);
    const allowed = new WebhookDestinations(['127.0.0.0/8', '::1']);
    const addresses = await new Promise((resolve, reject) => {
      allowed.lookup('localhost', { all: true }, (e, a) => (e ? reject(e) : resolve(a)));
    });
    expect(addresses).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.|::1$)/) })]));
  });

  it('R-NOT WEBHOOK_ALLOWED_NETWORKS is read as a comma list and a wrong entry stops the boot, naming it', () => {
    expect(parseConfig(required).webhooks.allowedNetworks).toEqual([]);
    const { webhooks } = parseConfig({ ...required, WEBHOOK_ALLOWED_NETWORKS: ' 10.20.0.0/16, fd00::/8 ' });
    expect(webhooks.allowedNetworks).toEqual(['10.20.0.0/16', 'fd00::/8']);
    for (const wrong of ['10.0.0.0/33', 'siem.example', '10.0.0.0/8/1', '10.0.0/8', 'fd00::/129']) {
      expect(() => parseConfig({ ...required, WEBHOOK_ALLOWED_NETWORKS: wrong })).toThrow(ConfigError);
      const message = `WEBHOOK_ALLOWED_NETWORKS: not a CIDR network or address: ${wrong.replace(/[./]/g, '\\$&')}`;
      expect(() => parseConfig({ ...required, WEBHOOK_ALLOWED_NETWORKS: wrong })).toThrow(new RegExp(message));
    }
  });
});
