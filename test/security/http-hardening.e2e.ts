import { SignedIn, TestContext } from '@app/testing';
import type { Response } from 'supertest';
import { exampleOf } from './examples';
import { fetchDocument, flatten, Operation, operationsOf } from './openapi';

function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status, type: expect.stringContaining('application/problem+json') });
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  if (code) expect(res.body.code).toBe(code);
}

/** The headers a hospital RSSI checks on every answer of an exposed application. */
function expectHardened(res: Response, label: string): void {
  const h = res.headers;
  const csp = String(h['content-security-policy'] ?? '');
  expect({ label, poweredBy: h['x-powered-by'], server: h.server }).toEqual({ label, poweredBy: undefined, server: undefined });
  expect({ label, nosniff: h['x-content-type-options'], frame: h['x-frame-options'], referrer: h['referrer-policy'] })
    .toEqual({ label, nosniff: 'nosniff', frame: 'DENY', referrer: 'no-referrer' });
  // HSTS: a year at least, subdomains too (browsers only honour it over TLS, which a hospital deployment terminates in front).
  const hsts = /^max-age=(\d+);\s*includeSubDomains/.exec(String(h['strict-transport-security']));
  expect({ label, hstsSeconds: Number(hsts?.[1] ?? 0) >= 31_536_000 }).toEqual({ label, hstsSeconds: true });
  for (const directive of ["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) {
    expect({ label, csp }).toEqual({ label, csp: expect.stringContaining(directive) });
  }
  expect({ label, unsafe: /script-src[^;]*'unsafe-(inline|eval)'/.test(csp) }).toEqual({ label, unsafe: false });
  expect({ label, coop: h['cross-origin-opener-policy'], corp: h['cross-origin-resource-policy'], xdomain: h['x-permitted-cross-domain-policies'] })
    .toEqual({ label, coop: 'same-origin', corp: 'same-origin', xdomain: 'none' });
}

describe('Security suite: HTTP headers (R-ART28)', () => {
  let ctx: TestContext;
  let dsi: SignedIn;

  beforeAll(async () => {
    ctx = await TestContext.start();
    ({ dsi } = await ctx.tenantWithDsi());
  });
  afterAll(() => ctx?.close());

  it('R-ART28 every kind of answer carries the hardening headers: no X-Powered-By, nosniff, DENY framing, no referrer, HSTS, a strict CSP', async () => {
    const answers: [string, Response][] = [
      ['health', await ctx.http.get('/health/live')],
      ['signed-in JSON', await ctx.http.get('/v1/me').set(dsi.auth)],
      ['401', await ctx.http.get('/v1/me')],
      ['403', await ctx.http.post('/v1/tenants').set(dsi.auth).send({})],
      ['unknown route', await ctx.http.get('/v1/nowhere')],
      ['malformed JSON', await ctx.http.post('/v1/auth/login').set('content-type', 'application/json').send('{"email":')],
      ['bad URL escape', await ctx.http.get('/v1/users/%FF%FE').set(dsi.auth)],
      ['body too large', await ctx.http.post('/v1/auth/login').send({ email: 'a@b.test', password: 'x'.repeat(2 * 1024 * 1024) })],
      ['OpenAPI document', await ctx.http.get('/docs-json')],
      ['OpenAPI UI', await ctx.http.get('/docs')],
    ];
    for (const [label, res] of answers) expectHardened(res, label);
    expectProblem(answers[6][1], 400);
    expectProblem(answers[7][1], 413);
  });

  it('R-ART28 API answers, tokens above all, are never cached (Cache-Control: no-store)', async () => {
    const login = await ctx.http.post('/v1/auth/login').send({ email: dsi.email, password: 'wrong-Password-1' });
    for (const res of [login, await ctx.http.get('/v1/me').set(dsi.auth), await ctx.http.get('/v1/users').set(dsi.auth), await ctx.http.get('/v1/me')]) {
      expect({ status: res.status, cache: res.headers['cache-control'] }).toEqual({ status: res.status, cache: expect.stringContaining('no-store') });
    }
  });

  it('R-ART28 the API is not open to other web origins (no CORS), and TRACE echoes nothing', async () => {
    const res = await ctx.http.get('/v1/me').set(dsi.auth).set('Origin', 'https://evil.example');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await ctx.http.options('/v1/me').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const trace = await ctx.http.trace('/v1/me').set(dsi.auth).set('X-Secret-Probe', 'echo-me');
    expect(trace.status).toBeGreaterThanOrEqual(400);
    expect(trace.text).not.toContain('echo-me');
    expect(trace.text).not.toContain(dsi.accessToken);
  });

  it('R-ART28 a request line or headers over 16 KiB get a 431 problem, not a bare answer', async () => {
    const res = await ctx.http.get(`/v1/users?cursor=${'q'.repeat(20_000)}`).set(dsi.auth);
    expectProblem(res, 431, 'HEADERS_TOO_LARGE');
  });
});

describe('Security suite: sign-in and token routes are rate limited (R-ART28)', () => {
  const LIMIT = 3;
  let ctx: TestContext;
  let operations: Operation[];

  beforeAll(async () => {
    ctx = await TestContext.start({ env: { AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
    operations = operationsOf((await fetchDocument(ctx)).dereferenced);
  });
  afterAll(() => ctx?.close());

  it(`R-ART28 every public operation but health checks answers 429 RATE_LIMITED after ${LIMIT} calls a minute from one address, whatever X-Forwarded-For says`, async () => {
    const publicOps = operations.filter((op) => op.access.kind === 'public' && !op.path.startsWith('/health/'));
    // The sign-in and token routes are all there: the limit is not left to a list kept by hand.
    expect(publicOps.map((op) => op.label)).toEqual(expect.arrayContaining([
      'POST /v1/auth/login', 'POST /v1/auth/mfa/enroll', 'POST /v1/auth/mfa/enroll/confirm', 'POST /v1/auth/mfa/verify',
      'POST /v1/auth/refresh', 'POST /v1/auth/invitations/accept',
    ]));
    const now = ctx.clock.now();
    for (const op of publicOps) {
      const body = op.body ? exampleOf(flatten(op.body.schema), 'body', {}, now) : undefined;
      const call = (forwardedFor?: string) => {
        const req = ctx.http[op.method](op.path);
        if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
        return body === undefined ? req : req.send(body as object);
      };
      for (let i = 0; i < LIMIT; i++) expect({ op: op.label, status: (await call()).status }).not.toEqual({ op: op.label, status: 429 });
      expectProblem(await call(), 429, 'RATE_LIMITED');
      // Without TRUST_PROXY the header is the client's own claim: it does not buy a fresh allowance.
      expectProblem(await call(`198.51.100.${Math.floor(Math.random() * 250)}`), 429, 'RATE_LIMITED');
    }
    // Health checks (load balancers, monitoring) are never limited.
    for (let i = 0; i < LIMIT * 3; i++) await ctx.http.get('/health/live').expect(200);
  });
});

describe('Security suite: the sign-in limit is for routes that take a secret (R-ART28)', () => {
  const LIMIT = 3;
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.start({ env: { AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(() => ctx?.close());

  it('R-ART28 a signed-in person\'s own reads are not held to the sign-in limit (staff share one address behind the hospital\'s NAT); a password change, which checks a password, is', async () => {
    const { dsi } = await ctx.tenantWithDsi();
    for (let i = 0; i < LIMIT * 3; i++) await ctx.http.get('/v1/me').set(dsi.auth).expect(200);
    const change = () => ctx.http.post('/v1/auth/password').set(dsi.auth).send({ currentPassword: 'not-the-password', newPassword: 'Another-Passphrase-2026!' });
    for (let i = 0; i < LIMIT; i++) expect((await change()).status).not.toBe(429);
    expectProblem(await change(), 429, 'RATE_LIMITED');
    await ctx.http.post('/v1/auth/logout').set(dsi.auth).expect(204);
  });
});
