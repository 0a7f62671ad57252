import { randomUUID } from 'node:crypto';
import { localDate, Role } from '@app/core';
import { bodyOf, contactsPayload, nextSiret, pdf, SignedIn, SmtpReceiver, TEST_PASSWORD, TestContext, acceptInvitation as acceptTestInvitation, uploadSigned, validateSignature } from '@app/testing';
import { describeApi } from './support/describe-api';

const CONTRACTOR_PASSWORD = 'Contractor-Pass-42!';
const HOLDER_PASSWORD = 'Intervenant-Pass-42!';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Company {
  id: string;
  name: string;
  prefix: string;
  contact: SignedIn;
  contacts: ReturnType<typeof contactsPayload>;
}

describeApi('R-ART5 R-ART16-27 incidents and the derogations register', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let dsi: SignedIn;
  let tenantId: string;
  let rssi: { id: string; email: string };
  let conventionId: string;
  /** Medisoft: gate open (contacts, remote prestation, charter signed and validated). Biolab: contacts only. */
  let medisoft: Company;
  let biolab: Company;
  let otherDsi: SignedIn;

  const today = () => localDate(ctx.clock.now(), 'Europe/Paris');
  const at = (offsetMs: number) => new Date(ctx.clock.now().getTime() + offsetMs).toISOString();
  const count = async (table: string) => Number((await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const fields = (res: { body: { errors?: { field: string }[] } }) => [...new Set((res.body.errors ?? []).map((e) => e.field))].sort();

  const upload = (auth: Record<string, string>, path: string, fields: Record<string, string>, file: Buffer) =>
    uploadSigned(ctx, auth, path, fields, file);

  const acceptInvitation = (email: string, password: string) => acceptTestInvitation(ctx, smtp, email, password);

  async function company(name: string, prefix: string, auth = dsi.auth): Promise<Company> {
    const created = await ctx.http.post('/v1/contractors').set(auth).send({ legalName: name, siret: nextSiret(), address: 'Le Mans' }).expect(201);
    const contacts = contactsPayload(prefix);
    await ctx.http.put(`/v1/contractors/${created.body.id}/contacts`).set(auth).send(contacts).expect(200);
    const contact = await acceptInvitation(contacts.securityContact.email, CONTRACTOR_PASSWORD);
    return { id: created.body.id, name, prefix, contact, contacts };
  }

  /** Fresh sessions for everyone this file uses (access tokens live 15 minutes of the test clock). */
  async function refreshSessions(): Promise<void> {
    dsi = await ctx.signIn(dsi.email, TEST_PASSWORD);
    otherDsi = await ctx.signIn(otherDsi.email, TEST_PASSWORD);
    medisoft.contact = await ctx.signIn(medisoft.contact.email, CONTRACTOR_PASSWORD);
    biolab.contact = await ctx.signIn(biolab.contact.email, CONTRACTOR_PASSWORD);
  }

  let personCounter = 0;
  /** An account requested by the security contact and approved by the DSI; its holder signed in through the invitation. */
  async function approvedAccount(c: Company, first: string, last: string): Promise<{ id: string; email: string; holder: SignedIn }> {
    const email = `${first}.${last}.${personCounter++}@${c.prefix}.test`.toLowerCase();
    const requested = await ctx.http.post(`/v1/contractors/${c.id}/accounts`).set(c.contact.auth)
      .send({ firstName: first, lastName: last, email, phone: '+33 6 00 00 00 00' }).expect(201);
    await ctx.http.post(`/v1/accounts/${requested.body.id}/approve`).set(dsi.auth).expect(200);
    const holder = await acceptInvitation(email, HOLDER_PASSWORD);
    return { id: requested.body.id, email, holder };
  }

  /** Same, and the person's access convention signed and validated: the account turns active. */
  async function activeAccount(c: Company, first: string, last: string) {
    const account = await approvedAccount(c, first, last);
    const convention = await upload(c.contact.auth, `/v1/accounts/${account.id}/convention`, {
      documentId: conventionId, signerFirstName: first, signerLastName: last, signedOn: today(), allPagesInitialled: 'true',
    }, pdf(`convention-${account.email}`)).expect(201);
    await validateSignature(ctx, convention.body.id, dsi.auth);
    expect((await ctx.http.get(`/v1/accounts/${account.id}`).set(dsi.auth).expect(200)).body.status).toBe('active');
    return account;
  }

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
    rssi = await ctx.createUser({ tenantId, roles: [Role.Rssi] });
    medisoft = await company('Medisoft SAS', 'incident-medisoft');
    biolab = await company('Biolab SARL', 'incident-biolab');
    await ctx.http.post(`/v1/contractors/${medisoft.id}/prestations`).set(dsi.auth)
      .send({ title: 'Maintenance PACS', accessMode: 'remote', rgpdSubcontractor: false, startsOn: today() }).expect(201);
    const charter = await upload(dsi.auth, '/v1/documents', { kind: 'charter', versionLabel: 'v2.0', effectiveOn: today() }, pdf('charter')).expect(201);
    const signed = await upload(medisoft.contact.auth, `/v1/contractors/${medisoft.id}/signatures`, {
      documentId: charter.body.id, signerFirstName: 'Claire', signerLastName: 'Martin', signerFunction: 'Présidente', signedOn: today(), allPagesInitialled: 'true',
    }, pdf('charter-signed')).expect(201);
    await validateSignature(ctx, signed.body.id, dsi.auth);
    conventionId = (await upload(dsi.auth, '/v1/documents', { kind: 'access_convention', versionLabel: 'c1', effectiveOn: today() }, pdf('convention')).expect(201)).body.id;
    expect((await ctx.http.get(`/v1/contractors/${medisoft.id}/gate`).set(dsi.auth).expect(200)).body.open).toBe(true);
    ({ dsi: otherDsi } = await ctx.tenantWithDsi());
  });

  // ---------------------------------------------------------------- derogations register

  describe('R-ART16-27 the derogations register', () => {
    it('R-ART16-27 the DSI grants each kind with its scope, justification and validity; an expired one stops counting', async () => {
      await refreshSessions();
      const grant = (body: object) => ctx.http.post('/v1/derogations').set(dsi.auth).send(body);
      const equipment = await grant({
        kind: 'equipment', contractorId: medisoft.id, scope: 'Portable de diagnostic Medisoft n° 42 sur le VLAN imagerie',
        justification: 'Outil constructeur indispensable au diagnostic du PACS', validFrom: at(-HOUR), validUntil: at(2 * DAY),
      }).expect(201);
      expect(equipment.body).toEqual({
        id: expect.any(String), kind: 'equipment', contractorId: medisoft.id, scope: 'Portable de diagnostic Medisoft n° 42 sur le VLAN imagerie',
        justification: 'Outil constructeur indispensable au diagnostic du PACS', validFrom: expect.any(String), validUntil: expect.any(String),
        authorId: dsi.userId, revokedAt: null, revokeReason: null, inForce: true,
      });
      const remote = await grant({
        kind: 'remote_control_tool', contractorId: medisoft.id, scope: 'TeamViewer sur la console PACS', justification: 'Télémaintenance du constructeur',
        validFrom: at(-HOUR), validUntil: at(30 * DAY),
      }).expect(201);
      const shared = await grant({
        kind: 'shared_account', contractorId: biolab.id, scope: 'Compte « astreinte » des automates', justification: 'Astreinte tournante de nuit',
        validFrom: at(-HOUR), validUntil: at(30 * DAY),
      }).expect(201);
      const logDeletion = await grant({
        kind: 'log_deletion', scope: 'Journaux du serveur de test SRV-TST-01', justification: 'Données de test personnelles à purger',
        validFrom: at(-HOUR), validUntil: at(30 * DAY),
      }).expect(201);
      expect(logDeletion.body.contractorId).toBeNull();
      const later = await grant({
        kind: 'equipment', contractorId: medisoft.id, scope: 'Second portable', justification: 'Remplacement prévu',
        validFrom: at(10 * DAY), validUntil: at(20 * DAY),
      }).expect(201);
      expect(later.body.inForce).toBe(false);

      let list = await ctx.http.get('/v1/derogations').set(dsi.auth).expect(200);
      const inForce = (items: { id: string; inForce: boolean }[]) => Object.fromEntries(items.map((d) => [d.id, d.inForce]));
      expect(inForce(list.body.items)).toEqual({
        [equipment.body.id]: true, [remote.body.id]: true, [shared.body.id]: true, [logDeletion.body.id]: true, [later.body.id]: false,
      });
      const equipments = await ctx.http.get('/v1/derogations?kind=equipment').set(dsi.auth).expect(200);
      expect(equipments.body.items.map((d: { id: string }) => d.id).sort()).toEqual([equipment.body.id, later.body.id].sort());
      // The RSSI reads the register too; a contractor sees only what concerns its company.
      await ctx.http.get('/v1/derogations').set(await ctx.signIn(rssi.email).then((s) => s.auth)).expect(200);
      const forMedisoft = await ctx.http.get('/v1/derogations').set(medisoft.contact.auth).expect(200);
      expect(forMedisoft.body.items.map((d: { id: string }) => d.id).sort()).toEqual([equipment.body.id, remote.body.id, later.body.id].sort());
      const sneaky = await ctx.http.get(`/v1/derogations?contractorId=${biolab.id}`).set(medisoft.contact.auth).expect(200);
      expect(sneaky.body).toEqual({ items: [], nextCursor: null });
      expect((await ctx.http.get('/v1/derogations').set(otherDsi.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });

      // Two days later the equipment derogation is over, the later one has not begun; nothing was run.
      ctx.clock.advance(2 * DAY + HOUR);
      await refreshSessions();
      list = await ctx.http.get('/v1/derogations').set(dsi.auth).expect(200);
      expect(inForce(list.body.items)).toEqual({
        [equipment.body.id]: false, [remote.body.id]: true, [shared.body.id]: true, [logDeletion.body.id]: true, [later.body.id]: false,
      });
      // ...and the later one counts once its period begins.
      ctx.clock.advance(9 * DAY);
      await refreshSessions();
      list = await ctx.http.get('/v1/derogations?kind=equipment').set(dsi.auth).expect(200);
      expect(inForce(list.body.items)).toEqual({ [equipment.body.id]: false, [later.body.id]: true });

      const granted = await ctx.query<{ target_id: string; actor_id: string; after: { kind: string; justification: string } }>(
        `SELECT target_id, actor_id, after FROM audit_events WHERE tenant_id = $1 AND action = 'derogation.granted' ORDER BY seq`, [tenantId],
      );
      expect(granted.map((g) => [g.target_id, g.after.kind, g.actor_id])).toEqual([
        [equipment.body.id, 'equipment', dsi.userId], [remote.body.id, 'remote_control_tool', dsi.userId],
        [shared.body.id, 'shared_account', dsi.userId], [logDeletion.body.id, 'log_deletion', dsi.userId], [later.body.id, 'equipment', dsi.userId],
      ]);
      expect(granted[0].after.justification).toBe('Outil constructeur indispensable au diagnostic du PACS');
    });

    it('R-ART16-27 bad input is a 400 naming the field; only the DSI grants; nothing is stored', async () => {
      await refreshSessions();
      const before = await count('derogations');
      const valid = { kind: 'equipment', scope: 'Un portable', justification: 'Diagnostic', validFrom: at(0), validUntil: at(DAY) };
      const grant = (body: object, auth = dsi.auth) => ctx.http.post('/v1/derogations').set(auth).send(body);

      const backwards = await grant({ ...valid, validFrom: at(2 * DAY), validUntil: at(DAY) }).expect(400);
      expect(fields(backwards)).toEqual(['validUntil']);
      await grant({ ...valid, validUntil: valid.validFrom }).expect(400);
      expect(fields(await grant({ ...valid, kind: 'usb_key' }).expect(400))).toEqual(['kind']);
      expect(fields(await grant({ ...valid, validUntil: 'next week' }).expect(400))).toEqual(['validUntil']);
      expect(fields(await grant({ ...valid, justification: undefined }).expect(400))).toEqual(['justification']);
      expect(fields(await grant({ ...valid, contractorId: randomUUID() }).expect(400))).toEqual(['contractorId']);
      // A contractor of another establishment is unknown here.
      const foreign = (await ctx.http.post('/v1/contractors').set(otherDsi.auth).send({ legalName: 'Ailleurs SA', siret: nextSiret(), address: 'Nantes' }).expect(201)).body;
      expect(fields(await grant({ ...valid, contractorId: foreign.id }).expect(400))).toEqual(['contractorId']);

      // Contractors (and hospital users other than the DSI) do not grant derogations.
      expect((await grant({ ...valid, contractorId: medisoft.id }, medisoft.contact.auth).expect(403)).body.code).toBe('FORBIDDEN');
      await grant(valid, (await ctx.signIn(rssi.email)).auth).expect(403);
      expect(await count('derogations')).toBe(before);
    });

    it('R-ART16-27 a derogation is revoked with a reason, once; the audit trail keeps grant and revocation', async () => {
      await refreshSessions();
      const derogation = (await ctx.http.post('/v1/derogations').set(dsi.auth).send({
        kind: 'remote_control_tool', contractorId: biolab.id, scope: 'AnyDesk sur l’automate', justification: 'Dépannage urgent',
        validFrom: at(0), validUntil: at(7 * DAY),
      }).expect(201)).body;
      const revoke = (body: object, auth = dsi.auth) => ctx.http.post(`/v1/derogations/${derogation.id}/revoke`).set(auth).send(body);

      expect(fields(await revoke({}).expect(400))).toEqual(['reason']);
      await revoke({ reason: 'Nous n’en avons plus besoin' }, biolab.contact.auth).expect(403);
      await revoke({ reason: 'Pas chez nous' }, otherDsi.auth).expect(404);
      const revoked = await revoke({ reason: 'Dépannage terminé' }).expect(200);
      expect(revoked.body).toMatchObject({ id: derogation.id, inForce: false, revokedAt: expect.any(String), revokeReason: 'Dépannage terminé' });
      const twice = await revoke({ reason: 'Encore' }).expect(409);
      expect(twice.body.code).toBe('DEROGATION_REVOKED');
      const listed = await ctx.http.get(`/v1/derogations?contractorId=${biolab.id}&kind=remote_control_tool`).set(dsi.auth).expect(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ id: derogation.id, inForce: false, revokeReason: 'Dépannage terminé' })]);

      const trail = await ctx.query<{ action: string; actor_id: string; after: { reason?: string } }>(
        `SELECT action, actor_id, after FROM audit_events WHERE target_id = $1 ORDER BY seq`, [derogation.id],
      );
      expect(trail.map((t) => [t.action, t.actor_id])).toEqual([['derogation.granted', dsi.userId], ['derogation.revoked', dsi.userId]]);
      expect(trail[1].after.reason).toBe('Dépannage terminé');
      expect((await ctx.http.get('/v1/audit-events/verify').set(dsi.auth).expect(200)).body.ok).toBe(true);
    });
  });

  // ---------------------------------------------------------------- shared accounts (Art. 30)

  it('R-ART16-27 R-ART28 a shared account only under a shared-account derogation in force (Art. 30)', async () => {
    // An establishment of its own, so that no derogation of the other stories covers it.
    const { tenantId: tenant, dsi: director } = await ctx.tenantWithDsi();
    const alpha = await company('Alpha Maintenance', 'shared-alpha', director.auth);
    const beta = await company('Beta Services', 'shared-beta', director.auth);
    let contact = alpha.contact;
    let head = director;
    let n = 0;
    const ask = () => ctx.http.post(`/v1/contractors/${alpha.id}/accounts`).set(contact.auth)
      .send({ firstName: 'Astreinte', lastName: `Nuit ${++n}`, email: `astreinte.${n}@alpha.test`, phone: '+33 2 43 00 00 00', shared: true });
    const grant = (body: object) => ctx.http.post('/v1/derogations').set(head.auth)
      .send({ scope: 'Compte d’astreinte', justification: 'Astreinte tournante', validFrom: at(-HOUR), ...body }).expect(201);
    const accounts = () => count('accounts');

    const before = await accounts();
    const refused = await ask().expect(409);
    expect(refused.body.code).toBe('SHARED_ACCOUNT_NEEDS_DEROGATION');
    // Neither a derogation for another company, nor one of another kind, nor one not begun yet, counts.
    await grant({ kind: 'shared_account', contractorId: beta.id, validUntil: at(30 * DAY) });
    await grant({ kind: 'equipment', validUntil: at(30 * DAY) });
    await grant({ kind: 'shared_account', validFrom: at(5 * DAY), validUntil: at(30 * DAY) });
    expect((await ask().expect(409)).body.code).toBe('SHARED_ACCOUNT_NEEDS_DEROGATION');
    expect(await accounts()).toBe(before);
    // Nor does an ordinary request pretend otherwise: without `shared` it is a nominative account.
    const nominative = await ctx.http.post(`/v1/contractors/${alpha.id}/accounts`).set(contact.auth)
      .send({ firstName: 'Paul', lastName: 'Girard', email: 'paul.girard@alpha.test', phone: '+33 2 43 00 00 00' }).expect(201);
    expect(nominative.body.shared).toBe(false);

    // A derogation for this company: accepted, and the account keeps which derogation allowed it.
    const own = (await grant({ kind: 'shared_account', contractorId: alpha.id, validUntil: at(30 * DAY) })).body;
    const first = await ask().expect(201);
    expect(first.body).toMatchObject({ shared: true, status: 'requested' });
    expect((await ctx.query(`SELECT derogation_id FROM accounts WHERE id = $1`, [first.body.id]))[0]).toEqual({ derogation_id: own.id });
    // Revoked: it no longer counts.
    await ctx.http.post(`/v1/derogations/${own.id}/revoke`).set(head.auth).send({ reason: 'Astreinte internalisée' }).expect(200);
    expect((await ask().expect(409)).body.code).toBe('SHARED_ACCOUNT_NEEDS_DEROGATION');

    // A tenant-wide one, for three days: accepted while it lasts, refused after, with no job run.
    const wide = (await grant({ kind: 'shared_account', validUntil: at(3 * DAY) })).body;
    const second = await ask().expect(201);
    expect((await ctx.query(`SELECT derogation_id FROM accounts WHERE id = $1`, [second.body.id]))[0]).toEqual({ derogation_id: wide.id });
    ctx.clock.advance(3 * DAY + HOUR);
    contact = await ctx.signIn(contact.email, CONTRACTOR_PASSWORD);
    head = await ctx.signIn(director.email, TEST_PASSWORD);
    // (the one granted from day 5 has not begun either)
    expect((await ask().expect(409)).body.code).toBe('SHARED_ACCOUNT_NEEDS_DEROGATION');
    const trail = await ctx.query<{ after: { reason: string } }>(
      `SELECT after FROM audit_events WHERE tenant_id = $1 AND action = 'account.requested' AND target_id = ANY($2) ORDER BY seq`,
      [tenant, [first.body.id, second.body.id]],
    );
    expect(trail.map((t) => t.after.reason)).toEqual(['shared account under derogation', 'shared account under derogation']);
    // Once the derogation from day 5 begins, it covers the company again.
    ctx.clock.advance(2 * DAY);
    contact = await ctx.signIn(contact.email, CONTRACTOR_PASSWORD);
    await ask().expect(201);
  });

  // ---------------------------------------------------------------- incidents (Art. 5, 33)

  describe('R-ART5 threats and incidents', () => {
    const subject = (kind: string, company: string) => `Signalement de sécurité (${kind}) : ${company}`;

    it('R-ART5 a staff member reports a threat: stored, and the RSSI and the security contact and deputy are e-mailed', async () => {
      await refreshSessions();
      const staff = await approvedAccount(medisoft, 'Louis', 'Garnier');
      const reported = await ctx.http.post('/v1/incidents').set(staff.holder.auth)
        .send({ kind: 'threat', description: 'Courriel d’hameçonnage reçu au nom de la DSI du CH' }).expect(201);
      expect(reported.body).toEqual({
        id: expect.any(String), kind: 'threat', description: 'Courriel d’hameçonnage reçu au nom de la DSI du CH', contractorId: medisoft.id,
        accountId: null, reportedBy: staff.holder.userId, reportedAt: expect.any(String), accountSuspended: false,
      });
      for (const email of [rssi.email, medisoft.contacts.securityContact.email, medisoft.contacts.securityDeputy.email]) {
        const [mail] = await smtp.waitForSubject(email, subject('threat', 'Medisoft SAS'));
        expect(bodyOf(mail.raw)).toContain('hameçonnage');
        expect(bodyOf(mail.raw)).toContain(staff.email);
      }

      // The security contact reports a vulnerability the same way.
      const vulnerability = await ctx.http.post('/v1/incidents').set(medisoft.contact.auth)
        .send({ kind: 'vulnerability', description: 'Faille critique publiée sur le logiciel de télémaintenance' }).expect(201);
      expect(vulnerability.body).toMatchObject({ contractorId: medisoft.id, accountId: null, accountSuspended: false });
      await smtp.waitForSubject(rssi.email, subject('vulnerability', 'Medisoft SAS'));
      await smtp.waitForSubject(medisoft.contacts.securityDeputy.email, subject('vulnerability', 'Medisoft SAS'));

      const trail = await ctx.query<{ action: string; actor_id: string }>(
        `SELECT action, actor_id FROM audit_events WHERE target_id = ANY($1) ORDER BY seq`, [[reported.body.id, vulnerability.body.id]],
      );
      expect(trail).toEqual([
        { action: 'incident.reported', actor_id: staff.holder.userId }, { action: 'incident.reported', actor_id: medisoft.contact.userId },
      ]);
      // Another company's contacts hear nothing of it.
      await new Promise((r) => setTimeout(r, 300));
      expect(smtp.to(biolab.contacts.securityContact.email).filter((m) => m.subject.startsWith('Signalement'))).toHaveLength(0);
    });

    it('R-ART5 a compromise report suspends the account at once and alerts the RSSI and the security contacts', async () => {
      await refreshSessions();
      const account = await activeAccount(medisoft, 'Nina', 'Chevalier');
      await ctx.http.get('/v1/me').set(account.holder.auth).expect(200);

      const reported = await ctx.http.post('/v1/incidents').set(medisoft.contact.auth)
        .send({ kind: 'compromise', description: 'Le mot de passe de Nina a été saisi sur un faux portail', accountId: account.id }).expect(201);
      expect(reported.body).toMatchObject({ kind: 'compromise', accountId: account.id, contractorId: medisoft.id, accountSuspended: true });

      // Suspended within the same request: the holder's very next call is refused, and signing in again too.
      const cut = await ctx.http.get('/v1/me').set(account.holder.auth).expect(401);
      expect(cut.body.code).toBe('SESSION_ENDED');
      await ctx.http.get(`/v1/accounts/${account.id}`).set(account.holder.auth).expect(401);
      await ctx.http.post('/v1/auth/login').send({ email: account.email, password: HOLDER_PASSWORD }).expect(403);
      await ctx.http.post('/v1/auth/refresh').send({ refreshToken: account.holder.refreshToken }).expect(401);
      const seen = await ctx.http.get(`/v1/accounts/${account.id}`).set(dsi.auth).expect(200);
      expect(seen.body).toMatchObject({ status: 'suspended', suspensionKind: 'incident', suspendedAt: expect.any(String) });
      expect(seen.body.suspensionReason).toContain(reported.body.id);

      for (const email of [rssi.email, medisoft.contacts.securityContact.email, medisoft.contacts.securityDeputy.email]) {
        const [alert] = await smtp.waitForSubject(email, subject('compromise', 'Medisoft SAS'));
        expect(bodyOf(alert.raw)).toContain('Nina Chevalier');
        expect(bodyOf(alert.raw)).toContain('suspendu');
      }
      await smtp.waitForSubject(account.email, 'Compte suspendu : Nina Chevalier (Medisoft SAS)');
      await smtp.waitForSubject(medisoft.contacts.securityContact.email, 'Compte suspendu : Nina Chevalier (Medisoft SAS)');

      const trail = await ctx.query<{ action: string; actor_id: string }>(
        `SELECT action, actor_id FROM audit_events WHERE target_id = ANY($1) AND action IN ('incident.reported', 'account.suspended') ORDER BY seq`,
        [[reported.body.id, account.id]],
      );
      expect(trail).toEqual([
        { action: 'incident.reported', actor_id: medisoft.contact.userId }, { action: 'account.suspended', actor_id: medisoft.contact.userId },
      ]);

      // A second report about the same account adds a report and changes nothing else.
      const again = await ctx.http.post('/v1/incidents').set(dsi.auth)
        .send({ kind: 'compromise', description: 'Connexions suspectes depuis l’étranger', accountId: account.id }).expect(201);
      expect(again.body.accountSuspended).toBe(false);
      expect((await ctx.http.get(`/v1/accounts/${account.id}`).set(dsi.auth).expect(200)).body.status).toBe('suspended');
    });

    it('R-ART5 a compromise report about an approved (not yet active) account suspends it too, even when its holder reports it', async () => {
      await refreshSessions();
      const account = await approvedAccount(medisoft, 'Théo', 'Robin');
      expect((await ctx.http.get(`/v1/accounts/${account.id}`).set(account.holder.auth).expect(200)).body.status).toBe('approved');
      const reported = await ctx.http.post('/v1/incidents').set(account.holder.auth)
        .send({ kind: 'compromise', description: 'Mon ordinateur portable a été volé avec la session ouverte', accountId: account.id }).expect(201);
      expect(reported.body).toMatchObject({ accountSuspended: true, reportedBy: account.holder.userId });
      await ctx.http.get('/v1/me').set(account.holder.auth).expect(401);
      expect((await ctx.http.get(`/v1/accounts/${account.id}`).set(dsi.auth).expect(200)).body)
        .toMatchObject({ status: 'suspended', suspensionKind: 'incident' });
      await smtp.waitForSubject(rssi.email, subject('compromise', 'Medisoft SAS'), 3);

      // An account still waiting for the DSI has nothing to suspend: the report is kept, the request stays as it was.
      const requested = await ctx.http.post(`/v1/contractors/${medisoft.id}/accounts`).set(medisoft.contact.auth)
        .send({ firstName: 'Zoé', lastName: 'Blanc', email: 'zoe.blanc@incident-medisoft.test', phone: '+33 6 00 00 00 00' }).expect(201);
      const early = await ctx.http.post('/v1/incidents').set(medisoft.contact.auth)
        .send({ kind: 'compromise', description: 'Identifiants envoyés par erreur en clair', accountId: requested.body.id }).expect(201);
      expect(early.body.accountSuspended).toBe(false);
      expect((await ctx.http.get(`/v1/accounts/${requested.body.id}`).set(dsi.auth).expect(200)).body.status).toBe('requested');
    });

    it('R-ART5 R-ART28 a compromise before the holder chose a password: the link waits for the resumption, then works', async () => {
      await refreshSessions();
      const email = 'ines.colin@incident-medisoft.test';
      const requested = await ctx.http.post(`/v1/contractors/${medisoft.id}/accounts`).set(medisoft.contact.auth)
        .send({ firstName: 'Inès', lastName: 'Colin', email, phone: '+33 6 00 00 00 00' }).expect(201);
      await ctx.http.post(`/v1/accounts/${requested.body.id}/approve`).set(dsi.auth).expect(200);
      const [invitation] = await smtp.waitForSubject(email, 'Invitation');
      const token = /accept-invitation\?token=([\w-]+)/.exec(bodyOf(invitation.raw))![1];

      const reported = await ctx.http.post('/v1/incidents').set(medisoft.contact.auth)
        .send({ kind: 'compromise', description: 'Le courriel d’invitation a été transféré à un tiers', accountId: requested.body.id }).expect(201);
      expect(reported.body.accountSuspended).toBe(true);
      // While suspended, the invitation cannot be used to get in.
      await ctx.http.post('/v1/auth/invitations/accept').send({ token, password: HOLDER_PASSWORD }).expect(400);

      // Resumed by the DSI after investigation: the person still has to choose a password, and can.
      const resumed = await ctx.http.post(`/v1/accounts/${requested.body.id}/resume`).set(dsi.auth).expect(200);
      expect(resumed.body.status).toBe('approved');
      await ctx.http.post('/v1/auth/invitations/accept').send({ token, password: HOLDER_PASSWORD }).expect(200);
      const holder = await ctx.signIn(email, HOLDER_PASSWORD);
      expect((await ctx.http.get(`/v1/accounts/${requested.body.id}`).set(holder.auth).expect(200)).body.status).toBe('approved');
    });

    it('R-ART5 nobody reports about an account they cannot see; bad input is a 400; nothing is stored', async () => {
      await refreshSessions();
      const account = await activeAccount(medisoft, 'Léa', 'Fontaine');
      const colleague = await approvedAccount(medisoft, 'Marc', 'Perrin');
      const incidents = await count('incidents');
      const report = (auth: Record<string, string>, body: object) => ctx.http.post('/v1/incidents').set(auth).send(body);
      const compromise = { kind: 'compromise', description: 'Compte compromis, paraît-il', accountId: account.id };

      // Another company, another establishment, a colleague (staff see only their own account): all refused.
      for (const auth of [biolab.contact.auth, otherDsi.auth, colleague.holder.auth]) {
        const refused = await report(auth, compromise);
        expect(refused.status).toBeGreaterThanOrEqual(400);
        expect(refused.status).toBeLessThan(500);
        expect(refused.status).not.toBe(403);
        expect(fields(refused)).toEqual(['accountId']);
      }
      const unknown = await report(dsi.auth, { ...compromise, accountId: randomUUID() });
      expect(fields(unknown)).toEqual(['accountId']);
      expect(fields(await report(medisoft.contact.auth, { ...compromise, kind: 'hack' }).expect(400))).toEqual(['kind']);
      expect(fields(await report(medisoft.contact.auth, { ...compromise, description: '' }).expect(400))).toEqual(['description']);
      expect(fields(await report(medisoft.contact.auth, { ...compromise, accountId: 'lea.fontaine' }).expect(400))).toEqual(['accountId']);
      // The auditor reads, and does nothing else.
      const auditor = await ctx.createUser({ tenantId, roles: [Role.Auditor] });
      await report((await ctx.signIn(auditor.email)).auth, compromise).expect(403);

      expect(await count('incidents')).toBe(incidents);
      expect((await ctx.http.get(`/v1/accounts/${account.id}`).set(dsi.auth).expect(200)).body.status).toBe('active');
      await ctx.http.get('/v1/me').set(account.holder.auth).expect(200);
    });

    it('R-ART5 the hospital reads every report of its establishment; a contractor only its own; a staff member only theirs', async () => {
      await refreshSessions();
      const staff = await approvedAccount(biolab, 'Anne', 'Mercier');
      const byBiolab = (await ctx.http.post('/v1/incidents').set(biolab.contact.auth)
        .send({ kind: 'theft', description: 'Vol d’un portable contenant un client VPN' }).expect(201)).body;
      const byStaff = (await ctx.http.post('/v1/incidents').set(staff.holder.auth)
        .send({ kind: 'other', description: 'Badge d’accès au bâtiment perdu' }).expect(201)).body;
      const byHospital = (await ctx.http.post('/v1/incidents').set(dsi.auth)
        .send({ kind: 'vulnerability', description: 'Scanner de vulnérabilités : serveur exposé' }).expect(201)).body;
      expect(byHospital.contractorId).toBeNull();
      await smtp.waitForSubject(rssi.email, subject('vulnerability', '—'));

      const ids = async (auth: Record<string, string>) =>
        ((await ctx.http.get('/v1/incidents').set(auth).expect(200)).body.items as { id: string; contractorId: string | null }[]);
      const all = await ids(dsi.auth);
      expect(all.map((i) => i.id)).toEqual(expect.arrayContaining([byBiolab.id, byStaff.id, byHospital.id]));
      expect(new Set(all.map((i) => i.contractorId))).toEqual(new Set([medisoft.id, biolab.id, null]));
      expect((await ids((await ctx.signIn(rssi.email)).auth)).map((i) => i.id).sort()).toEqual(all.map((i) => i.id).sort());

      const forBiolab = await ids(biolab.contact.auth);
      expect(forBiolab.map((i) => i.id).sort()).toEqual([byBiolab.id, byStaff.id].sort());
      const forMedisoft = await ids(medisoft.contact.auth);
      expect(forMedisoft.length).toBeGreaterThan(0);
      expect(forMedisoft.every((i) => i.contractorId === medisoft.id)).toBe(true);
      expect((await ids(staff.holder.auth)).map((i) => i.id)).toEqual([byStaff.id]);
      expect(await ids(otherDsi.auth)).toEqual([]);
    });
  });
});
