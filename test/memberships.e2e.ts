import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { Role } from '@app/core';
import { bodyOf, SignedIn } from '@app/testing';
import { Identities1763900000190 } from '../migrations/1763900000190-identities';
import { expectProblem } from './support/problems';
import { describeApi } from './support/describe-api';

const PASSWORD = 'Vendeur-PACS-2026!';

describeApi('R-MEMB one person, several establishments', {}, (rig) => {
  let a: { tenantId: string; dsi: SignedIn; name: string };
  let b: { tenantId: string; dsi: SignedIn; name: string };
  const email = `ingenieur.${randomUUID().slice(0, 8)}@editeur-pacs.test`;

  const nameOf = async (tenantId: string) => (await rig.ctx.query<{ name: string }>(`SELECT name FROM tenants WHERE id = $1`, [tenantId]))[0].name;
  const invite = (side: { dsi: SignedIn }, address: string) => rig.ctx.http.post('/v1/users').set(side.dsi.auth)
    .send({ email: address, firstName: 'Paul', lastName: 'Lefèvre', roles: ['rssi'] });
  const linkIn = async (address: string, establishment: string) => {
    const mails = await rig.smtp.waitForSubject(address, `Invitation à ${establishment}`);
    const text = bodyOf(mails[mails.length - 1].raw);
    return { token: /accept-invitation\?token=([\w-]+)/.exec(text)![1], text };
  };
  const accept = (token: string, password: string) => rig.ctx.http.post('/v1/auth/invitations/accept').send({ token, password });

  beforeAll(async () => {
    const [x, y] = [await rig.ctx.tenantWithDsi(), await rig.ctx.tenantWithDsi()];
    a = { ...x, name: await nameOf(x.tenantId) };
    b = { ...y, name: await nameOf(y.tenantId) };
    await invite(a, email).expect(201);
    await accept((await linkIn(email, a.name)).token, PASSWORD).expect(200);
    await rig.ctx.signIn(email, PASSWORD); // enrols the TOTP, once for every establishment
  });

  it('R-MEMB R-INT inviting someone known elsewhere answers exactly as for a newcomer; nothing tells the other establishment', async () => {
    const newcomer = await invite(b, `nouveau.${randomUUID().slice(0, 8)}@editeur-pacs.test`).expect(201);
    const known = await invite(b, email).expect(201);
    const shape = (body: Record<string, unknown>) => ({ ...body, id: 'x', email: 'x', createdAt: 'x' });
    expect(shape(known.body)).toEqual(shape(newcomer.body));
    expect(known.body).toMatchObject({ status: 'invited', mfaEnrolled: false, tenantId: b.tenantId });
    const listed = await rig.ctx.http.get(`/v1/users/${known.body.id}`).set(b.dsi.auth).expect(200);
    expect(listed.body).toMatchObject({ status: 'invited', mfaEnrolled: false });
    // The same address twice in one establishment is still refused.
    expectProblem(await invite(b, email.toUpperCase()), 409, 'EMAIL_TAKEN');
  });

  it('R-MEMB the invited person confirms with their usual password: a wrong one is refused and the link still works', async () => {
    const { token, text } = await linkIn(email, b.name);
    expect(text).toContain('Vous avez déjà un compte Prestagate');
    const details = await rig.ctx.http.get('/v1/auth/invitations/details').query({ token }).expect(200);
    expect(details.body).toEqual({ establishment: b.name, existingAccount: true });
    expectProblem(await accept(token, 'Pas-le-bon-mot-2026!'), 401, 'INVALID_CREDENTIALS');
    const accepted = await accept(token, PASSWORD).expect(200);
    // Enrolled already: no second TOTP for the second establishment.
    expect(accepted.body).toMatchObject({ status: 'active', tenantId: b.tenantId, mfaEnrolled: true });
    expectProblem(await accept(token, PASSWORD), 400);
    const [{ identities }] = await rig.ctx.query<{ identities: number }>(
      `SELECT count(DISTINCT identity_id)::int AS identities FROM users WHERE lower(email) = lower($1)`, [email]);
    expect(identities).toBe(1);
  });

  it('R-MEMB one sign-in (password, TOTP once), then the establishment is switched without the TOTP; R-L10N the language is the person\'s', async () => {
    const person = await rig.ctx.signIn(email, PASSWORD);
    const listed = await rig.ctx.http.get('/v1/me/memberships').set(person.auth).expect(200);
    expect(listed.body.map((m: { establishment: string }) => m.establishment).sort()).toEqual([a.name, b.name].sort());
    const current = listed.body.find((m: { current: boolean }) => m.current);
    const other = listed.body.find((m: { current: boolean }) => !m.current);
    const switched = await rig.ctx.http.post('/v1/auth/switch').set(person.auth).send({ membershipId: other.id }).expect(200);
    const auth = { Authorization: `Bearer ${switched.body.accessToken}` };
    expect((await rig.ctx.http.get('/v1/me').set(auth).expect(200)).body).toMatchObject({ id: other.id, tenantId: other.tenantId });
    // The earlier session is over; the new one sees only its establishment's people.
    expectProblem(await rig.ctx.http.get('/v1/me').set(person.auth), 401);
    const people = await rig.ctx.http.get('/v1/users').query({ limit: 100 }).set(auth).expect(200);
    expect(people.body.items.every((u: { tenantId: string }) => u.tenantId === other.tenantId)).toBe(true);
    expect(people.body.items.map((u: { id: string }) => u.id)).not.toContain(current.id);
    // The language chosen here is the person's in every establishment (R-L10N): the e-mails of both follow it.
    await rig.ctx.http.put('/v1/me/locale').set(auth).send({ locale: 'en' }).expect(200);
    const locales = await rig.ctx.query<{ locale: string }>(`SELECT DISTINCT locale FROM users WHERE lower(email) = lower($1)`, [email]);
    expect(locales).toEqual([{ locale: 'en' }]);
    // And back, still without a TOTP code.
    const back = await rig.ctx.http.post('/v1/auth/switch').set(auth).send({ membershipId: current.id }).expect(200);
    const backAuth = { Authorization: `Bearer ${back.body.accessToken}` };
    expect((await rig.ctx.http.get('/v1/me').set(backAuth).expect(200)).body.locale).toBe('en');
    await rig.ctx.http.put('/v1/me/locale').set(backAuth).send({ locale: 'fr' }).expect(200);
  });

  it('R-MEMB R-INT parallel switches of one session: one wins, the others find it ended', async () => {
    const person = await rig.ctx.signIn(email, PASSWORD);
    const [other] = (await rig.ctx.http.get('/v1/me/memberships').set(person.auth).expect(200)).body
      .filter((m: { current: boolean }) => !m.current);
    const answers = await Promise.all(Array.from({ length: 6 }, () =>
      rig.ctx.http.post('/v1/auth/switch').set(person.auth).send({ membershipId: other.id })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
  });

  it("R-MEMB R-INT another person's membership is not found; a suspended one is refused; the rest of the person is untouched", async () => {
    const person = await rig.ctx.signIn(email, PASSWORD);
    expectProblem(await rig.ctx.http.post('/v1/auth/switch').set(person.auth).send({ membershipId: b.dsi.userId }), 404);
    const [inB] = await rig.ctx.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = $1 AND lower(email) = lower($2)`, [b.tenantId, email]);
    await rig.ctx.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [inB.id]);
    try {
      const listed = await rig.ctx.http.get('/v1/me/memberships').set(person.auth).expect(200);
      expect(listed.body.map((m: { tenantId: string }) => m.tenantId)).toEqual([a.tenantId]);
      expectProblem(await rig.ctx.http.post('/v1/auth/switch').set(person.auth).send({ membershipId: inB.id }), 403, 'ACCOUNT_SUSPENDED');
      // Suspended in one establishment, the person still signs in to the other.
      const again = await rig.ctx.signIn(email, PASSWORD);
      expect((await rig.ctx.http.get('/v1/me').set(again.auth).expect(200)).body.tenantId).toBe(a.tenantId);
    } finally {
      await rig.ctx.query(`UPDATE users SET status = 'active' WHERE id = $1`, [inB.id]);
    }
  });

  it('R-MEMB R-ART28 a password change is the identity\'s: it ends the sessions of every establishment', async () => {
    const first = await rig.ctx.signIn(email, PASSWORD);
    const [other] = (await rig.ctx.http.get('/v1/me/memberships').set(first.auth).expect(200)).body
      .filter((m: { current: boolean }) => !m.current);
    const elsewhere = await rig.ctx.signIn(email, PASSWORD);
    const moved = await rig.ctx.http.post('/v1/auth/switch').set(elsewhere.auth).send({ membershipId: other.id }).expect(200);
    const movedAuth = { Authorization: `Bearer ${moved.body.accessToken}` };
    await rig.ctx.http.get('/v1/me').set(movedAuth).expect(200);
    const next = 'Nouveau-Mot-2026!x';
    await rig.ctx.http.post('/v1/auth/password').set(first.auth).send({ currentPassword: PASSWORD, newPassword: next }).expect(204);
    expectProblem(await rig.ctx.http.get('/v1/me').set(movedAuth), 401);
    await rig.ctx.http.get('/v1/me').set(first.auth).expect(200);
    await rig.ctx.http.post('/v1/auth/login').send({ email, password: PASSWORD }).expect(401);
    await rig.ctx.http.post('/v1/auth/login').send({ email, password: next }).expect(200);
  });

  it('R-MEMB R-INT invitations of one address by two establishments at once: one membership in each, one identity', async () => {
    const address = `meme.${randomUUID().slice(0, 8)}@example.test`;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      invite(i % 2 ? b : a, i % 3 ? address : address.toUpperCase())));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, ...Array(8).fill(409)]);
    for (const r of answers.filter((x) => x.status === 409)) expectProblem(r, 409, 'EMAIL_TAKEN');
    const rows = await rig.ctx.query<{ tenant_id: string; identity_id: string }>(
      `SELECT tenant_id, identity_id FROM users WHERE lower(email) = lower($1) ORDER BY tenant_id`, [address]);
    expect(rows.map((r) => r.tenant_id).sort()).toEqual([a.tenantId, b.tenantId].sort());
    expect(new Set(rows.map((r) => r.identity_id)).size).toBe(1);
  });
});

describeApi('R-MEMB migration 190: the people stored before it become identities with one membership each', { mail: false }, (rig) => {
  it('R-MEMB R-ART28 passwords, TOTP secrets and recovery codes move to the identity; everyone signs in as before', async () => {
    const { ctx } = rig;
    const migration = new Identities1763900000190();
    const runner = { query: (sql: string) => ctx.sql.query(sql) } as unknown as QueryRunner;
    const { tenantId, dsi } = await ctx.tenantWithDsi();
    const rssi = await ctx.createUser({ tenantId, roles: [Role.Rssi] });
    await ctx.signIn(rssi.email); // enrols: a TOTP secret and ten recovery codes
    await migration.down(runner);
    const before = await ctx.query<Record<string, unknown>>(
      `SELECT id, email, password_hash, totp_secret_enc, totp_enabled_at, failed_attempts,
              (SELECT count(*)::int FROM recovery_codes r WHERE r.user_id = u.id) AS codes FROM users u ORDER BY id`);
    expect(before.find((u) => u.id === rssi.id)).toMatchObject({ codes: 10, totp_secret_enc: expect.any(String) });

    await migration.up(runner);
    const after = await ctx.query<Record<string, unknown>>(
      `SELECT u.id, i.email, i.password_hash, i.totp_secret_enc, i.totp_enabled_at, i.failed_attempts,
              (SELECT count(*)::int FROM recovery_codes r WHERE r.identity_id = i.id) AS codes
         FROM users u JOIN identities i ON i.id = u.identity_id ORDER BY u.id`);
    expect(after).toEqual(before);
    await ctx.http.get('/v1/me').set(dsi.auth).expect(200);
    const again = await ctx.signIn(rssi.email);
    expect((await ctx.http.get('/v1/me').set(again.auth).expect(200)).body.id).toBe(rssi.id);

    // Two memberships of one identity cannot become one user again: `down` refuses and changes nothing.
    await ctx.createUser({ tenantId: await ctx.createTenant(), roles: [Role.Auditor], email: rssi.email });
    await expect(migration.down(runner)).rejects.toThrow('an identity has several memberships');
    expect(await ctx.query(`SELECT count(*)::int AS n FROM identities`)).toEqual([{ n: after.length }]);
  });
});
