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
    await ctx.api.get(Db).transaction(() => ctx.api.get(WebhooksService).publish(tenantId, 'account.suspended', { accountId: 'a-1' }));

    const attempts = async (id: string) =>
      (await ctx.http.get(`/v1/webhooks/${id}/deliveries`).set(dsi.auth).expect(200)).body.items as { ok: boolean; statusCode: number | null; error: string }[];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && ((await attempts(byAddress.id)).length < 2 || (await attempts(byName.id)).length < 2)) {
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
    expect(hits).toBe(0);
  });
});
