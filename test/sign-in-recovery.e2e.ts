import { Client } from 'pg';
import type { Response } from 'supertest';
import { Role } from '@app/core';
import { UsersRepository } from '../libs/identity/src/users/users.repository';
import { bodyOf, nextSiret, SignedIn, SmtpReceiver, TEST_PASSWORD, TestContext, World } from '@app/testing';
import { describeApi } from './support/describe-api';

const DAY = 86_400_000;

function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toContain('application/problem+json');
  if (code) expect(res.body.code).toBe(code);
}

/**
 * Week one at a hospital DSI: a phone lost (TOTP reset) and an invitation e-mail lost or expired
 * (resend). Real PostgreSQL, Redis, worker and SMTP receiver; the people act through the API.
 */
describeApi('R-ART28 recovering sign-in: TOTP reset by the DSI, invitation resent', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let world: World;
  let other: { tenantId: string; dsi: SignedIn };

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    world = await World.build(ctx, smtp, 'recovery');
    other = await ctx.tenantWithDsi();
  });

  const signedIn = (auth: Record<string, string>) => ctx.http.get('/v1/me').set(auth);
  const reset = (userId: string, body: object, auth: Record<string, string>) => ctx.http.post(`/v1/users/${userId}/mfa/reset`).set(auth).send(body);
  const resend = (userId: string, auth: Record<string, string>) => ctx.http.post(`/v1/users/${userId}/invitation/resend`).set(auth).send();
  const auditOf = async (action: string, targetId: string) =>
    (await ctx.http.get('/v1/audit-events').query({ action, targetId }).set(world.dsi.auth).expect(200)).body.items;
  const person = async (role: Role, contractorId?: string) =>
    ctx.signIn((await ctx.createUser({ tenantId: world.tenantId, roles: [role], contractorId })).email);
  /** The `enrolment` token of the link in the n-th TOTP-reset notice the person received (R-ART28). */
  const enrolmentLinkOf = async (email: string, count = 1) => {
    const mails = await smtp.waitForSubject(email, 'Votre second facteur (TOTP) a été réinitialisé', count);
    return /\/login\?email=[^&\s]+&enrolment=([\w-]+)/.exec(bodyOf(mails[count - 1].raw))![1];
  };
  const startEnrolment = async (email: string, password: string, enrolmentLink?: string) => {
    ctx.clock.advance(30_000);
    const { mfaToken, next } = (await ctx.http.post('/v1/auth/login').send({ email, password }).expect(200)).body;
    expect(next).toBe('enroll');
    return ctx.http.post('/v1/auth/mfa/enroll').send({ mfaToken, enrolmentLink });
  };
  const invitationToken = async (email: string, count: number) => {
    const mails = await smtp.waitForSubject(email, 'Invitation', count);
    return /accept-invitation\?token=([\w-]+)/.exec(bodyOf(mails[count - 1].raw))![1];
  };

  it('R-ART28 a lost phone: the DSI resets the TOTP of a contractor\'s intervenant; every session ends at once, the next sign-in enrols again, the person is e-mailed, the reason audited', async () => {
    const { id: accountId, holder, email } = await world.activeAccount('Paul', 'Perdu');
    const password = 'Intervenant-Pass-42!';
    const laptop = await ctx.signIn(email, password); // a second session, on another device
    const reason = 'Téléphone perdu, identité vérifiée par rappel au numéro déclaré';

    const done = await reset(holder.userId, { reason }, world.dsi.auth).expect(200);
    expect(done.headers['content-type']).toContain('application/json');
    expect(done.body).toMatchObject({ id: holder.userId, email, status: 'active', mfaEnrolled: false });
    expect(JSON.stringify(done.body)).not.toMatch(/secret|hash/i);

    // Every session and refresh token of the person is refused at once.
    for (const session of [holder, laptop]) {
      expectProblem(await signedIn(session.auth), 401);
      expectProblem(await ctx.http.post('/v1/auth/refresh').send({ refreshToken: session.refreshToken }), 401);
    }
    const [stored] = await ctx.query<Record<string, unknown>>(
      `SELECT totp_secret_enc, totp_pending_enc, totp_enabled_at, totp_last_step,
              (SELECT count(*)::int FROM recovery_codes WHERE identity_id = u.identity_id) AS recovery_codes,
              (SELECT count(*)::int FROM auth_sessions WHERE user_id = u.id AND revoked_at IS NULL) AS open_sessions
         FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`, [holder.userId],
    );
    expect(stored).toEqual({ totp_secret_enc: null, totp_pending_enc: null, totp_enabled_at: null, totp_last_step: null, recovery_codes: 0, open_sessions: 0 });

    // Until the person enrols again, the account lacks its second factor: gateways are told so (R-ART36).
    const readiness = await ctx.http.get(`/v1/accounts/${accountId}/readiness`).set(world.dsi.auth).expect(200);
    expect(readiness.body.missing.map((m: { code: string }) => m.code)).toContain('MFA_NOT_ENROLLED');
    // The old authenticator app is useless: the next sign-in enrols a new secret, with the link e-mailed to the person.
    ctx.clock.advance(30_000);
    const login = await ctx.http.post('/v1/auth/login').send({ email, password }).expect(200);
    expect(login.body.next).toBe('enroll');
    expectProblem(await ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken: login.body.mfaToken, code: await ctx.totp(holder.totpSecret) }), 409, 'MFA_NOT_ENROLLED');
    const again = await ctx.signIn(email, password, await enrolmentLinkOf(email));
    expect(again.totpSecret).not.toBe(holder.totpSecret);
    expect((await signedIn(again.auth).expect(200)).body.mfaEnrolled).toBe(true);
    expect((await ctx.http.get(`/v1/accounts/${accountId}/readiness`).set(world.dsi.auth).expect(200)).body).toEqual({ ready: true, missing: [] });

    // The person is told, in French by default, with the reason.
    const [mail] = await smtp.waitForSubject(email, 'Votre second facteur (TOTP) a été réinitialisé');
    expect(bodyOf(mail.raw)).toContain(reason);
    // Audited with the actor, the person and the reason; no secret anywhere in the trail.
    const [event] = await auditOf('user.mfa_reset', holder.userId);
    expect(event).toMatchObject({
      actor: { type: 'user', id: world.dsi.userId }, target: { type: 'user', id: holder.userId },
      before: { mfaEnrolled: true }, after: { mfaEnrolled: false, reason, sessionsRevoked: 2, recoveryCodesDeleted: 10 },
    });
    expect(JSON.stringify(event)).not.toContain(holder.totpSecret);
    expect((await ctx.http.get('/v1/audit-events/verify').set(world.dsi.auth).expect(200)).body.ok).toBe(true);
  });

  it('R-ART28 the DSI resets hospital staff too; in English for a person who reads English', async () => {
    const rssi = await person(Role.Rssi);
    await ctx.query(`UPDATE users SET locale = 'en' WHERE id = $1`, [rssi.userId]);
    await reset(rssi.userId, { reason: 'Phone stolen on 2026-12-01' }, world.dsi.auth).expect(200);
    expectProblem(await signedIn(rssi.auth), 401);
    ctx.clock.advance(30_000);
    expect((await ctx.http.post('/v1/auth/login').send({ email: rssi.email, password: TEST_PASSWORD }).expect(200)).body.next).toBe('enroll');
    const [mail] = await smtp.waitForSubject(rssi.email, 'Your second factor (TOTP) was reset');
    expect(bodyOf(mail.raw)).toContain('Phone stolen on 2026-12-01');
  });

  it('R-ART28 who may reset a TOTP: the DSI only, never their own; other roles 403, another tenant 404, bad input 400; nothing changes', async () => {
    const { holder } = await world.activeAccount('Lea', 'Gardee');
    const target = holder.userId;
    const body = { reason: 'Téléphone perdu' };
    const rssi = await person(Role.Rssi);
    const auditor = await person(Role.Auditor);
    const referent = await person(Role.Referent);
    const secondDsi = await person(Role.Dsi);
    const state = async () => (await ctx.query(`SELECT totp_secret_enc, totp_enabled_at FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`, [target]))[0];
    const before = await state();

    // The contractor side declares people, the hospital decides on credentials: the security contact asks the DSI.
    for (const caller of [world.securityContact, holder, rssi, auditor, referent]) expectProblem(await reset(target, body, caller.auth), 403);
    expectProblem(await ctx.http.post(`/v1/users/${target}/mfa/reset`).send(body), 401);
    expectProblem(await reset(target, body, other.dsi.auth), 404, 'NOT_FOUND');
    expectProblem(await reset('00000000-0000-4000-8000-000000000000', body, world.dsi.auth), 404, 'NOT_FOUND');
    // Nobody resets their own second factor this way; another DSI may.
    expectProblem(await reset(world.dsi.userId, body, world.dsi.auth), 403, 'MFA_RESET_SELF');
    expectProblem(await reset(secondDsi.userId, body, secondDsi.auth), 403, 'MFA_RESET_SELF');
    for (const [bad, field] of [[{}, 'reason'], [{ reason: 'x' }, 'reason'], [{ reason: 'a'.repeat(1001) }, 'reason'], [{ reason: 42 }, 'reason'], [{ ...body, secret: 'x' }, 'secret']] as const) {
      const res = await reset(target, bad, world.dsi.auth);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expectProblem(await reset('not-a-uuid', body, world.dsi.auth), 400);
    expect(await state()).toEqual(before);
    await signedIn(holder.auth).expect(200);
    expect(await auditOf('user.mfa_reset', target)).toEqual([]);

    await reset(secondDsi.userId, body, world.dsi.auth).expect(200);
    expectProblem(await signedIn(secondDsi.auth), 401);
  });

  it('R-ART28 a sign-in racing a TOTP reset never keeps a session: the reset waits for it and revokes it; a code checked before the reset fails after it', async () => {
    const rssi = await person(Role.Rssi);
    const [{ secret }] = await ctx.query<{ secret: string }>(`SELECT totp_secret_enc AS secret FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`, [rssi.userId]);
    // A sign-in in progress: its transaction holds the person's row (the TOTP step it just used) and opens a session.
    const signIn = new Client({ connectionString: ctx.env.DATABASE_URL });
    await signIn.connect();
    try {
      await signIn.query('BEGIN');
      await signIn.query(`UPDATE identities SET totp_last_step = totp_last_step + 1 WHERE id = (SELECT identity_id FROM users WHERE id = $1)`, [rssi.userId]);
      let settled = false;
      const resetting = reset(rssi.userId, { reason: 'Téléphone perdu' }, world.dsi.auth).then((res) => {
        settled = true;
        return res;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      const [session] = (await signIn.query(
        `INSERT INTO auth_sessions (user_id, created_at, expires_at) VALUES ($1, now(), now() + interval '1 day') RETURNING id`, [rssi.userId],
      )).rows;
      await signIn.query('COMMIT');
      expect((await resetting).status).toBe(200);
      const [row] = await ctx.query<{ revoked_reason: string }>(`SELECT revoked_reason FROM auth_sessions WHERE id = $1`, [session.id]);
      expect(row.revoked_reason).toBe('mfa_reset');
    } finally {
      await signIn.end();
    }
    // A code checked against the secret before the reset no longer opens anything.
    expect(await ctx.api.get(UsersRepository).advanceTotpStep(rssi.userId, Math.floor(ctx.clock.now().getTime() / 30_000) + 10, secret)).toBe(false);
  });

  it('R-ART28 R-ART3 the security contact asks the DSI to reset its intervenant\'s TOTP: the DSIs are e-mailed, the request audited, nothing changes until the DSI resets', async () => {
    const { holder, email } = await world.activeAccount('Noe', 'Demande');
    const reason = 'Téléphone professionnel volé le 1er décembre';
    const ask = (userId: string, auth: Record<string, string>, body: object = { reason }) =>
      ctx.http.post(`/v1/users/${userId}/mfa/reset-request`).set(auth).send(body);
    const secondDsi = await person(Role.Dsi);

    const [{ dsis }] = await ctx.query<{ dsis: number }>(`SELECT count(*)::int AS dsis FROM users WHERE tenant_id = $1 AND 'dsi' = ANY(roles) AND status = 'active'`, [world.tenantId]);
    expect(dsis).toBeGreaterThanOrEqual(2);
    const asked = await ask(holder.userId, world.securityContact.auth).expect(202);
    expect(asked.body).toEqual({ userId: holder.userId, requestedAt: ctx.clock.now().toISOString(), notified: dsis });
    // Nothing changed: the person is still enrolled and signed in.
    expect((await signedIn(holder.auth).expect(200)).body.mfaEnrolled).toBe(true);
    for (const dsi of [world.dsi, secondDsi]) {
      const [mail] = await smtp.waitForSubject(dsi.email, 'Demande de réinitialisation du second facteur de Noe Demande');
      expect(bodyOf(mail.raw)).toContain(reason);
      expect(bodyOf(mail.raw)).toContain(`${ctx.env.PUBLIC_URL}/people`); // R-NOT: the console page where the DSI resets it
    }
    const [event] = await auditOf('user.mfa_reset_requested', holder.userId);
    expect(event).toMatchObject({ actor: { type: 'user', id: world.securityContact.userId }, after: { reason, notified: dsis } });

    // Who may ask: the company's declarers, for their own company's people only.
    const otherCompany = (await ctx.http.post('/v1/contractors').set(world.dsi.auth)
      .send({ legalName: 'Autre Demande SAS', siret: nextSiret(), address: 'Angers' }).expect(201)).body.id;
    expectProblem(await ask(holder.userId, (await person(Role.SecurityContact, otherCompany)).auth), 404, 'NOT_FOUND');
    expectProblem(await ask(world.dsi.userId, world.securityContact.auth), 404, 'NOT_FOUND');
    for (const caller of [holder, world.dsi, await person(Role.Rssi)]) expectProblem(await ask(holder.userId, caller.auth), 403);
    expectProblem(await ask(holder.userId, world.securityContact.auth, { reason: '' }), 400, 'VALIDATION_FAILED');
    expectProblem(await ask('not-a-uuid', world.securityContact.auth), 400);

    // The DSI decides.
    await reset(holder.userId, { reason: `Demande du contact sécurité : ${reason}` }, world.dsi.auth).expect(200);
    expectProblem(await signedIn(holder.auth), 401);
    await smtp.waitForSubject(email, 'Votre second facteur (TOTP) a été réinitialisé');
    // Someone who never enrolled has nothing to reset: the company is told so.
    const newcomer = await ctx.createUser({ tenantId: world.tenantId, roles: [Role.Staff], contractorId: world.contractorId });
    expectProblem(await ask(newcomer.id, world.securityContact.auth), 409, 'MFA_NOT_ENROLLED');
    expectProblem(await reset(newcomer.id, { reason }, world.dsi.auth), 409, 'MFA_NOT_ENROLLED');
  });

  it('R-ART28 after a reset the password alone enrols nothing: the one-time link e-mailed to the person does, once; a new reset replaces the link, an expired one is refused', async () => {
    const { holder, email } = await world.activeAccount('Ines', 'Lien');
    const password = 'Intervenant-Pass-42!'; // chosen when the invitation was accepted
    const reason = 'Téléphone perdu, rappel au numéro déclaré';
    await reset(holder.userId, { reason }, world.dsi.auth).expect(200);
    const first = await enrolmentLinkOf(email, 1);

    // Whoever holds the password only is told to open the e-mailed link; a made-up link is refused; no secret is shown.
    const bare = await startEnrolment(email, password);
    expectProblem(bare, 403, 'MFA_ENROLMENT_LINK_REQUIRED');
    expect(bare.body.detail).toMatch(/lien reçu par e-mail/);
    expectProblem(await startEnrolment(email, password, 'x'.repeat(43)), 403, 'MFA_ENROLMENT_LINK_INVALID');
    expect((await ctx.query(`SELECT totp_pending_enc FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`, [holder.userId]))[0].totp_pending_enc).toBeNull();
    // Another person's link does not enrol this person.
    const { holder: otherHolder, email: otherEmail } = await world.activeAccount('Jules', 'Autre');
    await reset(otherHolder.userId, { reason }, world.dsi.auth).expect(200);
    expectProblem(await startEnrolment(email, password, await enrolmentLinkOf(otherEmail, 1)), 403, 'MFA_ENROLMENT_LINK_INVALID');

    // The link was lost (or leaked): while it is unused the DSI resets again; only the new link works.
    await reset(holder.userId, { reason: 'Lien perdu' }, world.dsi.auth).expect(200);
    const second = await enrolmentLinkOf(email, 2);
    expect(second).not.toBe(first);
    expectProblem(await startEnrolment(email, password, first), 403, 'MFA_ENROLMENT_LINK_INVALID');

    // It lasts as long as an invitation (INVITATION_TTL_SECONDS, 7 days by default).
    await ctx.advanceClock(7 * DAY + 60_000);
    expectProblem(await startEnrolment(email, password, second), 403, 'MFA_ENROLMENT_LINK_INVALID');
    await reset(holder.userId, { reason: 'Lien expiré' }, world.dsi.auth).expect(200);
    const third = await enrolmentLinkOf(email, 3);
    const enrolled = await ctx.signIn(email, password, third);
    expect((await signedIn(enrolled.auth).expect(200)).body.mfaEnrolled).toBe(true);
    // Used once: the next sign-in verifies a code, and the link is spent.
    const [links] = await ctx.query<{ used: number; pending: number }>(
      `SELECT count(*) FILTER (WHERE used_at IS NOT NULL)::int AS used, count(*) FILTER (WHERE used_at IS NULL AND revoked_at IS NULL)::int AS pending
         FROM mfa_enrolment_links WHERE user_id = $1`, [holder.userId],
    );
    expect(links).toEqual({ used: 1, pending: 0 });
    ctx.clock.advance(30_000);
    expect((await ctx.http.post('/v1/auth/login').send({ email, password }).expect(200)).body.next).toBe('verify');
    expect(JSON.stringify(await ctx.query(`SELECT * FROM mfa_enrolment_links WHERE user_id = $1`, [holder.userId]))).not.toContain(third);
  });

  it('R-ART28 an invitation lost or expired: the DSI sends a new link, the old one stops working; once the password is chosen, 409', async () => {
    const email = `nouvelle.referente.${Date.now()}@hospital.test`;
    const invited = (await ctx.http.post('/v1/users').set(world.dsi.auth)
      .send({ email, firstName: 'Nina', lastName: 'Nouvelle', roles: ['referent'] }).expect(201)).body;
    const first = await invitationToken(email, 1);

    // The link expired (7 days) before she opened it.
    await ctx.advanceClock(8 * DAY);
    expectProblem(await ctx.http.post('/v1/auth/invitations/accept').send({ token: first, password: 'Referente-Pass-42!' }), 400, 'INVITATION_INVALID');
    const resent = await resend(invited.id, world.dsi.auth).expect(200);
    expect(resent.body).toMatchObject({ id: invited.id, email, status: 'invited', invitationExpiresAt: new Date(ctx.clock.now().getTime() + 7 * DAY).toISOString() });
    const second = await invitationToken(email, 2);
    expect(second).not.toBe(first);

    // A third link replaces the second, which stops working although it has not expired.
    await resend(invited.id, world.dsi.auth).expect(200);
    const third = await invitationToken(email, 3);
    expectProblem(await ctx.http.post('/v1/auth/invitations/accept').send({ token: second, password: 'Referente-Pass-42!' }), 400, 'INVITATION_INVALID');
    await ctx.http.post('/v1/auth/invitations/accept').send({ token: third, password: 'Referente-Pass-42!' }).expect(200);
    await ctx.signIn(email, 'Referente-Pass-42!');

    const done = await resend(invited.id, world.dsi.auth);
    expectProblem(done, 409, 'INVITATION_NOT_PENDING');
    expect(done.body.userStatus).toBe('active');
    expect(smtp.to(email).filter((m) => m.subject.startsWith('Invitation'))).toHaveLength(3);

    const events = await auditOf('user.invitation_resent', invited.id);
    expect(events.map((e: { after: { revokedLinks: number } }) => e.after.revokedLinks)).toEqual([1, 1]);
    expect(events[0]).toMatchObject({ actor: { type: 'user', id: world.dsi.userId }, target: { type: 'user', id: invited.id }, after: { email } });
    expect(JSON.stringify(events)).not.toContain(third);
    const [{ pending, revoked }] = await ctx.query<{ pending: number; revoked: number }>(
      `SELECT count(*) FILTER (WHERE used_at IS NULL AND revoked_at IS NULL)::int AS pending, count(revoked_at)::int AS revoked FROM invitations WHERE user_id = $1`, [invited.id],
    );
    expect({ pending, revoked }).toEqual({ pending: 0, revoked: 2 });
  });

  it('R-ART28 R-ART3 a contractor\'s security contact resends the invitation of its own staff; other companies and hospital people are 404 to it, other roles 403, bad input 400', async () => {
    const email = `jules.retard.${Date.now()}@contractor.test`;
    const requested = await ctx.http.post(`/v1/contractors/${world.contractorId}/accounts`).set(world.securityContact.auth)
      .send({ firstName: 'Jules', lastName: 'Retard', email, phone: '+33 6 00 00 00 01' }).expect(201);
    const approved = (await ctx.http.post(`/v1/accounts/${requested.body.id}/approve`).set(world.dsi.auth).expect(200)).body;
    const first = await invitationToken(email, 1);

    const resent = await resend(approved.userId, world.securityContact.auth).expect(200);
    expect(resent.body).toMatchObject({ id: approved.userId, contractorId: world.contractorId, status: 'invited' });
    const second = await invitationToken(email, 2);
    expectProblem(await ctx.http.post('/v1/auth/invitations/accept').send({ token: first, password: 'Intervenant-Pass-42!' }), 400, 'INVITATION_INVALID');

    // Another company of the establishment, another establishment, a hospital person: not found for the contractor.
    const otherCompany = (await ctx.http.post('/v1/contractors').set(world.dsi.auth)
      .send({ legalName: 'Autre Recovery SAS', siret: nextSiret(), address: 'Laval' }).expect(201)).body.id;
    const foreignContact = await person(Role.SecurityContact, otherCompany);
    expectProblem(await resend(approved.userId, foreignContact.auth), 404, 'NOT_FOUND');
    expectProblem(await resend(approved.userId, other.dsi.auth), 404, 'NOT_FOUND');
    const hospitalInvitee = (await ctx.http.post('/v1/users').set(world.dsi.auth)
      .send({ email: `hospital.${Date.now()}@hospital.test`, firstName: 'Hugo', lastName: 'Hopital', roles: ['auditor'] }).expect(201)).body;
    expectProblem(await resend(hospitalInvitee.id, world.securityContact.auth), 404, 'NOT_FOUND');
    // Roles that do not invite anybody.
    const staff = (await world.activeAccount('Sam', 'Staff')).holder;
    for (const caller of [staff, await person(Role.Rssi), await person(Role.Auditor), await person(Role.Referent)]) {
      expectProblem(await resend(approved.userId, caller.auth), 403);
    }
    expectProblem(await ctx.http.post(`/v1/users/${approved.userId}/invitation/resend`).send(), 401);
    expectProblem(await resend('not-a-uuid', world.dsi.auth), 400);
    expectProblem(await resend('00000000-0000-4000-8000-000000000000', world.dsi.auth), 404, 'NOT_FOUND');
    // An active person (the security contact itself) has no invitation to resend.
    expectProblem(await resend(world.securityContact.userId, world.dsi.auth), 409, 'INVITATION_NOT_PENDING');

    expect(smtp.to(email).filter((m) => m.subject.startsWith('Invitation'))).toHaveLength(2);
    await ctx.http.post('/v1/auth/invitations/accept').send({ token: second, password: 'Intervenant-Pass-42!' }).expect(200);
    const [event] = await auditOf('user.invitation_resent', approved.userId);
    expect(event.actor).toMatchObject({ type: 'user', id: world.securityContact.userId });
  });
});
