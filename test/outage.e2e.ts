import { Client } from 'pg';
import type { Response } from 'supertest';
import { Role, runMigrations } from '@app/core';
import { MIGRATIONS } from '@app/migrations';
import { eventually, OwnPostgres, OwnRedis, SignedIn, SmtpReceiver, TEST_PASSWORD, TestContext } from '@app/testing';
import { advance, ConsoleRig, ensureConsoleBuilt, launchChromium, menu, openBrowser, serve, signInEnrolled, WEB_DIST } from './web/console-harness';

/**
 * R-INT honest answers in an outage: the API runs on a PostgreSQL and a Redis of this file's own, which
 * the tests stop and start (never the machine's). A client is told "unavailable, retry" (503 problem+json
 * with Retry-After), never "signed out" (401) nor "bug" (500), and everything works again without a restart.
 */
describe('R-INT honest answers while PostgreSQL or Redis is down', () => {
  let pg: OwnPostgres;
  let redis: OwnRedis;
  let ctx: TestContext;
  let tenantId: string;
  let dsi: SignedIn;
  let gatewayKey: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    [pg, redis] = await Promise.all([OwnPostgres.start(), OwnRedis.start()]);
    await pg.query('CREATE DATABASE prestagate');
    await runMigrations(pg.urlFor('prestagate'), MIGRATIONS);
    ctx = await TestContext.start({ databaseUrl: pg.urlFor('prestagate'), env: { REDIS_URL: redis.url, API_KEY_CACHE_MS: '0', WEB_DIR: WEB_DIST } });
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
    gatewayKey = (await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'bastion', scopes: ['decisions'] }).expect(201)).body.key;
  }, 240_000);

  afterAll(async () => {
    await ctx?.close();
    await pg?.destroy();
    await redis?.stop();
  });

  /** Runs `during` with the test's PostgreSQL stopped, then starts it again (the test's own connection is renewed). */
  async function postgresOutage(during: () => Promise<void>): Promise<void> {
    ctx.sql.on('error', () => undefined); // it dies with the server; the API's pool must cope on its own
    await pg.stop();
    try {
      await during();
    } finally {
      await pg.startServer();
      await ctx.sql.end().catch(() => undefined);
      ctx.sql = new Client({ connectionString: ctx.env.DATABASE_URL });
      await ctx.sql.connect();
    }
  }

  function expectUnavailable(res: Response): void {
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  }

  /** Nothing an unauthenticated caller reads names where the services live. */
  function expectNoAddress(res: Response): void {
    const text = JSON.stringify(res.body);
    for (const secret of ['127.0.0.1', String(pg.port), String(redis.port), 'ECONNREFUSED']) expect(text).not.toContain(secret);
  }

  it('R-INT a signed-in call during a PostgreSQL outage is a 503 with Retry-After, and the same token works after it', async () => {
    await ctx.http.get('/v1/me').set(dsi.auth).expect(200);
    await postgresOutage(async () => {
      for (let i = 0; i < 3; i++) expectUnavailable(await ctx.http.get('/v1/me').set(dsi.auth));
      expectUnavailable(await ctx.http.post('/v1/users').set(dsi.auth).send({ email: 'down@hospital.test', firstName: 'A', lastName: 'B', roles: [Role.Rssi] }));
    });
    const me = await ctx.http.get('/v1/me').set(dsi.auth).expect(200);
    expect(me.body.id).toBe(dsi.userId);
    await ctx.http.post('/v1/users').set(dsi.auth).send({ email: 'after@hospital.test', firstName: 'A', lastName: 'B', roles: [Role.Rssi] }).expect(201);
  });

  it('R-INT sign-in, token refresh and an access decision during a PostgreSQL outage are 503; the refresh token still works after it', async () => {
    const person = await ctx.signIn((await ctx.createUser({ tenantId: null, roles: [Role.PlatformAdmin] })).email);
    await postgresOutage(async () => {
      expectUnavailable(await ctx.http.post('/v1/auth/login').send({ email: person.email, password: 'Whatever-Password-1' }));
      expectUnavailable(await ctx.http.post('/v1/auth/refresh').send({ refreshToken: person.refreshToken }));
      expectUnavailable(await ctx.http.post('/v1/access-decisions').set('X-Api-Key', gatewayKey).send({ account: 'jdupont', resource: 'pacs' }));
    });
    await ctx.http.post('/v1/auth/refresh').send({ refreshToken: person.refreshToken }).expect(200);
    await ctx.http.post('/v1/auth/login').send({ email: person.email, password: TEST_PASSWORD }).expect(200);
    const decision = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', gatewayKey).send({ account: 'jdupont', resource: 'pacs' }).expect(200);
    expect(decision.body).toMatchObject({ decision: 'deny' });
  });

  it('R-INT during a PostgreSQL outage no operation of the OpenAPI document answers 401 or 500; every 5xx is a 503 with Retry-After', async () => {
    const doc = (await ctx.http.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({ method, path: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000') })));
    expect(operations.length).toBeGreaterThan(50);
    const answers: string[] = [];
    await postgresOutage(async () => {
      for (const { method, path } of operations) {
        const res = await ctx.http[method as 'get'](path).set(dsi.auth).send({});
        answers.push(`${res.status} ${method.toUpperCase()} ${path}`);
        if (res.status >= 500 || res.status === 401) expectUnavailable(res);
      }
    });
    expect(answers.filter((a) => /^(401|500) /.test(a))).toEqual([]);
    expect(answers.filter((a) => a.startsWith('503 ')).length).toBeGreaterThan(operations.length / 2);
  });

  it('R-INT /health/ready names the component that is down (database, then redis), never its address', async () => {
    await postgresOutage(async () => {
      const ready = await ctx.http.get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { database: { status: 'down' }, redis: { status: 'up' } } });
      expect(Number(ready.headers['retry-after'])).toBeGreaterThan(0);
      expectNoAddress(ready);
    });
    await ctx.http.get('/health/ready').expect(200);
    await redis.stop();
    try {
      const ready = await ctx.http.get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({ details: { database: { status: 'up' }, redis: { status: 'down' } } });
      expectNoAddress(ready);
    } finally {
      await redis.startServer();
    }
    await eventually(() => ctx.http.get('/health/ready'), (res) => res.status === 200, 30_000);
  });

  it('R-INT with Redis down, a call that sends an e-mail still succeeds (the outbox keeps it), and once Redis is back the e-mail goes out without a restart', async () => {
    const smtp = await SmtpReceiver.start();
    try {
      await ctx.startWorker({ SMTP_URL: smtp.url });
      await redis.stop();
      try {
        await ctx.http.get('/v1/me').set(dsi.auth).expect(200);
        await ctx.http.post('/v1/users').set(dsi.auth).send({ email: 'queued@hospital.test', firstName: 'A', lastName: 'B', roles: [Role.Rssi] }).expect(201);
      } finally {
        await redis.startServer();
      }
      await smtp.waitFor('queued@hospital.test', 1, 60_000);
      await eventually(() => ctx.http.get('/health/ready'), (res) => res.status === 200, 30_000);
    } finally {
      await ctx.stopWorker();
      await smtp.stop();
    }
  });

  it('R-INT the console keeps the session through a PostgreSQL outage: it says, in French, that the service is unavailable, never signs out, and works again after', async () => {
    const person = await ctx.createUser({ tenantId, roles: [Role.Dsi], enrolled: true });
    const rig = { ctx, baseUrl: await serve(ctx), browser: await launchChromium() } as ConsoleRig;
    try {
      const { context, page } = await openBrowser(rig.browser, ctx);
      let refreshes = 0;
      page.on('request', (request) => { if (new URL(request.url()).pathname === '/v1/auth/refresh') refreshes++; });
      await signInEnrolled(page, rig, '/contractors', person);
      await page.getByRole('heading', { name: 'Prestataires', level: 1 }).waitFor();
      const refreshToken = () => page.evaluate<string | null>("sessionStorage.getItem('prestagate.refreshToken')");
      const signedIn = await refreshToken();
      expect(signedIn).not.toBeNull();

      await postgresOutage(async () => {
        await menu(page, 'Clés d’API').click();
        await page.getByRole('alert').getByText('Le service est momentanément indisponible. Votre session est conservée : réessayez dans quelques instants.').waitFor();
        expect(refreshes).toBe(0);
        expect(await refreshToken()).toBe(signedIn);
        // The access token expires meanwhile: its 401 leads to a refresh, which the outage answers 503; still signed in.
        await advance(ctx, context, 16 * 60_000);
        await menu(page, 'Prestataires').click();
        await page.getByRole('alert').getByText(/momentanément indisponible/).waitFor();
        expect(refreshes).toBe(1);
        expect(await refreshToken()).toBe(signedIn);
        // A reload cannot resume the session now: the sign-in page says why, and the session is still kept.
        await page.reload();
        await page.getByRole('alert').getByText(/momentanément indisponible/).waitFor();
        expect(await refreshToken()).toBe(signedIn);
      });

      await page.reload();
      await menu(page, 'Clés d’API').click();
      await page.getByRole('row', { name: /bastion/ }).waitFor();
      expect(await page.getByRole('heading', { name: 'Connexion' }).count()).toBe(0);
    } finally {
      await rig.browser.close();
    }
  });
});
