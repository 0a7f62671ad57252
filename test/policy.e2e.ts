import { Role } from '@app/core';
import { SignedIn, TEST_PASSWORD, TestContext } from '@app/testing';
import type { Response } from 'supertest';
import { describeApi } from './support/describe-api';

function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  if (code) expect(res.body.code).toBe(code);
}

const fieldsOf = (res: Response): string[] => (res.body.errors ?? []).map((e: { field: string }) => e.field);

describeApi('R-POL tenant policy', { mail: false }, (rig) => {
  let ctx: TestContext;
  let tenantId: string;
  let dsi: SignedIn;

  const stored = async () => (await ctx.query<{ policy: Record<string, unknown> }>(`SELECT policy FROM tenants WHERE id = $1`, [tenantId]))[0].policy;
  const policyEvents = async () => ctx.query(`SELECT id FROM audit_events WHERE tenant_id = $1 AND action = 'tenant.policy_updated'`, [tenantId]);

  beforeAll(async () => {
    ctx = rig.ctx;
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
  });

  it('R-POL GET /v1/tenant/policy returns the CHM defaults', async () => {
    const res = await ctx.http.get('/v1/tenant/policy').set(dsi.auth).expect(200);
    expect(res.body).toMatchObject({
      reviewPeriodMonths: 12,
      logRetentionMonths: 18,
      mfaRequired: true,
      lockout: { maxAttempts: 5, durationMinutes: 15 },
      password: { minLength: 12, requireUpper: true, requireLower: true, requireDigit: true, requireSpecial: true },
    });
    expect(res.body.logRetentionFloorMonths).toBeLessThanOrEqual(res.body.logRetentionMonths);
  });

  it('R-POL a nested partial PATCH changes that field only and keeps the others, and is audited with before/after', async () => {
    const before = (await ctx.http.get('/v1/tenant/policy').set(dsi.auth).expect(200)).body;
    const res = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ password: { minLength: 14 } }).expect(200);
    expect(res.body.password).toEqual({ minLength: 14, requireUpper: true, requireLower: true, requireDigit: true, requireSpecial: true });
    expect(res.body).toEqual({ ...before, password: { ...before.password, minLength: 14 } });

    const read = await ctx.http.get('/v1/tenant/policy').set(dsi.auth).expect(200);
    expect(read.body).toEqual(res.body);
    expect((await stored()).password).toEqual(res.body.password);

    const audit = await ctx.http.get('/v1/audit-events').query({ action: 'tenant.policy_updated' }).set(dsi.auth).expect(200);
    expect(audit.body.items).toHaveLength(1);
    const [event] = audit.body.items;
    expect(event).toMatchObject({
      action: 'tenant.policy_updated',
      actor: { type: 'user', id: dsi.userId, label: dsi.email },
      target: { type: 'tenant', id: tenantId },
    });
    expect(event.before).toEqual(before);
    expect(event.after).toEqual(res.body);
    expect(event.before.password.minLength).toBe(12);
    expect(event.after.password.minLength).toBe(14);
    await ctx.http.get('/v1/audit-events/verify').set(dsi.auth).expect(200, { ok: true, checked: Number((await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1`, [tenantId]))[0].n) });
  });

  it('R-POL the new password minimum applies at the next password change', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Auditor] });
    const s = await ctx.signIn(user.email);
    const thirteen = 'Abcdefgh-12!x'; // 13 characters: fine by the default, short of the tenant's 14
    const refused = await ctx.http.post('/v1/auth/password').set(s.auth).send({ currentPassword: TEST_PASSWORD, newPassword: thirteen });
    expectProblem(refused, 400, 'VALIDATION_FAILED');
    expect(refused.body.errors[0]).toMatchObject({ field: 'password', message: expect.stringContaining('14') });
    await ctx.http.post('/v1/auth/password').set(s.auth).send({ currentPassword: TEST_PASSWORD, newPassword: `${thirteen}y` }).expect(204);
  });

  it('R-POL log retention below the legal floor is a 400 naming the field, and nothing is stored', async () => {
    const policyBefore = await stored();
    const eventsBefore = (await policyEvents()).length;
    const floor = (await ctx.http.get('/v1/tenant/policy').set(dsi.auth).expect(200)).body.logRetentionFloorMonths;

    const res = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ logRetentionMonths: floor - 1 });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(res)).toContain('logRetentionMonths');
    expect(res.body.errors.find((e: { field: string }) => e.field === 'logRetentionMonths').message).toContain(String(floor));

    // Raising the floor above the current retention is refused the same way.
    const floorUp = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ logRetentionFloorMonths: 24 });
    expectProblem(floorUp, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(floorUp)).toContain('logRetentionMonths');

    // A valid change mixed with an invalid one stores nothing either.
    const mixed = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ reviewPeriodMonths: 6, logRetentionMonths: 1 });
    expectProblem(mixed, 400);

    expect(await stored()).toEqual(policyBefore);
    expect(await policyEvents()).toHaveLength(eventsBefore);
    const read = await ctx.http.get('/v1/tenant/policy').set(dsi.auth).expect(200);
    expect(read.body.logRetentionMonths).toBe(18);
    expect(read.body.reviewPeriodMonths).toBe(12);

    // Longer retention and a floor raised together are fine.
    const both = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ logRetentionMonths: 36, logRetentionFloorMonths: 24 }).expect(200);
    expect(both.body).toMatchObject({ logRetentionMonths: 36, logRetentionFloorMonths: 24 });
    const below = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ logRetentionMonths: 18 });
    expectProblem(below, 400);
    expect(fieldsOf(below)).toContain('logRetentionMonths');
  });

  it('R-POL MFA cannot be turned off (R-ART28)', async () => {
    const before = await stored();
    const res = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ mfaRequired: false });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(res)).toEqual(['mfaRequired']);
    for (const value of [null, 'false', 0]) {
      const other = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ mfaRequired: value });
      expectProblem(other, 400);
      expect(fieldsOf(other)).toEqual(['mfaRequired']);
    }
    expect(await stored()).toEqual(before);
    expect((await ctx.http.get('/v1/tenant/policy').set(dsi.auth).expect(200)).body.mfaRequired).toBe(true);
  });

  it('R-POL unknown fields, wrong types and out-of-range values are 400s naming the field', async () => {
    const before = await stored();
    const cases: [Record<string, unknown>, string][] = [
      [{ retentionForever: true }, 'retentionForever'],
      [{ password: { minLength: 14, maxLength: 20 } }, 'password.maxLength'],
      [{ lockout: { maxAttempts: 3, disabled: true } }, 'lockout.disabled'],
      [{ reviewPeriodMonths: '12' }, 'reviewPeriodMonths'],
      [{ reviewPeriodMonths: 0 }, 'reviewPeriodMonths'],
      [{ password: { minLength: 4 } }, 'password.minLength'],
      [{ password: { requireSpecial: 'yes' } }, 'password.requireSpecial'],
      [{ lockout: { maxAttempts: 1000 } }, 'lockout.maxAttempts'],
      [{ reviewSilence: 'keep' }, 'reviewSilence'],
      [{ businessHours: { start: '25:00' } }, 'businessHours.start'],
      [{ businessHours: { timezone: 'Mars/Olympus' } }, 'businessHours.timezone'],
      [{ blackouts: [{ from: 'soon', to: '2030-01-01T00:00:00Z', label: 'x' }] }, 'blackouts.0.from'],
      // R-ART36 an end before its start would flag nothing.
      [{ businessHours: { start: '18:00', end: '08:00' } }, 'businessHours.end'],
      [{ blackouts: [{ from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z', label: 'ok' }, { from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z', label: 'x' }] }, 'blackouts.1.to'],
      [{ reportEmail: 'not-an-address' }, 'reportEmail'],
    ];
    for (const [patch, field] of cases) {
      const res = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send(patch);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect({ patch, fields: fieldsOf(res) }).toEqual({ patch, fields: expect.arrayContaining([field]) });
    }
    for (const body of [[], [{ mfaRequired: true }]]) {
      expectProblem(await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send(body), 400);
    }
    // Replacing a nested object with a scalar or null is refused, not stored.
    for (const patch of [{ password: null }, { lockout: 3 }, { businessHours: 'always' }]) {
      expectProblem(await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send(patch), 400);
    }
    expect(await stored()).toEqual(before);
  });

  it('R-POL an RSSI or an auditor can read the policy but not change it', async () => {
    const before = await stored();
    for (const role of [Role.Rssi, Role.Auditor]) {
      const user = await ctx.createUser({ tenantId, roles: [role] });
      const s = await ctx.signIn(user.email);
      const read = await ctx.http.get('/v1/tenant/policy').set(s.auth).expect(200);
      expect(read.body.mfaRequired).toBe(true);
      const res = await ctx.http.patch('/v1/tenant/policy').set(s.auth).send({ reviewPeriodMonths: 6 });
      expectProblem(res, 403, 'FORBIDDEN');
    }
    const referent = await ctx.createUser({ tenantId, roles: [Role.Referent] });
    expectProblem(await ctx.http.get('/v1/tenant/policy').set((await ctx.signIn(referent.email)).auth), 403, 'FORBIDDEN');
    expectProblem(await ctx.http.patch('/v1/tenant/policy').send({ reviewPeriodMonths: 6 }), 401);
    expect(await stored()).toEqual(before);
  });

  it("R-POL a tenant's policy change does not touch another tenant's policy", async () => {
    const other = await ctx.tenantWithDsi();
    await ctx.http.patch('/v1/tenant/policy').set(other.dsi.auth).send({ reviewPeriodMonths: 3 }).expect(200);
    expect((await ctx.http.get('/v1/tenant/policy').set(dsi.auth).expect(200)).body.reviewPeriodMonths).toBe(12);
    expect((await ctx.http.get('/v1/tenant/policy').set(other.dsi.auth).expect(200)).body.reviewPeriodMonths).toBe(3);
  });

  it('R-POL a lowered lockout threshold (3) is honoured by sign-in: three wrong passwords, then the right one refused like a wrong one (401 INVALID_CREDENTIALS)', async () => {
    const patched = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ lockout: { maxAttempts: 3 } }).expect(200);
    expect(patched.body.lockout).toEqual({ maxAttempts: 3, durationMinutes: 15 });

    const user = await ctx.createUser({ tenantId, roles: [Role.Referent], enrolled: true });
    const login = (password: string) => ctx.http.post('/v1/auth/login').send({ email: user.email, password });
    for (let i = 0; i < 3; i++) expectProblem(await login('Wrong-password-1'), 401, 'INVALID_CREDENTIALS');
    const locked = await login(TEST_PASSWORD);
    expectProblem(locked, 401, 'INVALID_CREDENTIALS');
    const [row] = await ctx.query<{ locked_until: Date }>(`SELECT locked_until FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`, [user.id]);
    expect(row.locked_until.getTime() - ctx.clock.now().getTime()).toBe(15 * 60_000);

    await ctx.advanceClock(15 * 60_000 + 1000);
    await login(TEST_PASSWORD).expect(200);

    // A longer duration is honoured too.
    await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ lockout: { durationMinutes: 60 } }).expect(200);
    for (let i = 0; i < 3; i++) await login('Wrong-password-1').expect(401);
    expectProblem(await login(TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
    ctx.clock.advance(30 * 60_000);
    expectProblem(await login(TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
    ctx.clock.advance(31 * 60_000);
    await login(TEST_PASSWORD).expect(200);
  });
});
