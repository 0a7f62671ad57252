import { randomUUID } from 'node:crypto';
import { addDays, localDate } from '@app/core';
import { bodyOf, contactsPayload, nextSiret, SignedIn, SmtpReceiver, TEST_PASSWORD, TestContext, acceptInvitation as acceptTestInvitation, uploadSigned } from '@app/testing';
import { describeApi } from './support/describe-api';

describeApi('R-ART31 declared scope: the catalogue of resources and the habilitations of each account', { tenant: true }, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  /** Two companies of the same establishment, each with its security contact signed in. */
  let medisoft: { id: string; contact: SignedIn };
  let biolab: { id: string; contact: SignedIn };
  /** Another establishment, with its own DSI. */
  let otherDsi: SignedIn;

  const PASSWORD = 'Contractor-Pass-42!';
  const today = () => localDate(ctx.clock.now(), 'Europe/Paris');

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    medisoft = await company('Medisoft SAS', 'scope-medisoft');
    biolab = await company('Biolab SARL', 'scope-biolab');
    ({ dsi: otherDsi } = await ctx.tenantWithDsi());
  });

  /** Follows the link of the invitation e-mail, chooses a password, signs in (enrolling TOTP). */
  const acceptInvitation = (email: string) => acceptTestInvitation(ctx, smtp, email, PASSWORD);

  async function company(legalName: string, prefix: string): Promise<{ id: string; contact: SignedIn }> {
    const created = await ctx.http.post('/v1/contractors').set(rig.dsi.auth)
      .send({ legalName, siret: nextSiret(), address: '12 rue de la Paix, 72000 Le Mans' }).expect(201);
    const contacts = contactsPayload(prefix);
    await ctx.http.put(`/v1/contractors/${created.body.id}/contacts`).set(rig.dsi.auth).send(contacts).expect(200);
    return { id: created.body.id, contact: await acceptInvitation(contacts.securityContact.email) };
  }

  /** A fresh session (access tokens live 15 minutes of the test clock): contractor people chose PASSWORD. */
  const fresh = (who: SignedIn) => ctx.signIn(who.email, PASSWORD);
  const freshDsi = (who: SignedIn) => ctx.signIn(who.email, TEST_PASSWORD);
  /** Moves the clock forward to midday (Paris) of a calendar day. */
  const moveTo = (date: string) => {
    const target = new Date(`${date}T11:00:00Z`);
    const ahead = target.getTime() - ctx.clock.now().getTime();
    expect(ahead).toBeGreaterThan(0);
    ctx.clock.advance(ahead);
  };

  let personCounter = 0;
  async function requestAccount(contractor: { id: string; contact: SignedIn }, firstName: string, lastName: string) {
    const email = `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${personCounter++}@contractor.test`;
    const res = await ctx.http.post(`/v1/contractors/${contractor.id}/accounts`).set(contractor.contact.auth)
      .send({ firstName, lastName, email, phone: '+33 6 12 34 56 78' }).expect(201);
    expect(res.body.status).toBe('requested');
    return res.body as { id: string; email: string };
  }

  async function createResource(name: string, extra: object = {}) {
    const res = await ctx.http.post('/v1/resources').set(rig.dsi.auth)
      .send({ name, kind: 'application', criticality: 'high', ...extra }).expect(201);
    return res.body as { id: string };
  }

  const count = async (table: string) => Number((await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('R-ART31 the DSI keeps the catalogue of resources; duplicates and unknown kinds are refused; contractors read it but cannot add to it', async () => {
    const pacs = await ctx.http.post('/v1/resources').set(rig.dsi.auth)
      .send({ name: 'PACS Carestream', kind: 'application', criticality: 'critical', externalId: 'pacs-01' }).expect(201);
    expect(pacs.body).toEqual({ id: expect.any(String), name: 'PACS Carestream', kind: 'application', criticality: 'critical', externalId: 'pacs-01' });
    await ctx.http.post('/v1/resources').set(rig.dsi.auth)
      .send({ name: 'Scanner IRM salle 2', kind: 'medical_device', criticality: 'high' }).expect(201);
    const before = await count('resources');

    const sameName = await ctx.http.post('/v1/resources').set(rig.dsi.auth)
      .send({ name: 'PACS Carestream', kind: 'server', criticality: 'low', externalId: 'pacs-02' }).expect(409);
    expect(sameName.body.code).toBe('RESOURCE_EXISTS');
    expect(sameName.headers['content-type']).toContain('application/problem+json');
    const sameExternalId = await ctx.http.post('/v1/resources').set(rig.dsi.auth)
      .send({ name: 'PACS (copie)', kind: 'application', criticality: 'low', externalId: 'pacs-01' }).expect(409);
    expect(sameExternalId.body.code).toBe('RESOURCE_EXISTS');
    const badKind = await ctx.http.post('/v1/resources').set(rig.dsi.auth)
      .send({ name: 'Imprimante', kind: 'printer', criticality: 'low' }).expect(400);
    expect(badKind.body.errors.map((e: { field: string }) => e.field)).toEqual(['kind']);
    const badCriticality = await ctx.http.post('/v1/resources').set(rig.dsi.auth)
      .send({ name: 'Imprimante', kind: 'other', criticality: 'extreme' }).expect(400);
    expect(badCriticality.body.errors.map((e: { field: string }) => e.field)).toEqual(['criticality']);

    // The contractor side reads the catalogue (to request a scope) but does not write it.
    await ctx.http.post('/v1/resources').set(medisoft.contact.auth)
      .send({ name: 'Mon serveur', kind: 'server', criticality: 'low' }).expect(403);
    expect(await count('resources')).toBe(before);
    const listed = await ctx.http.get('/v1/resources').set(medisoft.contact.auth).expect(200);
    expect(listed.body.items.map((r: { name: string }) => r.name)).toEqual(['PACS Carestream', 'Scanner IRM salle 2']);

    // Another establishment has a catalogue of its own: it sees none of these and may use the same names.
    expect((await ctx.http.get('/v1/resources').set(otherDsi.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });
    await ctx.http.post('/v1/resources').set(otherDsi.auth)
      .send({ name: 'PACS Carestream', kind: 'application', criticality: 'high', externalId: 'pacs-01' }).expect(201);

    const audit = await ctx.query(`SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = 'resource.created'`, [rig.tenantId]);
    expect(audit).toHaveLength(2);
  });

  it('R-ART31 a habilitation requested by the security contact counts once the DSI approves it, and stops counting after its end date on its own', async () => {
    const resource = await createResource('DPI Sillage', { externalId: 'dpi' });
    const account = await requestAccount(medisoft, 'Lucas', 'Moreau');
    const endsOn = addDays(today(), 3);

    const requested = await ctx.http.post(`/v1/accounts/${account.id}/habilitations`).set(medisoft.contact.auth)
      .send({ resourceId: resource.id, accessType: 'remote', level: 'operate', endsOn }).expect(201);
    expect(requested.body).toMatchObject({ accountId: account.id, resourceId: resource.id, accessType: 'remote', level: 'operate', endsOn, status: 'requested', inForce: false });

    // The contractor does not approve its own scope.
    const selfApproved = await ctx.http.post(`/v1/habilitations/${requested.body.id}/approve`).set(medisoft.contact.auth).expect(403);
    expect(selfApproved.body.code).toBe('FORBIDDEN');
    let list = await ctx.http.get(`/v1/accounts/${account.id}/habilitations`).set(medisoft.contact.auth).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: requested.body.id, status: 'requested', inForce: false })]);

    const approved = await ctx.http.post(`/v1/habilitations/${requested.body.id}/approve`).set(rig.dsi.auth).expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', inForce: true, decidedAt: expect.any(String) });
    list = await ctx.http.get(`/v1/accounts/${account.id}/habilitations`).set(medisoft.contact.auth).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: requested.body.id, status: 'approved', inForce: true, endsOn })]);

    // Still in force on its last day...
    moveTo(endsOn);
    rig.dsi = await freshDsi(rig.dsi);
    expect(today()).toBe(endsOn);
    list = await ctx.http.get(`/v1/accounts/${account.id}/habilitations`).set(rig.dsi.auth).expect(200);
    expect(list.body.items[0]).toMatchObject({ status: 'approved', inForce: true });

    // ...and no longer the day after, with no job run: the end date is read, not applied.
    moveTo(addDays(endsOn, 1));
    rig.dsi = await freshDsi(rig.dsi);
    medisoft.contact = await fresh(medisoft.contact);
    list = await ctx.http.get(`/v1/accounts/${account.id}/habilitations`).set(medisoft.contact.auth).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: requested.body.id, status: 'approved', inForce: false, endsOn })]);

    const actions = await ctx.query<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM audit_events WHERE target_id = $1 ORDER BY seq`, [requested.body.id],
    );
    expect(actions).toEqual([
      { action: 'habilitation.requested', actor_id: medisoft.contact.userId },
      { action: 'habilitation.approved', actor_id: rig.dsi.userId },
    ]);
  });

  it('R-ART31 rejection and revocation carry a reason; an illegal transition is a 409', async () => {
    rig.dsi = await freshDsi(rig.dsi);
    medisoft.contact = await fresh(medisoft.contact);
    const resource = await createResource('Serveur de biologie', { kind: 'server' });
    const account = await requestAccount(medisoft, 'Emma', 'Roux');
    const ask = (level: string) => ctx.http.post(`/v1/accounts/${account.id}/habilitations`).set(medisoft.contact.auth)
      .send({ resourceId: resource.id, accessType: 'onsite', level }).expect(201);

    // Rejected with a reason: final.
    const rejectedOne = (await ask('admin')).body;
    const noReason = await ctx.http.post(`/v1/habilitations/${rejectedOne.id}/reject`).set(rig.dsi.auth).send({}).expect(400);
    expect(new Set(noReason.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['reason']));
    await ctx.http.post(`/v1/habilitations/${rejectedOne.id}/reject`).set(medisoft.contact.auth).send({ reason: 'je refuse' }).expect(403);
    const rejected = await ctx.http.post(`/v1/habilitations/${rejectedOne.id}/reject`).set(rig.dsi.auth)
      .send({ reason: 'Le niveau admin n’est pas justifié' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', inForce: false, reason: 'Le niveau admin n’est pas justifié' });
    for (const action of ['approve', 'reject', 'revoke']) {
      const illegal = await ctx.http.post(`/v1/habilitations/${rejectedOne.id}/${action}`).set(rig.dsi.auth).send(action === 'approve' ? {} : { reason: 'encore' }).expect(409);
      expect(illegal.body.code).toBe('ILLEGAL_TRANSITION');
    }

    // A requested one cannot be revoked; once approved it can, with a reason, once.
    const revokedOne = (await ask('read')).body;
    expect((await ctx.http.post(`/v1/habilitations/${revokedOne.id}/revoke`).set(rig.dsi.auth).send({ reason: 'trop tôt' }).expect(409)).body.code)
      .toBe('ILLEGAL_TRANSITION');
    await ctx.http.post(`/v1/habilitations/${revokedOne.id}/approve`).set(rig.dsi.auth).expect(200);
    await ctx.http.post(`/v1/habilitations/${revokedOne.id}/approve`).set(rig.dsi.auth).expect(409);
    await ctx.http.post(`/v1/habilitations/${revokedOne.id}/revoke`).set(medisoft.contact.auth).send({ reason: 'fin de mission' }).expect(403);
    const revoked = await ctx.http.post(`/v1/habilitations/${revokedOne.id}/revoke`).set(rig.dsi.auth).send({ reason: 'Fin de la mission sur site' }).expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', inForce: false, reason: 'Fin de la mission sur site' });
    await ctx.http.post(`/v1/habilitations/${revokedOne.id}/revoke`).set(rig.dsi.auth).send({ reason: 'deux fois' }).expect(409);
    await ctx.http.post(`/v1/habilitations/${revokedOne.id}/approve`).set(rig.dsi.auth).expect(409);

    const list = await ctx.http.get(`/v1/accounts/${account.id}/habilitations`).set(medisoft.contact.auth).expect(200);
    // Both requested at the same instant (the test clock stands still): their order is the id's, so compare them unordered.
    expect(list.body.items.map((h: { status: string; inForce: boolean }) => [h.status, h.inForce]).sort()).toEqual([['rejected', false], ['revoked', false]]);
    const audit = await ctx.query<{ action: string; after: { reason: string } }>(
      `SELECT action, after FROM audit_events WHERE target_id = ANY($1) AND action IN ('habilitation.rejected', 'habilitation.revoked') ORDER BY seq`,
      [[rejectedOne.id, revokedOne.id]],
    );
    expect(audit.map((a) => [a.action, a.after.reason])).toEqual([
      ['habilitation.rejected', 'Le niveau admin n’est pas justifié'],
      ['habilitation.revoked', 'Fin de la mission sur site'],
    ]);
  });

  it('R-ART31 R-ART28 a closed account is given no scope: a pending habilitation cannot be approved once the account is rejected', async () => {
    rig.dsi = await freshDsi(rig.dsi);
    medisoft.contact = await fresh(medisoft.contact);
    const resource = await createResource('Téléphonie IP');
    const account = await requestAccount(medisoft, 'Paul', 'Henry');
    const pending = (await ctx.http.post(`/v1/accounts/${account.id}/habilitations`).set(medisoft.contact.auth)
      .send({ resourceId: resource.id, accessType: 'remote', level: 'operate' }).expect(201)).body;
    await ctx.http.post(`/v1/accounts/${account.id}/reject`).set(rig.dsi.auth).send({ reason: 'Personne inconnue de la société' }).expect(200);

    const approve = await ctx.http.post(`/v1/habilitations/${pending.id}/approve`).set(rig.dsi.auth).expect(409);
    expect(approve.body.code).toBe('ACCOUNT_CLOSED');
    const more = await ctx.http.post(`/v1/accounts/${account.id}/habilitations`).set(medisoft.contact.auth)
      .send({ resourceId: resource.id, accessType: 'remote', level: 'read' }).expect(409);
    expect(more.body.code).toBe('ACCOUNT_CLOSED');
    let list = await ctx.http.get(`/v1/accounts/${account.id}/habilitations`).set(rig.dsi.auth).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: pending.id, status: 'requested', inForce: false })]);
    // Closing what is left stays possible.
    await ctx.http.post(`/v1/habilitations/${pending.id}/reject`).set(rig.dsi.auth).send({ reason: 'Compte refusé' }).expect(200);
    list = await ctx.http.get(`/v1/accounts/${account.id}/habilitations`).set(rig.dsi.auth).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: pending.id, status: 'rejected', inForce: false })]);
  });

  it('R-ART31 two decisions on the same habilitation at once: one wins, the other is a 409, and the trail holds one decision', async () => {
    rig.dsi = await freshDsi(rig.dsi);
    medisoft.contact = await fresh(medisoft.contact);
    const resource = await createResource('Messagerie sécurisée');
    const account = await requestAccount(medisoft, 'Hugo', 'Lambert');
    for (let round = 0; round < 3; round++) {
      const habilitation = (await ctx.http.post(`/v1/accounts/${account.id}/habilitations`).set(medisoft.contact.auth)
        .send({ resourceId: resource.id, accessType: 'remote', level: 'read' }).expect(201)).body;
      const approvals = await Promise.all([1, 2].map(() => ctx.http.post(`/v1/habilitations/${habilitation.id}/approve`).set(rig.dsi.auth)));
      expect(approvals.map((r) => r.status).sort()).toEqual([200, 409]);
      const revocations = await Promise.all(['Fin de mission', 'Départ'].map((reason) =>
        ctx.http.post(`/v1/habilitations/${habilitation.id}/revoke`).set(rig.dsi.auth).send({ reason })));
      expect(revocations.map((r) => r.status).sort()).toEqual([200, 409]);
      const trail = await ctx.query<{ action: string }>(`SELECT action FROM audit_events WHERE target_id = $1 ORDER BY seq`, [habilitation.id]);
      expect(trail.map((t) => t.action)).toEqual(['habilitation.requested', 'habilitation.approved', 'habilitation.revoked']);
    }
  });

  it('R-ART31 bad input is refused with a 4xx naming the field, and nothing is stored; other companies and establishments get 404', async () => {
    rig.dsi = await freshDsi(rig.dsi);
    medisoft.contact = await fresh(medisoft.contact);
    biolab.contact = await fresh(biolab.contact);
    const resource = await createResource('Automate de biochimie', { kind: 'medical_device' });
    const foreignResource = (await ctx.http.post('/v1/resources').set((otherDsi = await freshDsi(otherDsi)).auth)
      .send({ name: 'Ressource ailleurs', kind: 'server', criticality: 'low' }).expect(201)).body;
    const account = await requestAccount(medisoft, 'Jules', 'Fabre');
    const before = await count('habilitations');
    const ask = (body: object, auth = medisoft.contact.auth) => ctx.http.post(`/v1/accounts/${account.id}/habilitations`).set(auth).send(body);

    const unknown = await ask({ resourceId: randomUUID(), accessType: 'remote', level: 'read' });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBeLessThan(500);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['resourceId']);
    const elsewhere = await ask({ resourceId: foreignResource.id, accessType: 'remote', level: 'read' });
    expect(elsewhere.status).toBe(unknown.status);
    expect(elsewhere.body.errors.map((e: { field: string }) => e.field)).toEqual(['resourceId']);
    const notUuid = await ask({ resourceId: 'pacs-01', accessType: 'remote', level: 'read' }).expect(400);
    expect(notUuid.body.errors.map((e: { field: string }) => e.field)).toEqual(['resourceId']);
    const past = await ask({ resourceId: resource.id, accessType: 'remote', level: 'read', endsOn: addDays(today(), -1) }).expect(400);
    expect(past.body.errors.map((e: { field: string }) => e.field)).toEqual(['endsOn']);
    const notADate = await ask({ resourceId: resource.id, accessType: 'remote', level: 'read', endsOn: '2026-02-30' }).expect(400);
    expect(notADate.body.errors.map((e: { field: string }) => e.field)).toEqual(['endsOn']);
    const badEnums = await ask({ resourceId: resource.id, accessType: 'vpn', level: 'root' }).expect(400);
    expect(badEnums.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['accessType', 'level']);

    // Another company of the same establishment does not see this account at all.
    const otherCompany = await ask({ resourceId: resource.id, accessType: 'remote', level: 'read' }, biolab.contact.auth).expect(404);
    expect(otherCompany.body.code).toBe('NOT_FOUND');
    await ctx.http.get(`/v1/accounts/${account.id}/habilitations`).set(biolab.contact.auth).expect(404);
    await ctx.http.get(`/v1/accounts/${account.id}`).set(biolab.contact.auth).expect(404);
    expect(await count('habilitations')).toBe(before);

    // Another establishment's DSI neither sees nor decides.
    const valid = await ask({ resourceId: resource.id, accessType: 'remote', level: 'read', endsOn: today() }).expect(201);
    await ctx.http.post(`/v1/habilitations/${valid.body.id}/approve`).set(otherDsi.auth).expect(404);
    await ctx.http.post(`/v1/habilitations/${valid.body.id}/reject`).set(otherDsi.auth).send({ reason: 'pas chez nous' }).expect(404);
    await ctx.http.post(`/v1/accounts/${account.id}/habilitations`).set(otherDsi.auth)
      .send({ resourceId: foreignResource.id, accessType: 'remote', level: 'read' }).expect(404);
    await ctx.http.get(`/v1/accounts/${account.id}/habilitations`).set(otherDsi.auth).expect(404);
    const [stored] = await ctx.query<{ status: string; decided_by: string | null }>(`SELECT status, decided_by FROM habilitations WHERE id = $1`, [valid.body.id]);
    expect(stored).toEqual({ status: 'requested', decided_by: null });
    // An end date of today is still in force today once approved.
    const approved = await ctx.http.post(`/v1/habilitations/${valid.body.id}/approve`).set(rig.dsi.auth).expect(200);
    expect(approved.body).toMatchObject({ endsOn: today(), inForce: true });
  });

  it('R-ART31 R-ART28 an account holder (staff) sees only their own account and scope, and declares nothing', async () => {
    rig.dsi = await freshDsi(rig.dsi);
    medisoft.contact = await fresh(medisoft.contact);
    const resource = await createResource('Console de supervision', { kind: 'network_equipment' });
    const alice = await requestAccount(medisoft, 'Alice', 'Durand');
    const bob = await requestAccount(medisoft, 'Bob', 'Lefebvre');
    await ctx.http.post(`/v1/accounts/${alice.id}/approve`).set(rig.dsi.auth).expect(200);
    await ctx.http.post(`/v1/accounts/${bob.id}/approve`).set(rig.dsi.auth).expect(200);
    const aliceHab = await ctx.http.post(`/v1/accounts/${alice.id}/habilitations`).set(medisoft.contact.auth)
      .send({ resourceId: resource.id, accessType: 'remote', level: 'read' }).expect(201);
    const bobHab = await ctx.http.post(`/v1/accounts/${bob.id}/habilitations`).set(medisoft.contact.auth)
      .send({ resourceId: resource.id, accessType: 'remote', level: 'operate' }).expect(201);

    const aliceIn = await acceptInvitation(alice.email);
    const me = await ctx.http.get('/v1/me').set(aliceIn.auth).expect(200);
    expect(me.body.roles).toEqual(['staff']);

    const own = await ctx.http.get(`/v1/accounts/${alice.id}`).set(aliceIn.auth).expect(200);
    expect(own.body).toMatchObject({ id: alice.id, firstName: 'Alice', status: 'approved' });
    await ctx.http.get(`/v1/accounts/${bob.id}`).set(aliceIn.auth).expect(404);
    const listed = await ctx.http.get(`/v1/contractors/${medisoft.id}/accounts`).set(aliceIn.auth).expect(200);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([alice.id]);
    // The security contact, by contrast, sees every account of the company.
    const all = await ctx.http.get(`/v1/contractors/${medisoft.id}/accounts`).set(medisoft.contact.auth).expect(200);
    expect(all.body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([alice.id, bob.id]));

    const scope = await ctx.http.get(`/v1/accounts/${alice.id}/habilitations`).set(aliceIn.auth).expect(200);
    expect(scope.body.items.map((h: { id: string }) => h.id)).toEqual([aliceHab.body.id]);
    await ctx.http.get(`/v1/accounts/${bob.id}/habilitations`).set(aliceIn.auth).expect(404);
    await ctx.http.get(`/v1/contractors/${biolab.id}/accounts`).set(aliceIn.auth).expect(404);
    await ctx.http.get('/v1/resources').set(aliceIn.auth).expect(200);

    // A staff member declares nothing and decides nothing, even about their own account.
    await ctx.http.post(`/v1/accounts/${alice.id}/habilitations`).set(aliceIn.auth)
      .send({ resourceId: resource.id, accessType: 'remote', level: 'admin' }).expect(403);
    await ctx.http.post(`/v1/habilitations/${aliceHab.body.id}/approve`).set(aliceIn.auth).expect(403);
    await ctx.http.post(`/v1/habilitations/${bobHab.body.id}/approve`).set(aliceIn.auth).expect(403);
    await ctx.http.post(`/v1/contractors/${medisoft.id}/accounts`).set(aliceIn.auth)
      .send({ firstName: 'Eve', lastName: 'Martin', email: 'eve.scope@contractor.test', phone: '+33 6 00 00 00 00' }).expect(403);
    const statuses = await ctx.query<{ status: string }>(`SELECT status FROM habilitations WHERE id = ANY($1)`, [[aliceHab.body.id, bobHab.body.id]]);
    expect(statuses.map((s) => s.status)).toEqual(['requested', 'requested']);
  });
});
