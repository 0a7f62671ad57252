import { Role } from '@app/core';
import { SignedIn, TEST_PASSWORD, TestContext } from '@app/testing';
import type { Response } from 'supertest';

/** Every error of the API is an RFC 9457 problem: right status, problem+json, type, title, status, detail. */
function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({
    type: expect.any(String), title: expect.any(String), status, detail: expect.any(String),
  });
  expect(res.body.detail.length).toBeGreaterThan(0);
  if (code) expect(res.body.code).toBe(code);
}

const fieldsOf = (res: Response): string[] => (res.body.errors ?? []).map((e: { field: string }) => e.field);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('API conventions: problem details, validation, credentials, headers', () => {
  let ctx: TestContext;
  let tenantId: string;
  let dsi: SignedIn;

  beforeAll(async () => {
    ctx = await TestContext.start();
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
  });
  afterAll(() => ctx?.close());

  const person = (over: Record<string, unknown> = {}) => ({
    email: `p.${Math.random().toString(36).slice(2, 10)}@example.test`, firstName: 'Anne', lastName: 'Martin', roles: ['rssi'], ...over,
  });

  it('API an unknown property in a body is a 400 naming the field, and nothing is created', async () => {
    const body = person({ isAdmin: true });
    const res = await ctx.http.post('/v1/users').set(dsi.auth).send(body);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field: 'isAdmin', message: expect.stringContaining('isAdmin') }]));
    expect(await ctx.query(`SELECT id FROM users WHERE email = $1`, [body.email])).toHaveLength(0);
  });

  it('API wrong types are a 400 listing each bad field', async () => {
    const res = await ctx.http.post('/v1/users').set(dsi.auth)
      .send({ email: 42, firstName: ['Anne'], lastName: { x: 1 }, roles: 'dsi' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(new Set(fieldsOf(res))).toEqual(new Set(['email', 'firstName', 'lastName', 'roles']));
    for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));

    const badRole = await ctx.http.post('/v1/users').set(dsi.auth).send(person({ roles: ['platform_admin'] }));
    expectProblem(badRole, 400);
    expect(fieldsOf(badRole)).toContain('roles');

    const badScope = await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'x', scopes: ['everything'] });
    expectProblem(badScope, 400);
    expect(fieldsOf(badScope)).toEqual(['scopes']);
  });

  it('API missing fields are a 400 listing every missing field at once', async () => {
    const res = await ctx.http.post('/v1/users').set(dsi.auth).send({});
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(new Set(fieldsOf(res))).toEqual(new Set(['email', 'firstName', 'lastName', 'roles']));

    const login = await ctx.http.post('/v1/auth/login').send({});
    expectProblem(login, 400);
    expect(new Set(fieldsOf(login))).toEqual(new Set(['email', 'password']));
  });

  it('API a tenant creation without its first admin is a 400, never a 500', async () => {
    const admin = await ctx.createUser({ tenantId: null, roles: [Role.PlatformAdmin] });
    const s = await ctx.signIn(admin.email);
    const empty = await ctx.http.post('/v1/tenants').set(s.auth).send({});
    expectProblem(empty, 400, 'VALIDATION_FAILED');
    expect(new Set(fieldsOf(empty))).toEqual(new Set(['name', 'preset', 'admin']));

    for (const bad of [undefined, null, [], 'dsi@example.test']) {
      const res = await ctx.http.post('/v1/tenants').set(s.auth).send({ name: `CH ${String(bad)}`, preset: 'chm', admin: bad });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain('admin');
    }
    const nested = await ctx.http.post('/v1/tenants').set(s.auth).send({ name: 'CH nested', preset: 'chm', admin: { email: 'nope' } });
    expectProblem(nested, 400);
    expect(new Set(fieldsOf(nested))).toEqual(new Set(['admin.email', 'admin.firstName', 'admin.lastName']));
    expect(await ctx.query(`SELECT id FROM tenants WHERE name LIKE 'CH %' AND id <> $1`, [tenantId])).toHaveLength(0);
  });

  it('API a malformed JSON body is a 400 MALFORMED_BODY', async () => {
    const res = await ctx.http.post('/v1/users').set(dsi.auth).set('Content-Type', 'application/json').send('{"email": "a@b.test",');
    expectProblem(res, 400, 'MALFORMED_BODY');
    const login = await ctx.http.post('/v1/auth/login').set('Content-Type', 'application/json').send('not json');
    expectProblem(login, 400, 'MALFORMED_BODY');
  });

  it('API a prototype-poisoning body is refused with a 400', async () => {
    const res = await ctx.http.post('/v1/users').set(dsi.auth).set('Content-Type', 'application/json')
      .send('{"email":"x@example.test","firstName":"A","lastName":"B","roles":["rssi"],"__proto__":{"isAdmin":true}}');
    expectProblem(res, 400);
    const policy = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).set('Content-Type', 'application/json')
      .send('{"constructor":{"prototype":{"mfaRequired":false}}}');
    expectProblem(policy, 400);
    expect(({} as Record<string, unknown>).mfaRequired).toBeUndefined();
  });

  it('API a wrong content type on a JSON route is a 415 or a 400, never a 500', async () => {
    const text = await ctx.http.post('/v1/users').set(dsi.auth).set('Content-Type', 'text/plain').send('email=a@b.test');
    expect([400, 415]).toContain(text.status);
    expectProblem(text, text.status);

    const xml = await ctx.http.post('/v1/auth/login').set('Content-Type', 'application/xml').send('<login/>');
    expect([400, 415]).toContain(xml.status);
    expectProblem(xml, xml.status);

    const policy = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).set('Content-Type', 'text/plain').send('mfaRequired=false');
    expect([400, 415]).toContain(policy.status);
    expectProblem(policy, policy.status);
  });

  it('API a non-UUID path id is a 400', async () => {
    const res = await ctx.http.get('/v1/users/not-a-uuid').set(dsi.auth);
    expectProblem(res, 400);
    const del = await ctx.http.delete('/v1/api-keys/1%27%20OR%201=1').set(dsi.auth);
    expectProblem(del, 400);
  });

  it('API an unknown route is a 404 problem', async () => {
    const res = await ctx.http.get('/v1/no-such-thing').set(dsi.auth);
    expectProblem(res, 404);
    const anonymous = await ctx.http.post('/v1/nope').send({});
    expectProblem(anonymous, 404);
  });

  it('API huge strings are a 400, and a body over the limit a 413', async () => {
    const res = await ctx.http.post('/v1/users').set(dsi.auth).send(person({ firstName: 'A'.repeat(100_000) }));
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual(['firstName']);

    const login = await ctx.http.post('/v1/auth/login').send({ email: `${'a'.repeat(100_000)}@example.test`, password: 'x'.repeat(100_000) });
    expectProblem(login, 400);

    const tooBig = await ctx.http.post('/v1/users').set(dsi.auth).send(person({ firstName: 'A'.repeat(2 * 1024 * 1024) }));
    expectProblem(tooBig, 413);
  });

  it('API a NUL character in a string is a 400, not a database error', async () => {
    const body = person({ firstName: 'An\u0000ne' });
    const res = await ctx.http.post('/v1/users').set(dsi.auth).send(body);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual(['firstName']);
    expect(await ctx.query(`SELECT id FROM users WHERE email = $1`, [body.email])).toHaveLength(0);

    const query = await ctx.http.get('/v1/audit-events').query({ action: 'user.\u0000invited' }).set(dsi.auth);
    expectProblem(query, 400);
    expect(fieldsOf(query)).toEqual(['action']);

    const policy = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth)
      .send({ blackouts: [{ from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z', label: 'New\u0000Year' }] });
    expectProblem(policy, 400);
    expect(fieldsOf(policy)).toEqual(['blackouts.0.label']);

    const login = await ctx.http.post('/v1/auth/login').send({ email: dsi.email, password: 'pass\u0000word' });
    expectProblem(login, 400);
    expect(fieldsOf(login)).toEqual(['password']);
  });

  it('API deeply nested JSON is a 400, not a stack overflow', async () => {
    for (const depth of [100, 10_000, 100_000]) {
      const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const asField = await ctx.http.post('/v1/users').set(dsi.auth).set('Content-Type', 'application/json')
        .send(`{"email":"deep@example.test","firstName":${nested},"lastName":"x","roles":["rssi"]}`);
      expectProblem(asField, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(asField)[0]).toMatch(/^firstName/);

      const object = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const policy = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).set('Content-Type', 'application/json')
        .send(`{"password":${object}}`);
      expectProblem(policy, 400, 'VALIDATION_FAILED');
      const unknown = await ctx.http.post('/v1/users').set(dsi.auth).set('Content-Type', 'application/json')
        .send(`{"email":"deep@example.test","firstName":"x","lastName":"x","roles":["rssi"],"extra":${object}}`);
      expectProblem(unknown, 400, 'VALIDATION_FAILED');
    }
    expect((await ctx.http.get('/v1/tenant/policy').set(dsi.auth).expect(200)).body.password).toEqual({
      minLength: 12, requireUpper: true, requireLower: true, requireDigit: true, requireSpecial: true,
    });
  });

  it('API invalid paging parameters and cursors are a 400', async () => {
    const cursors = [
      'garbage', '%%%', b64({ nope: 1 }), b64({ seq: 'abc' }), b64({ seq: 1.5 }), b64({ seq: null }), b64({ seq: [1] }),
      b64({ seq: { a: 1 } }), b64('just a string'), b64(null),
    ];
    for (const cursor of cursors) {
      const res = await ctx.http.get('/v1/audit-events').query({ cursor }).set(dsi.auth);
      expectProblem(res, 400);
    }
    const userCursors = [
      'garbage', b64({ createdAt: 'yesterday', id: 'x' }), b64({ createdAt: new Date().toISOString(), id: 'not-a-uuid' }),
      b64({ createdAt: 5, id: 7 }),
    ];
    for (const cursor of userCursors) {
      const res = await ctx.http.get('/v1/users').query({ cursor }).set(dsi.auth);
      expectProblem(res, 400);
    }
    for (const limit of ['0', '-1', '201', 'abc', '1.5']) {
      const res = await ctx.http.get('/v1/users').query({ limit }).set(dsi.auth);
      expectProblem(res, 400);
      expect(fieldsOf(res)).toContain('limit');
    }
    const dates = await ctx.http.get('/v1/audit-events').query({ from: 'last tuesday' }).set(dsi.auth);
    expectProblem(dates, 400);
    expect(fieldsOf(dates)).toEqual(['from']);
    const unknown = await ctx.http.get('/v1/audit-events').query({ foo: 'bar' }).set(dsi.auth);
    expectProblem(unknown, 400);
    expect(fieldsOf(unknown)).toEqual(['foo']);
  });

  it('R-ART28 an API key is for gateways only: 403 on a person route; revoked, it is 401 INVALID_API_KEY', async () => {
    const created = await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'Bastion', scopes: ['decisions'] }).expect(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^pgk_/);
    expect(created.body).toMatchObject({ name: 'Bastion', scopes: ['decisions'], revokedAt: null });

    const me = await ctx.http.get('/v1/me').set('X-Api-Key', key);
    expectProblem(me, 403, 'FORBIDDEN');
    const users = await ctx.http.get('/v1/users').set('X-Api-Key', key);
    expectProblem(users, 403, 'FORBIDDEN');
    const makeKey = await ctx.http.post('/v1/api-keys').set('X-Api-Key', key).send({ name: 'self', scopes: ['decisions'] });
    expectProblem(makeKey, 403, 'FORBIDDEN');

    const wrong = await ctx.http.get('/v1/me').set('X-Api-Key', `${key}x`);
    expectProblem(wrong, 401, 'INVALID_API_KEY');

    await ctx.http.delete(`/v1/api-keys/${created.body.id}`).set(dsi.auth).expect(204);
    const revoked = await ctx.http.get('/v1/me').set('X-Api-Key', key);
    expectProblem(revoked, 401, 'INVALID_API_KEY');
    // A bearer token does not rescue a revoked key: the key is what is checked.
    const both = await ctx.http.get('/v1/me').set('X-Api-Key', key).set(dsi.auth);
    expectProblem(both, 401, 'INVALID_API_KEY');
  });

  it('API an API key is shown only in its creation answer; lists carry neither the key nor its hash', async () => {
    const created = await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'VPN', scopes: ['connections', 'decisions'] }).expect(201);
    const key: string = created.body.key;
    const list = await ctx.http.get('/v1/api-keys').set(dsi.auth).expect(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    const [row] = await ctx.query<{ key_hash: string }>(`SELECT key_hash FROM api_keys WHERE id = $1`, [created.body.id]);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(-20));
    expect(text).not.toContain(row.key_hash);
    for (const item of list.body.items) {
      expect(item).not.toHaveProperty('key');
      expect(item).not.toHaveProperty('keyHash');
      expect(item).not.toHaveProperty('key_hash');
      expect(Object.keys(item).some((k) => /hash|secret/i.test(k))).toBe(false);
    }
    expect(list.body.items.find((k: { id: string }) => k.id === created.body.id)).toMatchObject({ name: 'VPN', prefix: created.body.prefix });
    // The key is not stored in clear either, nor written to the audit trail.
    expect(row.key_hash).not.toContain(key);
    const audit = await ctx.query(`SELECT 1 FROM audit_events WHERE after::text LIKE $1 OR before::text LIKE $1`, [`%${key.slice(-20)}%`]);
    expect(audit).toHaveLength(0);
  });

  it('API every response carries an x-request-id, echoing a well-formed X-Request-Id', async () => {
    const given = await ctx.http.get('/health/live').set('X-Request-Id', 'req-42.abc_DEF').expect(200);
    expect(given.headers['x-request-id']).toBe('req-42.abc_DEF');

    const generated = await ctx.http.get('/v1/me').set(dsi.auth).expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const onError = await ctx.http.get('/v1/users/not-a-uuid').set(dsi.auth).set('X-Request-Id', 'trace-err-1');
    expect(onError.status).toBe(400);
    expect(onError.headers['x-request-id']).toBe('trace-err-1');

    const unauthenticated = await ctx.http.get('/v1/me').set('X-Request-Id', 'trace-401');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['x-request-id']).toBe('trace-401');

    // A request id that could forge log lines is replaced, not echoed.
    const forged = await ctx.http.get('/health/live').set('X-Request-Id', 'a b\tc;rm -rf').expect(200);
    expect(forged.headers['x-request-id']).not.toBe('a b\tc;rm -rf');
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('API security headers (helmet) are set, on success and on errors', async () => {
    for (const res of [
      await ctx.http.get('/health/live'),
      await ctx.http.get('/v1/me').set(dsi.auth),
      await ctx.http.get('/v1/me'),
      await ctx.http.get('/v1/nowhere'),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('API /health/live is 200 and /health/ready reports the database and redis up', async () => {
    const live = await ctx.http.get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await ctx.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('API /docs-json is an OpenAPI document with the sign-in and audit verify paths', async () => {
    const res = await ctx.http.get('/docs-json').expect(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('Prestagate API');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/auth/login', '/v1/audit-events/verify']));
    expect(res.body.paths['/v1/auth/login']).toHaveProperty('post');
    expect(res.body.paths['/v1/audit-events/verify']).toHaveProperty('get');
  });

  it('API unusual but valid e-mail addresses at sign-in get a 401 problem, never a 500', async () => {
    for (const email of ['UPPER.CASE@EXAMPLE.TEST', 'a+b@example.test', "o'brien@example.test"]) {
      const res = await ctx.http.post('/v1/auth/login').send({ email, password: TEST_PASSWORD });
      expectProblem(res, 401, 'INVALID_CREDENTIALS');
    }
  });
});

describe('R-ART28 sign-in rate limiting', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.start({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => ctx?.close());

  it('R-ART28 the 6th sign-in attempt within a minute is a 429 RATE_LIMITED problem', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await ctx.http.post('/v1/auth/login').send({ email: 'nobody@example.test', password: 'Wrong-password-1' });
      expectProblem(res, 401, 'INVALID_CREDENTIALS');
    }
    const sixth = await ctx.http.post('/v1/auth/login').send({ email: 'nobody@example.test', password: 'Wrong-password-1' });
    expectProblem(sixth, 429, 'RATE_LIMITED');
    expect(sixth.headers['x-request-id']).toBeDefined();
    // Routes outside sign-in are not limited by it.
    await ctx.http.get('/health/live').expect(200);
  });
});
