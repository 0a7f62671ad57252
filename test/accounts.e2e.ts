import { JobName } from '@app/core';
import { bodyOf, contactsPayload, nextSiret, pdf, SignedIn, SmtpReceiver, TestContext, acceptInvitation as acceptTestInvitation, HttpReceiver, signedBy, uploadSigned, validateSignature } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';

describeApi('R-ART28 R-ART35 the life of a nominative account', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let dsi: SignedIn;
  let contractorId: string;
  let securityContact: SignedIn;
  let conventionId: string;
  const today = () => ctx.clock.now().toISOString().slice(0, 10);
  const day = 86_400_000;
  const runJob = (job: JobName) => ctx.worker!.get(JobRegistry).dispatch(job, {}, { attempt: 1 });

  const upload = (auth: Record<string, string>, path: string, fields: Record<string, string>, file: Buffer) =>
    uploadSigned(ctx, auth, path, fields, file);

  const acceptInvitation = (email: string, password: string) => acceptTestInvitation(ctx, smtp, email, password);

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    ({ dsi } = await ctx.tenantWithDsi());
    // A contractor whose company gate is open: contacts, a remote prestation, the charter signed and validated.
    contractorId = (await ctx.http.post('/v1/contractors').set(dsi.auth).send({ legalName: 'Biomed SAS', siret: nextSiret(), address: 'Le Mans' }).expect(201)).body.id;
    const contacts = contactsPayload('biomed');
    await ctx.http.put(`/v1/contractors/${contractorId}/contacts`).set(dsi.auth).send(contacts).expect(200);
    securityContact = await acceptInvitation(contacts.securityContact.email, 'Security-Contact-42!');
    await ctx.http.post(`/v1/contractors/${contractorId}/prestations`).set(dsi.auth)
      .send({ title: 'Maintenance IRM', accessMode: 'remote', rgpdSubcontractor: false, startsOn: today() }).expect(201);
    const charter = await upload(dsi.auth, '/v1/documents', { kind: 'charter', versionLabel: 'v2.0', effectiveOn: today() }, pdf('charter')).expect(201);
    const signed = await upload(securityContact.auth, `/v1/contractors/${contractorId}/signatures`, {
      documentId: charter.body.id, signerFirstName: 'Claire', signerLastName: 'Martin', signerFunction: 'Présidente', signedOn: today(), allPagesInitialled: 'true',
    }, pdf('charter-signed')).expect(201);
    await validateSignature(ctx, signed.body.id, dsi.auth);
    conventionId = (await upload(dsi.auth, '/v1/documents', { kind: 'access_convention', versionLabel: 'c1', effectiveOn: today() }, pdf('convention')).expect(201)).body.id;
    expect((await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(dsi.auth).expect(200)).body.open).toBe(true);
  });

  /** Requested, approved, convention signed and validated, TOTP enrolled: an active account and its signed-in holder. */
  async function activeAccount(first: string, last: string): Promise<{ id: string; holder: SignedIn; email: string }> {
    const email = `${first}.${last}@biomed.test`.toLowerCase();
    const requested = await ctx.http.post(`/v1/contractors/${contractorId}/accounts`).set(securityContact.auth)
      .send({ firstName: first, lastName: last, email, phone: '+33 6 00 00 00 00' }).expect(201);
    await ctx.http.post(`/v1/accounts/${requested.body.id}/approve`).set(dsi.auth).expect(200);
    const holder = await acceptInvitation(email, 'Intervenant-Pass-42!');
    const convention = await upload(securityContact.auth, `/v1/accounts/${requested.body.id}/convention`, {
      documentId: conventionId, signerFirstName: first, signerLastName: last, signedOn: today(), allPagesInitialled: 'true',
    }, pdf(`convention-${email}`)).expect(201);
    await validateSignature(ctx, convention.body.id, dsi.auth);
    const account = await ctx.http.get(`/v1/accounts/${requested.body.id}`).set(dsi.auth).expect(200);
    expect(account.body.status).toBe('active');
    return { id: requested.body.id, holder, email };
  }

  it('R-ART28 request, activation refused while the convention is missing, approval, TOTP at first sign-in, activation', async () => {
    const requested = await ctx.http.post(`/v1/contractors/${contractorId}/accounts`).set(securityContact.auth)
      .send({ firstName: 'Jean', lastName: 'Dupont', email: 'jean.dupont@biomed.test', phone: '+33 6 11 22 33 44' }).expect(201);
    expect(requested.body.status).toBe('requested');
    const id = requested.body.id;
    // One account per person.
    const twice = await ctx.http.post(`/v1/contractors/${contractorId}/accounts`).set(securityContact.auth)
      .send({ firstName: 'Jean', lastName: 'Dupont', email: 'JEAN.DUPONT@biomed.test', phone: '+33 6 11 22 33 44' }).expect(409);
    expect(twice.body.code).toBe('ACCOUNT_EXISTS');

    // Illegal transitions are 409; the contractor cannot approve.
    expect((await ctx.http.post(`/v1/accounts/${id}/activate`).set(dsi.auth).expect(409)).body.code).toBe('ILLEGAL_TRANSITION');
    await ctx.http.post(`/v1/accounts/${id}/approve`).set(securityContact.auth).expect(403);
    await ctx.http.post(`/v1/accounts/${id}/approve`).set(dsi.auth).expect(200);
    await ctx.http.post(`/v1/accounts/${id}/approve`).set(dsi.auth).expect(409);

    const refused = await ctx.http.post(`/v1/accounts/${id}/activate`).set(dsi.auth).expect(409);
    expect(refused.body.code).toBe('ACCOUNT_NOT_READY');
    expect(refused.body.missing.map((m: { code: string }) => m.code).sort()).toEqual(['CONVENTION_MISSING', 'MFA_NOT_ENROLLED']);

    // First sign-in enrols TOTP; the convention is still missing, so the account stays approved.
    const holder = await acceptInvitation('jean.dupont@biomed.test', 'Intervenant-Pass-42!');
    const readiness = await ctx.http.get(`/v1/accounts/${id}/readiness`).set(holder.auth).expect(200);
    expect(readiness.body).toEqual({ ready: false, missing: [expect.objectContaining({ code: 'CONVENTION_MISSING' })] });

    // The convention must be signed by the person; once validated, the account turns active.
    const wrongSigner = await upload(securityContact.auth, `/v1/accounts/${id}/convention`, {
      documentId: conventionId, signerFirstName: 'Hugo', signerLastName: 'Bernard', signedOn: today(), allPagesInitialled: 'true',
    }, pdf('wrong')).expect(422);
    expect(wrongSigner.body.code).toBe('SIGNER_NOT_LEGAL_REPRESENTATIVE');
    const convention = await upload(securityContact.auth, `/v1/accounts/${id}/convention`, {
      documentId: conventionId, signerFirstName: 'Jean', signerLastName: 'Dupont', signedOn: today(), allPagesInitialled: 'true',
    }, pdf('jean')).expect(201);
    expect((await ctx.http.get(`/v1/accounts/${id}`).set(dsi.auth).expect(200)).body.status).toBe('approved');
    await validateSignature(ctx, convention.body.id, dsi.auth);
    const active = await ctx.http.get(`/v1/accounts/${id}`).set(holder.auth).expect(200);
    expect(active.body).toMatchObject({ status: 'active', firstName: 'Jean', lastName: 'Dupont' });

    const trail = await ctx.query<{ action: string; actor_type: string }>(
      `SELECT action, actor_type FROM audit_events WHERE target_type = 'account' AND target_id = $1 ORDER BY seq`, [id],
    );
    expect(trail.map((t) => t.action)).toEqual(['account.requested', 'account.approved', 'account.activated']);
  });

  it('R-ART28 suspension cuts API access at once; resumption gives it back; an absence resumes on its own date', async () => {
    const { id, holder, email } = await activeAccount('Lucie', 'Moreau');
    await ctx.http.get('/v1/me').set(holder.auth).expect(200);
    await ctx.http.post(`/v1/accounts/${id}/suspend`).set(securityContact.auth).send({ reason: 'x'.repeat(5) }).expect(403);
    const suspended = await ctx.http.post(`/v1/accounts/${id}/suspend`).set(dsi.auth).send({ reason: 'Audit en cours' }).expect(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', suspensionKind: 'manual', suspensionReason: 'Audit en cours' });
    expect((await ctx.http.get('/v1/me').set(holder.auth).expect(401)).body.code).toBe('SESSION_ENDED');
    await ctx.http.post('/v1/auth/login').send({ email, password: 'Intervenant-Pass-42!' }).expect(403);

    await ctx.http.post(`/v1/accounts/${id}/resume`).set(dsi.auth).expect(200);
    const back = await ctx.signIn(email, 'Intervenant-Pass-42!');
    expect((await ctx.http.get(`/v1/accounts/${id}`).set(back.auth).expect(200)).body.status).toBe('active');

    // Prolonged absence (CPAM 4.2): suspended until a date, resumed by the scheduler on that date.
    const resumeOn = new Date(ctx.clock.now().getTime() + 10 * day).toISOString().slice(0, 10);
    await ctx.http.post(`/v1/accounts/${id}/suspend`).set(dsi.auth).send({ reason: 'Congé longue durée', resumeOn }).expect(200);
    await runJob(JobName.AccountsDaily);
    expect((await ctx.http.get(`/v1/accounts/${id}`).set(dsi.auth).expect(200)).body).toMatchObject({ status: 'suspended', suspensionKind: 'absence', resumeOn });
    await ctx.advanceClock(11 * day);
    await runJob(JobName.AccountsDaily);
    expect((await ctx.http.get(`/v1/accounts/${id}`).set(dsi.auth).expect(200)).body.status).toBe('active');
  });

  it('R-ART35 a departure effective today deactivates at once: sessions cut, DSI e-mailed, signed webhook', async () => {
    const receiver = await HttpReceiver.start();
    try {
      const hook = await ctx.http.post('/v1/webhooks').set(dsi.auth).send({ url: receiver.url('/hooks'), events: ['account.deactivated'] }).expect(201);
      const secret: string = hook.body.secret;
      const { id, holder } = await activeAccount('Paul', 'Girard');
      await ctx.http.get('/v1/me').set(holder.auth).expect(200);

      const departure = await ctx.http.post(`/v1/contractors/${contractorId}/departures`).set(securityContact.auth)
        .send({ firstName: 'paul', lastName: 'GIRARD', effectiveOn: today() }).expect(201);
      expect(departure.body).toMatchObject({ accountId: id, appliedAt: expect.any(String) });
      expect((await ctx.http.get(`/v1/accounts/${id}`).set(dsi.auth).expect(200)).body.status).toBe('deactivated');
      await ctx.http.get('/v1/me').set(holder.auth).expect(401);
      await ctx.http.post('/v1/auth/refresh').send({ refreshToken: holder.refreshToken }).expect(401);

      const [mail] = await smtp.waitForSubject(dsi.email, 'Compte désactivé : Paul Girard');
      expect(bodyOf(mail.raw)).toContain('article 35');

      const [delivery] = await receiver.waitFor('/hooks');
      expect(signedBy(secret, delivery, ctx.clock.now().getTime())).toBe(true);
      expect(delivery.headers['x-prestagate-event']).toBe('account.deactivated');
      expect(JSON.parse(delivery.rawBody)).toMatchObject({ event: 'account.deactivated', data: { accountId: id, contractorId } });
    } finally {
      await receiver.stop();
    }
  });

  it('R-ART35 a departure at a later date is applied by the scheduler on that date; the declaration is kept', async () => {
    const { id, holder } = await activeAccount('Emma', 'Roux');
    const later = new Date(ctx.clock.now().getTime() + 3 * day).toISOString().slice(0, 10);
    const declared = await ctx.http.post(`/v1/contractors/${contractorId}/departures`).set(securityContact.auth)
      .send({ firstName: 'Emma', lastName: 'Roux', accountId: id, effectiveOn: later }).expect(201);
    expect(declared.body.appliedAt).toBeNull();
    await runJob(JobName.AccountsDaily);
    expect((await ctx.http.get(`/v1/accounts/${id}`).set(dsi.auth).expect(200)).body.status).toBe('active');
    await ctx.http.get('/v1/me').set(holder.auth).expect(200);

    await ctx.advanceClock(3 * day + 60_000);
    await runJob(JobName.AccountsDaily);
    expect((await ctx.http.get(`/v1/accounts/${id}`).set(dsi.auth).expect(200)).body.status).toBe('deactivated');
    const kept = await ctx.http.get(`/v1/contractors/${contractorId}/departures`).set(dsi.auth).expect(200);
    expect(kept.body.items.find((d: { accountId: string }) => d.accountId === id)).toMatchObject({ effectiveOn: later, appliedAt: expect.any(String) });
  });

  it('R-ART35 a departure naming nobody, or two people, is refused and changes nothing', async () => {
    const a = await ctx.http.post(`/v1/contractors/${contractorId}/accounts`).set(securityContact.auth)
      .send({ firstName: 'Marie', lastName: 'Lefèvre', email: 'marie.lefevre1@biomed.test', phone: '+33 6 00 00 00 01' }).expect(201);
    await ctx.http.post(`/v1/contractors/${contractorId}/accounts`).set(securityContact.auth)
      .send({ firstName: 'Marie', lastName: 'Lefevre', email: 'marie.lefevre2@biomed.test', phone: '+33 6 00 00 00 02' }).expect(201);
    const before = await ctx.query(`SELECT count(*)::int AS n FROM departures`);

    const nobody = await ctx.http.post(`/v1/contractors/${contractorId}/departures`).set(securityContact.auth)
      .send({ firstName: 'Nobody', lastName: 'Here', effectiveOn: today() }).expect(422);
    expect(nobody.body.code).toBe('DEPARTURE_NO_MATCH');
    const two = await ctx.http.post(`/v1/contractors/${contractorId}/departures`).set(securityContact.auth)
      .send({ firstName: 'Marie', lastName: 'Lefevre', effectiveOn: today() }).expect(409);
    expect(two.body.code).toBe('DEPARTURE_AMBIGUOUS');
    expect(two.body.candidates).toHaveLength(2);
    const badDate = await ctx.http.post(`/v1/contractors/${contractorId}/departures`).set(securityContact.auth)
      .send({ firstName: 'Marie', lastName: 'Lefevre', effectiveOn: '2026-13-01' }).expect(400);
    expect(badDate.body.errors[0].field).toBe('effectiveOn');

    expect(await ctx.query(`SELECT count(*)::int AS n FROM departures`)).toEqual(before);
    expect((await ctx.http.get(`/v1/accounts/${a.body.id}`).set(dsi.auth).expect(200)).body.status).toBe('requested');

    // With the account id the homonym is named without doubt.
    await ctx.http.post(`/v1/contractors/${contractorId}/departures`).set(securityContact.auth)
      .send({ firstName: 'Marie', lastName: 'Lefèvre', accountId: a.body.id, effectiveOn: today() }).expect(201);
    expect((await ctx.http.get(`/v1/accounts/${a.body.id}`).set(dsi.auth).expect(200)).body.status).toBe('deactivated');
  });

  it('R-ART10 when the last prestation of a contractor ends, its accounts are deactivated', async () => {
    const other = (await ctx.http.post('/v1/contractors').set(dsi.auth).send({ legalName: 'Fin de contrat SA', siret: nextSiret(), address: 'Le Mans' }).expect(201)).body.id;
    const contacts = contactsPayload('fin-de-contrat');
    await ctx.http.put(`/v1/contractors/${other}/contacts`).set(dsi.auth).send(contacts).expect(200);
    const p1 = await ctx.http.post(`/v1/contractors/${other}/prestations`).set(dsi.auth).send({ title: 'A', accessMode: 'onsite', rgpdSubcontractor: false, startsOn: today() }).expect(201);
    const p2 = await ctx.http.post(`/v1/contractors/${other}/prestations`).set(dsi.auth).send({ title: 'B', accessMode: 'onsite', rgpdSubcontractor: false, startsOn: today() }).expect(201);
    const acc = await ctx.http.post(`/v1/contractors/${other}/accounts`).set(dsi.auth).send({ firstName: 'Zoé', lastName: 'Blanc', email: 'zoe.blanc@fin.test', phone: '+33 6 00 00 00 09' }).expect(201);
    await ctx.http.post(`/v1/accounts/${acc.body.id}/approve`).set(dsi.auth).expect(200);

    await ctx.http.post(`/v1/prestations/${p1.body.id}/end`).set(dsi.auth).send({}).expect(200);
    expect((await ctx.http.get(`/v1/accounts/${acc.body.id}`).set(dsi.auth).expect(200)).body.status).toBe('approved');
    await ctx.http.post(`/v1/prestations/${p2.body.id}/end`).set(dsi.auth).send({ reason: 'Contrat résilié' }).expect(200);
    const closed = await ctx.http.get(`/v1/accounts/${acc.body.id}`).set(dsi.auth).expect(200);
    expect(closed.body).toMatchObject({ status: 'deactivated', deactivationReason: 'end of prestation: Contrat résilié' });
  });
});
