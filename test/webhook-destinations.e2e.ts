import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Db } from '@app/core';
import { WebhooksService } from '@app/notifications';
import { SignedIn, TestContext } from '@app/testing';

/**
 * R-NOT: a webhook is a request the service's worker sends from inside the hosting network to a URL a
 * tenant chose. It may not reach the service's own network (loopback, link-local cloud metadata,
 * private ranges) unless the operator lists that network in WEBHOOK_ALLOWED_NETWORKS.
 */
describe('R-NOT webhooks of a hosting that allows no network but public ones', () => {
  let ctx: TestContext;
  let dsi: SignedIn;

  beforeAll(async () => {
    ctx = await TestContext.start({ env: { WEBHOOK_ALLOWED_NETWORKS: '' } });
    ({ dsi } = await ctx.tenantWithDsi());
  });
  afterAll(() => ctx?.close());

  it('R-NOT without an allowed network, a subscription to a loopback, metadata or private address is a 400 naming the url, and nothing is stored', async () => {
    const before = (await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhooks`))[0].n;
    const refused: [string, RegExp][] = [
      ['http://127.0.0.1:8080/hook', /loopback/],
      ['http://localhost:8080/hook', /loopback/],
      ['http://[::1]/hook', /loopback/],
      ['http://[::ffff:127.0.0.1]/hook', /loopback/],
      // R-INT IPv6 forms carrying an IPv4 address: translated, local NAT64, 6to4, NAT64, Teredo.
      ['http://[::ffff:0:7f00:1]/hook', /carries 127\.0\.0\.1: .*loopback/],
      ['http://[64:ff9b:1::7f00:1]/hook', /carries 127\.0\.0\.1: .*loopback/],
      ['http://[2002:7f00:1::]/hook', /carries 127\.0\.0\.1: .*loopback/],
      ['http://[64:ff9b::a9fe:a9fe]/latest/meta-data/', /carries 169\.254\.169\.254: .*link-local/],
      ['http://[2001:0:4136:e378:8000:63bf:f5ff:fffa]/hook', /carries 10\.0\.0\.5: .*private/],
      ['http://169.254.169.254/latest/meta-data/iam/', /link-local/],
      ['https://10.0.0.5/siem', /private/],
      ['https://192.168.1.20/siem', /private/],
    ];
    for (const [url, reason] of refused) {
      const res = await ctx.http.post('/v1/webhooks').set(dsi.auth).send({ url, events: ['anomaly.detected'] });
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringMatching(reason) }]);
    }
    expect((await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhooks`))[0].n).toBe(before);
    // A public host name is accepted: it is checked each time it is resolved, at delivery.
    await ctx.http.post('/v1/webhooks').set(dsi.auth).send({ url: 'https://siem.hospital.example/hook', events: ['anomaly.detected'] }).expect(201);
  });
});

describe('R-NOT webhooks reach the service\'s own network only when the worker\'s operator allows it', () => {
  let ctx: TestContext;
  let tenantId: string;
  let dsi: SignedIn;
  let server: Server;
  let hits = 0;
  let port = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits += 1;
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    // The API of a hosting that allows its loopback (to subscribe), the worker of one that does not.
    ctx = await TestContext.start({ env: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' } });
    await ctx.startWorker({ WEBHOOK_ALLOWED_NETWORKS: '' });
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
  });
  afterAll(async () => {
    await ctx?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('R-NOT a worker that does not allow the network refuses to connect, by address or by a name resolving to it; each attempt logs why and the receiver gets nothing', async () => {
    const byAddress = await ctx.http.post('/v1/webhooks').set(dsi.auth)
      .send({ url: `http://127.0.0.1:${port}/by-address`, events: ['account.suspended'] }).expect(201).then((r) => r.body);
    const byName = await ctx.http.post('/v1/webhooks').set(dsi.auth)
      .send({ url: `http://localhost:${port}/by-name`, events: ['account.suspended'] }).expect(201).then((r) => r.body);
    const embedded = await ctx.http.post('/v1/webhooks').set(dsi.auth)
      .send({ url: `http://[::ffff:0:7f00:1]:${port}/embedded`, events: ['account.suspended'] }).expect(201).then((r) => r.body);
    await ctx.api.get(Db).transaction(() => ctx.api.get(WebhooksService).publish(tenantId, 'account.suspended', { accountId: 'a-1' }));

    const attempts = async (id: string) =>
      (await ctx.http.get(`/v1/webhooks/${id}/deliveries`).set(dsi.auth).expect(200)).body.items as { ok: boolean; statusCode: number | null; error: string }[];
    const deadline = Date.now() + 15_000;
    const tried = async (id: string) => (await attempts(id)).length >= 2;
    while (Date.now() < deadline && !((await tried(byAddress.id)) && (await tried(byName.id)) && (await tried(embedded.id)))) {
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const attempt of await attempts(byAddress.id)) {
      expect(attempt).toMatchObject({ ok: false, statusCode: null, error: 'destination refused: 127.0.0.1 is a loopback address, not in WEBHOOK_ALLOWED_NETWORKS' });
    }
    const named = await attempts(byName.id);
    expect(named.length).toBeGreaterThanOrEqual(2);
    for (const attempt of named) {
      expect(attempt).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/^destination refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback address/) });
    }
    expect((await attempts(embedded.id)).length).toBeGreaterThanOrEqual(2);
    for (const attempt of await attempts(embedded.id)) {
      expect(attempt).toMatchObject({ ok: false, statusCode: null, error: 'destination refused: ::ffff:0:7f00:1 carries 127.0.0.1: 127.0.0.1 is a loopback address, not in WEBHOOK_ALLOWED_NETWORKS' });
    }
    expect(hits).toBe(0);
  });
});
