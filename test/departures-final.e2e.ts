import { Role } from '@app/core';
import { describeApi } from './support/describe-api';

const PASSWORD = 'Intervenant-Pass-42!';

/** R-ART35 R-INT: a departure is final for the contractor; only the DSI reinstates the person. */
describeApi('R-ART35 R-INT departures are final', { world: 'final' }, (rig) => {
  const depart = (account: { id: string }, firstName: string, lastName: string) =>
    rig.ctx.http.post(`/v1/contractors/${rig.w.contractorId}/departures`).set(rig.w.securityContact.auth)
      .send({ firstName, lastName, accountId: account.id, effectiveOn: rig.w.today() }).expect(201);
  const withDeputy = (firstName: string, lastName: string, email: string) =>
    ({ ...rig.w.contacts, securityDeputy: { firstName, lastName, email, phone: '+33 6 00 00 00 00' } });
  const personOf = async (email: string) =>
    (await rig.ctx.query<{ id: string; status: string; roles: string[] }>(`SELECT id, status, roles FROM users WHERE lower(email) = lower($1)`, [email]))[0];

  it('R-ART35 R-INT a departed person named again, as deputy or in an account request, is a 409 PERSON_DEPARTED naming the departure; they stay signed out', async () => {
    const { ctx, w } = rig;
    const paul = await w.activeAccount('Paul', 'Durand');
    const departure = await depart(paul, 'Paul', 'Durand');

    const refused = await ctx.http.put(`/v1/contractors/${w.contractorId}/contacts`).set(w.securityContact.auth)
      .send(withDeputy('Paul', 'Durand', paul.email)).expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'PERSON_DEPARTED', departure: { id: departure.body.id, accountId: paul.id, effectiveOn: w.today() } });
    expect(refused.body.detail).toContain('Paul Durand');
    expect(refused.body.detail).not.toContain(departure.body.id);
    const contacts = await ctx.http.get(`/v1/contractors/${w.contractorId}/contacts`).set(w.dsi.auth).expect(200);
    expect(contacts.body.find((c: { role: string }) => c.role === 'security_deputy').email).toBe(w.contacts.securityDeputy.email);

    const requested = await ctx.http.post(`/v1/contractors/${w.contractorId}/accounts`).set(w.securityContact.auth)
      .send({ firstName: 'Paul', lastName: 'Durand', email: paul.email, phone: '+33 6 00 00 00 00' }).expect(409);
    expect(requested.body).toMatchObject({ code: 'PERSON_DEPARTED', departure: { id: departure.body.id } });

    // The old password and TOTP open nothing: the person is closed, with no role left.
    const login = await ctx.http.post('/v1/auth/login').send({ email: paul.email, password: PASSWORD });
    expect([401, 403]).toContain(login.status);
    expect(login.body.mfaToken).toBeUndefined();
    expect(await personOf(paul.email)).toMatchObject({ status: 'deactivated', roles: [] });
  });

  it('R-INT R-ART35 five declarations of one departure in parallel: one 201, four 409s naming the closed account, one deactivation, one DSI e-mail', async () => {
    const { ctx, w } = rig;
    const nina = await w.activeAccount('Nina', 'Roux');
    const responses = await Promise.all(Array.from({ length: 5 }, () => ctx.http.post(`/v1/contractors/${w.contractorId}/departures`)
      .set(w.securityContact.auth).send({ firstName: 'Nina', lastName: 'Roux', accountId: nina.id, effectiveOn: w.today() })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409).map((r) => [r.body.code, r.body.currentStatus])).toEqual(Array(4).fill(['ACCOUNT_CLOSED', 'deactivated']));
    expect(await ctx.query(`SELECT 1 FROM departures WHERE account_id = $1`, [nina.id])).toHaveLength(1);
    expect(await ctx.query(`SELECT 1 FROM audit_events WHERE target_id = $1 AND action = 'account.deactivated'`, [nina.id])).toHaveLength(1);
    const mails = await ctx.query<{ to: string }>(
      `SELECT payload->'to'->>0 AS to FROM outbox WHERE tenant_id = $1 AND payload->>'template' = 'account-deactivated' AND payload->'data'->>'person' = 'Nina Roux'`,
      [w.tenantId],
    );
    expect(mails.map((m) => m.to)).toEqual([w.dsi.email]);
  });

  it('R-ART35 R-INT only the DSI reinstates a departed person, once: audited, e-mailed to the RSSI; then they sign in again and may be named', async () => {
    const { ctx, smtp, w } = rig;
    const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] });
    const lea = await w.activeAccount('Lea', 'Moreau');
    const departure = await depart(lea, 'Lea', 'Moreau');

    await ctx.http.post(`/v1/accounts/${lea.id}/reinstate`).set(w.securityContact.auth).send({ reason: 'Back in the team' }).expect(403);
    const [first, second] = await Promise.all([0, 1].map(() =>
      ctx.http.post(`/v1/accounts/${lea.id}/reinstate`).set(w.dsi.auth).send({ reason: 'Departure declared by mistake' })));
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const [won, lost] = first.status === 200 ? [first, second] : [second, first];
    expect(won.body).toMatchObject({ id: lea.id, status: 'active', deactivatedAt: null });
    expect(lost.body).toMatchObject({ code: 'ACCOUNT_NOT_DEPARTED', currentStatus: 'active' });

    const audit = await ctx.query<{ actor_id: string; after: { reason: string; departureId: string } }>(
      `SELECT actor_id, after FROM audit_events WHERE target_id = $1 AND action = 'account.reinstated'`, [lea.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: w.dsi.userId, after: { reason: 'Departure declared by mistake', departureId: departure.body.id } });
    const [mail] = await smtp.waitForSubject(rssi.email, 'Compte réintégré');
    expect(mail.subject).toContain('Lea Moreau');
    const departures = await ctx.http.get(`/v1/contractors/${w.contractorId}/departures`).set(w.dsi.auth).expect(200);
    expect(departures.body.items.find((d: { id: string }) => d.id === departure.body.id).reinstatedAt).not.toBeNull();

    const back = await ctx.signIn(lea.email, PASSWORD);
    await ctx.http.get(`/v1/accounts/${lea.id}`).set(back.auth).expect(200);
    await ctx.http.put(`/v1/contractors/${w.contractorId}/contacts`).set(w.securityContact.auth).send(withDeputy('Lea', 'Moreau', lea.email)).expect(200);
    expect((await personOf(lea.email)).roles.sort()).toEqual([Role.SecurityDeputy, Role.Staff].sort());
  });

  it('R-INT a person removed from every role loses every session and every role', async () => {
    const { ctx, w } = rig;
    const marc = await w.activeAccount('Marc', 'Leroy');
    // The company's only prestation ends: every account is closed (not a departure, so the person may be named).
    const prestations = await ctx.http.get(`/v1/contractors/${w.contractorId}/prestations`).set(w.dsi.auth).expect(200);
    for (const p of prestations.body.items) await ctx.http.post(`/v1/prestations/${p.id}/end`).set(w.dsi.auth).send({ reason: 'Contrat terminé' }).expect(200);
    expect((await ctx.http.get(`/v1/accounts/${marc.id}`).set(w.dsi.auth).expect(200)).body.status).toBe('deactivated');

    await ctx.http.put(`/v1/contractors/${w.contractorId}/contacts`).set(w.dsi.auth).send(withDeputy('Marc', 'Leroy', marc.email)).expect(200);
    expect((await personOf(marc.email)).roles).toEqual([Role.SecurityDeputy]);
    const asDeputy = await ctx.signIn(marc.email, PASSWORD);

    // Dropped from the contacts, with no account left: nothing remains.
    await ctx.http.put(`/v1/contractors/${w.contractorId}/contacts`).set(w.dsi.auth).send(w.contacts).expect(200);
    const person = await personOf(marc.email);
    expect(person).toMatchObject({ status: 'deactivated', roles: [] });
    expect(await ctx.query(`SELECT 1 FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL`, [person.id])).toHaveLength(0);
    await ctx.http.get('/v1/me').set(asDeputy.auth).expect(401);
  });
});
