import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { Response } from 'supertest';
import { Role } from '@app/core';
import { bodyOf, nextSiret, SignedIn, SmtpReceiver, TEST_PASSWORD, TestContext, World } from '@app/testing';
import { createApiApp } from '../apps/api/src/bootstrap';
import { describeApi } from './support/describe-api';

const HOUR = 3_600_000;

function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (code) expect(res.body.code).toBe(code);
}

/**
 * The platform operator (Role.PlatformAdmin): the establishments it runs, and the one thing it does for
 * an establishment's people, resetting the second factor of a DSI who has nobody else to ask. Then the
 * per-person limit on resent invitations. Real PostgreSQL, Redis, worker and SMTP receiver.
 */
describeApi('R-POL R-ART28 platform operator: establishments, a DSI\'s TOTP reset; invitation resends limited', { world: 'platform' }, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let world: World;
  let operator: SignedIn;

  beforeAll(async () => {
    ({ ctx, smtp, w: world } = rig);
    operator = await ctx.signIn((await ctx.createUser({ tenantId: null, roles: [Role.PlatformAdmin] })).email);
  });

  const person = async (tenantId: string, role: Role, contractorId?: string) =>
    ctx.signIn((await ctx.createUser({ tenantId, roles: [role], contractorId })).email);
  const resetDsi = (tenantId: string, userId: string, body: object, auth: Record<string, string> = operator.auth) =>
    ctx.http.post(`/v1/tenants/${tenantId}/users/${userId}/mfa/reset`).set(auth).send(body);
  const walk = async (path: string, auth: Record<string, string>) => {
    const items: { id: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: Response = await ctx.http.get(path).query({ limit: 1, ...(cursor ? { cursor } : {}) }).set(auth).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  it('R-POL GET /v1/tenants: the operator lists the establishments by name, a page at a time, each with its active DSIs and its contractors counted; other roles 403', async () => {
    const created = (await ctx.http.post('/v1/tenants').set(operator.auth).send({
      name: 'AAA Clinique de la Plateforme', preset: 'cpts-template',
      admin: { email: `dsi.plateforme.${Date.now()}@clinique.test`, firstName: 'Ada', lastName: 'Admin' },
    }).expect(201)).body;
    await ctx.http.post('/v1/contractors').set(world.dsi.auth).send({ legalName: 'Seconde Plateforme SAS', siret: nextSiret(), address: 'Sablé' }).expect(201);

    const all = (await ctx.http.get('/v1/tenants').query({ limit: 200 }).set(operator.auth).expect(200)).body;
    expect(all.nextCursor).toBeNull();
    const names: string[] = all.items.map((t: { name: string }) => t.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // Invited, not yet signed in: no active DSI, the establishment cannot administer itself yet.
    expect(all.items.find((t: { id: string }) => t.id === created.id)).toEqual({
      id: created.id, name: 'AAA Clinique de la Plateforme', preset: 'cpts-template', createdAt: expect.any(String), activeDsis: 0, contractors: 0,
    });
    expect(all.items.find((t: { id: string }) => t.id === world.tenantId)).toMatchObject({ activeDsis: 1, contractors: 2 });
    expect(JSON.stringify(all)).not.toMatch(/policy|email/i);

    expect((await walk('/v1/tenants', operator.auth)).map((t) => t.id)).toEqual(all.items.map((t: { id: string }) => t.id));
    expectProblem(await ctx.http.get('/v1/tenants').query({ limit: 0 }).set(operator.auth), 400, 'VALIDATION_FAILED');
    expectProblem(await ctx.http.get('/v1/tenants').query({ cursor: 'garbage' }).set(operator.auth), 400, 'VALIDATION_FAILED');
    for (const caller of [world.dsi, world.securityContact, await person(world.tenantId, Role.Rssi)]) {
      expectProblem(await ctx.http.get('/v1/tenants').set(caller.auth), 403, 'FORBIDDEN');
    }
    expectProblem(await ctx.http.get('/v1/tenants'), 401);
  });

  it('R-ART28 the operator resets the TOTP of a DSI who lost phone and recovery codes: sessions revoked at once, the next sign-in enrols with the e-mailed link, the DSI, the other DSIs and the RSSI e-mailed, user.mfa_reset in the establishment\'s trail with the operator as actor', async () => {
    const { tenantId, dsi } = await ctx.tenantWithDsi();
    const rssi = await person(tenantId, Role.Rssi);
    const deputyDsi = await ctx.createUser({ tenantId, roles: [Role.Dsi], email: `deputy.dsi.${Date.now()}@hospital.test` });
    const reason = 'Téléphone et codes de secours perdus ; identité vérifiée par visio avec le directeur';

    const dsis = (await ctx.http.get(`/v1/tenants/${tenantId}/dsis`).set(operator.auth).expect(200)).body;
    expect(dsis.nextCursor).toBeNull();
    expect(dsis.items).toHaveLength(2);
    expect(dsis.items.find((d: { id: string }) => d.id === dsi.userId)).toEqual({
      id: dsi.userId, firstName: 'Test', lastName: 'Person', email: dsi.email, status: 'active', mfaEnrolled: true,
    });
    expect((await walk(`/v1/tenants/${tenantId}/dsis`, operator.auth)).map((d) => d.id)).toEqual(dsis.items.map((d: { id: string }) => d.id));

    const done = await resetDsi(tenantId, dsi.userId, { reason }).expect(200);
    expect(done.body).toMatchObject({ id: dsi.userId, tenantId, email: dsi.email, roles: ['dsi'], mfaEnrolled: false });
    expect(JSON.stringify(done.body)).not.toMatch(/secret|hash/i);

    // The DSI's old access token and refresh token are refused at once; the next sign-in enrols a new secret.
    expectProblem(await ctx.http.get('/v1/me').set(dsi.auth), 401);
    expectProblem(await ctx.http.post('/v1/auth/refresh').send({ refreshToken: dsi.refreshToken }), 401);
    const [stored] = await ctx.query(
      `SELECT totp_secret_enc, totp_enabled_at, (SELECT count(*)::int FROM recovery_codes WHERE identity_id = u.identity_id) AS recovery_codes,
              (SELECT count(*)::int FROM auth_sessions WHERE user_id = u.id AND revoked_at IS NULL) AS open_sessions
         FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`, [dsi.userId],
    );
    expect(stored).toEqual({ totp_secret_enc: null, totp_enabled_at: null, recovery_codes: 0, open_sessions: 0 });
    ctx.clock.advance(30_000);
    expect((await ctx.http.post('/v1/auth/login').send({ email: dsi.email, password: TEST_PASSWORD }).expect(200)).body.next).toBe('enroll');
    expect((await ctx.http.get(`/v1/tenants/${tenantId}/dsis`).set(operator.auth).expect(200)).body.items
      .find((d: { id: string }) => d.id === dsi.userId).mfaEnrolled).toBe(false);

    // The DSI is told who acted; the establishment's other DSI and its RSSI too, whoever did not ask knows at once.
    const [own] = await smtp.waitForSubject(dsi.email, 'Votre second facteur (TOTP) a été réinitialisé');
    expect(bodyOf(own.raw)).toContain("L'opérateur de la plateforme");
    expect(bodyOf(own.raw)).toContain(reason);
    for (const colleague of [deputyDsi.email, rssi.email]) {
      const [mail] = await smtp.waitForSubject(colleague, "Second facteur de Test Person réinitialisé par l'opérateur de la plateforme");
      expect(bodyOf(mail.raw)).toContain(dsi.email);
      expect(bodyOf(mail.raw)).toContain(reason);
      expect(bodyOf(mail.raw)).toContain(operator.email);
    }
    expect(smtp.to(dsi.email).filter((m) => m.subject.startsWith('Second facteur de'))).toEqual([]);

    // The hospital sees in its own trail that the operator acted, with the reason; the chain holds.
    const trail = (await ctx.http.get('/v1/audit-events').query({ action: 'user.mfa_reset', targetId: dsi.userId }).set(rssi.auth).expect(200)).body.items;
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      actor: { type: 'user', id: operator.userId, label: operator.email }, target: { type: 'user', id: dsi.userId },
      before: { mfaEnrolled: true }, after: { mfaEnrolled: false, reason, byPlatformOperator: true, sessionsRevoked: 1, recoveryCodesDeleted: 10 },
    });
    expect((await ctx.http.get('/v1/audit-events/verify').set(rssi.auth).expect(200)).body.ok).toBe(true);
    // And the platform's own trail keeps it too.
    const platform = (await ctx.http.get('/v1/audit-events').query({ action: 'user.mfa_reset', targetId: dsi.userId }).set(operator.auth).expect(200)).body.items;
    expect(platform).toEqual([expect.objectContaining({ after: { tenantId, tenant: expect.any(String), email: dsi.email, reason } })]);
    expect((await ctx.http.get('/v1/audit-events/verify').set(operator.auth).expect(200)).body.ok).toBe(true);

    // The DSI enrols again with the one-time link of that e-mail (the password alone would not do).
    const link = /enrolment=([\w-]+)/.exec(bodyOf(own.raw))![1];
    const again = await ctx.signIn(dsi.email, TEST_PASSWORD, link);
    expect((await ctx.http.get('/v1/me').set(again.auth).expect(200)).body.mfaEnrolled).toBe(true);
  });

  it('R-ART28 the operator resets DSIs only: hospital staff, contractor people, another establishment\'s DSI, unknown ids are 404; other roles 403; bad input 400; nothing changes', async () => {
    const { tenantId, dsi } = await ctx.tenantWithDsi();
    const rssi = await person(tenantId, Role.Rssi);
    const reason = 'Téléphone perdu';
    const before = async () => ctx.query(`SELECT u.id, i.totp_enabled_at IS NOT NULL AS enrolled FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.tenant_id IN ($1, $2) ORDER BY u.id`, [tenantId, world.tenantId]);
    const state = await before();

    // Anyone but a DSI of that establishment: the DSI resets them (POST /v1/users/{id}/mfa/reset).
    for (const [tenant, user] of [
      [tenantId, rssi.userId], [world.tenantId, world.securityContact.userId], [tenantId, world.dsi.userId], [world.tenantId, dsi.userId],
      [tenantId, '00000000-0000-4000-8000-000000000000'], [tenantId, operator.userId],
    ]) {
      const res = await resetDsi(tenant, user, { reason });
      expectProblem(res, 404, 'NOT_FOUND');
      expect(res.body.detail).toContain('pas de DSI avec cet identifiant');
    }
    const unknown = await resetDsi('00000000-0000-4000-8000-000000000000', dsi.userId, { reason });
    expectProblem(unknown, 404, 'NOT_FOUND');
    expect(unknown.body.detail).toBe('Cet établissement est introuvable.');
    expectProblem(await ctx.http.get('/v1/tenants/00000000-0000-4000-8000-000000000000/dsis').set(operator.auth), 404, 'NOT_FOUND');

    // The establishment's own people, however senior, do not use the operator's door.
    for (const caller of [world.dsi, rssi, world.securityContact]) {
      expectProblem(await resetDsi(tenantId, dsi.userId, { reason }, caller.auth), 403, 'FORBIDDEN');
      expectProblem(await ctx.http.get(`/v1/tenants/${tenantId}/dsis`).set(caller.auth), 403, 'FORBIDDEN');
    }
    expectProblem(await ctx.http.post(`/v1/tenants/${tenantId}/users/${dsi.userId}/mfa/reset`).send({ reason }), 401);
    for (const [bad, field] of [[{}, 'reason'], [{ reason: 'x' }, 'reason'], [{ reason: 42 }, 'reason'], [{ reason, extra: 1 }, 'extra']] as const) {
      const res = await resetDsi(tenantId, dsi.userId, bad);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expectProblem(await resetDsi('not-a-uuid', dsi.userId, { reason }), 400);
    expectProblem(await resetDsi(tenantId, 'not-a-uuid', { reason }), 400);
    expectProblem(await ctx.http.get(`/v1/tenants/${tenantId}/dsis`).query({ cursor: 'garbage' }).set(operator.auth), 400, 'VALIDATION_FAILED');

    expect(await before()).toEqual(state);
    await ctx.http.get('/v1/me').set(dsi.auth).expect(200);
    const [{ events }] = await ctx.query<{ events: number }>(`SELECT count(*)::int AS events FROM audit_events WHERE action = 'user.mfa_reset' AND target_id = $1`, [dsi.userId]);
    expect(events).toBe(0);
  });

  describe('R-ART28 resending an invitation is limited per person', () => {
    let second: NestFastifyApplication;
    beforeAll(async () => {
      // Another API instance on the same database: the limit is stored there, not in a process.
      second = await createApiApp({ env: ctx.env, clock: ctx.clock });
      await second.init();
      await second.getHttpAdapter().getInstance().ready();
    });
    afterAll(() => second?.close());

    const invite = async (name: string) => (await ctx.http.post('/v1/users').set(world.dsi.auth)
      .send({ email: `${name}.${Date.now()}@hospital.test`, firstName: name, lastName: 'Invitee', roles: ['referent'] }).expect(201)).body as { id: string; email: string };

    it('R-ART28 five resends per person within an hour, whichever API instance answers: the sixth is a 429 problem with Retry-After, another person still gets hers, an hour after the first it works again', async () => {
      const nina = await invite('nina');
      const omar = await invite('omar');
      const through = (i: number) => (i % 2 ? request(second.getHttpServer()) : ctx.http);
      for (let i = 0; i < 5; i++) {
        await through(i).post(`/v1/users/${nina.id}/invitation/resend`).set(world.dsi.auth).send().expect(200);
        await ctx.advanceClock(60_000);
      }
      const refused = await through(5).post(`/v1/users/${nina.id}/invitation/resend`).set(world.dsi.auth).send();
      expectProblem(refused, 429, 'RATE_LIMITED');
      // The first resend leaves the hour in 55 minutes (five one-minute steps since).
      expect(refused.headers['retry-after']).toBe(String(55 * 60));
      expect(refused.body).toMatchObject({ retryAfterSeconds: 55 * 60, detail: expect.stringContaining('55 minute') });
      expectProblem(await ctx.http.post(`/v1/users/${nina.id}/invitation/resend`).set(world.dsi.auth).send(), 429, 'RATE_LIMITED');
      // The refusals sent nothing and revoked nothing: the fifth link still works.
      await smtp.waitForSubject(nina.email, 'Invitation', 6);
      const [links] = await ctx.query(
        `SELECT count(*)::int AS issued, count(*) FILTER (WHERE used_at IS NULL AND revoked_at IS NULL)::int AS pending FROM invitations WHERE user_id = $1`, [nina.id],
      );
      expect(links).toEqual({ issued: 6, pending: 1 });

      // Another person is not held back by Nina's limit.
      await request(second.getHttpServer()).post(`/v1/users/${omar.id}/invitation/resend`).set(world.dsi.auth).send().expect(200);

      // 55 minutes later the first resend has left the hour: one more goes through, then the limit holds again.
      await ctx.advanceClock(55 * 60_000 - 1_000);
      expectProblem(await ctx.http.post(`/v1/users/${nina.id}/invitation/resend`).set(world.dsi.auth).send(), 429, 'RATE_LIMITED');
      await ctx.advanceClock(2_000);
      await ctx.http.post(`/v1/users/${nina.id}/invitation/resend`).set(world.dsi.auth).send().expect(200);
      const again = await ctx.http.post(`/v1/users/${nina.id}/invitation/resend`).set(world.dsi.auth).send();
      expectProblem(again, 429, 'RATE_LIMITED');
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(HOUR / 1000);
      const events = (await ctx.http.get('/v1/audit-events').query({ action: 'user.invitation_resent', targetId: nina.id }).set(world.dsi.auth).expect(200)).body.items;
      expect(events).toHaveLength(6);
    });

    it('R-ART28 R-ART3 the limit is the person\'s whoever asks: the security contact and the DSI share the five resends of a contractor\'s intervenant', async () => {
      const email = `lina.limite.${Date.now()}@contractor.test`;
      const requested = await ctx.http.post(`/v1/contractors/${world.contractorId}/accounts`).set(world.securityContact.auth)
        .send({ firstName: 'Lina', lastName: 'Limite', email, phone: '+33 6 00 00 00 09' }).expect(201);
      const { userId } = (await ctx.http.post(`/v1/accounts/${requested.body.id}/approve`).set(world.dsi.auth).expect(200)).body;
      for (const caller of [world.securityContact, world.dsi, world.securityContact, world.dsi, world.securityContact]) {
        await ctx.http.post(`/v1/users/${userId}/invitation/resend`).set(caller.auth).send().expect(200);
      }
      expectProblem(await ctx.http.post(`/v1/users/${userId}/invitation/resend`).set(world.dsi.auth).send(), 429, 'RATE_LIMITED');
      expectProblem(await ctx.http.post(`/v1/users/${userId}/invitation/resend`).set(world.securityContact.auth).send(), 429, 'RATE_LIMITED');
      await ctx.advanceClock(HOUR);
      await ctx.http.post(`/v1/users/${userId}/invitation/resend`).set(world.securityContact.auth).send().expect(200);
    });
  });
});
