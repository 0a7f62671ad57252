import { JobName } from '@app/core';
import { bodyOf, contactsPayload, nextSiret, pdf, SignedIn, VALID_SIRETS } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';

describeApi('R-ART3 R-ART4 R-ART6 R-ART10 contractors, subcontractors, changes and the end of a prestation', { tenant: true }, (rig) => {
  const today = () => rig.ctx.clock.now().toISOString().slice(0, 10);
  const runJob = (job: JobName) => rig.ctx.worker!.get(JobRegistry).dispatch(job, {}, { attempt: 1 });

  const company = (name: string, siret: string, extra: object = {}, auth = rig.dsi.auth) =>
    rig.ctx.http.post('/v1/contractors').set(auth).send({ legalName: name, siret, address: '1 place de la République, Le Mans', ...extra });

  /** Declares the contacts and signs their security contact in (password set through the invitation e-mail). */
  async function withContacts(contractorId: string, prefix: string): Promise<{ securityContact: SignedIn; legalRep: SignedIn }> {
    const contacts = contactsPayload(prefix);
    await rig.ctx.http.put(`/v1/contractors/${contractorId}/contacts`).set(rig.dsi.auth).send(contacts).expect(200);
    const signIn = async (email: string) => {
      const [mail] = await rig.smtp.waitForSubject(email, 'Invitation');
      const token = /accept-invitation\?token=([\w-]+)/.exec(bodyOf(mail.raw))![1];
      await rig.ctx.http.post('/v1/auth/invitations/accept').send({ token, password: 'Contractor-Pass-42!' }).expect(200);
      return rig.ctx.signIn(email, 'Contractor-Pass-42!');
    };
    return { securityContact: await signIn(contacts.securityContact.email), legalRep: await signIn(contacts.legalRepresentative.email) };
  }

  it('R-ART4 a prime declares its subcontractor; the prime reads it, the subcontractor sees only itself, another company sees neither', async () => {
    const { ctx } = rig;
    const prime = (await company('Prime SA', VALID_SIRETS[0]).expect(201)).body;
    const other = (await company('Other SARL', VALID_SIRETS[1]).expect(201)).body;
    const { securityContact: primeContact } = await withContacts(prime.id, 'prime');
    const { securityContact: otherContact } = await withContacts(other.id, 'other');

    const sub = await company('Sub SAS', VALID_SIRETS[2], { primeContractorId: prime.id }, primeContact.auth).expect(201);
    expect(sub.body.primeContractorId).toBe(prime.id);
    // A contractor can only declare subcontractors of its own company.
    await company('Sneaky', VALID_SIRETS[3], { primeContractorId: other.id }, primeContact.auth).expect(404);
    await company('Sneaky', VALID_SIRETS[3], {}, primeContact.auth).expect(400);
    // No subcontractor of a subcontractor: the prime declares them.
    await company('Sub of sub', VALID_SIRETS[3], { primeContractorId: sub.body.id }, rig.dsi.auth).expect(409);

    const { securityContact: subContact } = await withContacts(sub.body.id, 'sub');

    const primeList = await ctx.http.get('/v1/contractors').set(primeContact.auth).expect(200);
    expect(primeList.body.items.map((c: { legalName: string }) => c.legalName).sort()).toEqual(['Prime SA', 'Sub SAS']);
    await ctx.http.get(`/v1/contractors/${sub.body.id}`).set(primeContact.auth).expect(200);
    await ctx.http.get(`/v1/contractors/${sub.body.id}/gate`).set(primeContact.auth).expect(200);

    const subList = await ctx.http.get('/v1/contractors').set(subContact.auth).expect(200);
    expect(subList.body.items.map((c: { legalName: string }) => c.legalName)).toEqual(['Sub SAS']);
    const hidden = await ctx.http.get(`/v1/contractors/${prime.id}`).set(subContact.auth).expect(404);
    expect(hidden.body.code).toBe('NOT_FOUND');

    for (const path of [`/v1/contractors/${prime.id}`, `/v1/contractors/${sub.body.id}`, `/v1/contractors/${prime.id}/history`,
      `/v1/contractors/${prime.id}/contacts`, `/v1/contractors/${prime.id}/signatures`, `/v1/contractors/${prime.id}/gate`]) {
      await ctx.http.get(path).set(otherContact.auth).expect(404);
    }
    const otherList = await ctx.http.get('/v1/contractors').set(otherContact.auth).expect(200);
    expect(otherList.body.items.map((c: { legalName: string }) => c.legalName)).toEqual(['Other SARL']);

    // The subcontractor's own gate also reflects its prime's (the prime stays answerable).
    const gate = await ctx.http.get(`/v1/contractors/${sub.body.id}/gate`).set(rig.dsi.auth).expect(200);
    expect(gate.body.missing.map((m: { code: string }) => m.code)).toContain('PRIME_GATE_CLOSED');
  });

  it('R-ART3 bad input is refused with a clear 4xx and nothing is stored', async () => {
    const { ctx } = rig;
    const before = await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM contractors`);
    const badSiret = await company('Bad SIRET', '73282932000075').expect(400);
    expect(badSiret.body.errors).toEqual([{ field: 'siret', message: expect.stringContaining('Luhn') }]);
    const after = await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM contractors`);
    expect(after[0].n).toBe(before[0].n);

    const c = (await company('Contacts SA', nextSiret()).expect(201)).body;
    const contacts = contactsPayload('same');
    const same = await ctx.http.put(`/v1/contractors/${c.id}/contacts`).set(rig.dsi.auth)
      .send({ ...contacts, securityDeputy: { ...contacts.securityContact } }).expect(400);
    expect(same.body.errors[0].field).toBe('securityDeputy');
    const badPhone = await ctx.http.put(`/v1/contractors/${c.id}/contacts`).set(rig.dsi.auth)
      .send({ ...contacts, securityContact: { ...contacts.securityContact, phone: 'call me', email: 'not-an-email' } }).expect(400);
    expect(badPhone.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['securityContact.email', 'securityContact.phone']);
    const stored = await ctx.query(`SELECT * FROM contractor_contacts WHERE contractor_id = $1`, [c.id]);
    expect(stored).toHaveLength(0);
    const invited = await ctx.query(`SELECT * FROM users WHERE contractor_id = $1`, [c.id]);
    expect(invited).toHaveLength(0);
  });

  it('R-ART2 documents: a non-PDF or oversized file, and a signer who is not the legal representative, are refused; nothing stored', async () => {
    const { ctx } = rig;
    const files = await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM files`);
    const notPdf = await ctx.http.post('/v1/documents').set(rig.dsi.auth).field('kind', 'charter').field('versionLabel', 'x1')
      .field('effectiveOn', today()).attach('file', Buffer.from('MZ\x90\x00 not a pdf'), { filename: 'charte.pdf', contentType: 'application/pdf' });
    expect(notPdf.status).toBe(415);
    expect(notPdf.body.code).toBe('FILE_NOT_PDF');
    const big = Buffer.concat([pdf('big'), Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    const tooBig = await ctx.http.post('/v1/documents').set(rig.dsi.auth).field('kind', 'charter').field('versionLabel', 'x2')
      .field('effectiveOn', today()).attach('file', big, { filename: 'charte.pdf', contentType: 'application/pdf' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers['content-type']).toContain('application/problem+json');
    const badDate = await ctx.http.post('/v1/documents').set(rig.dsi.auth).field('kind', 'charter').field('versionLabel', 'x3')
      .field('effectiveOn', '2026-02-31').attach('file', pdf(), { filename: 'charte.pdf', contentType: 'application/pdf' }).expect(400);
    expect(badDate.body.errors[0].field).toBe('effectiveOn');
    const noFile = await ctx.http.post('/v1/documents').set(rig.dsi.auth).field('kind', 'charter').field('versionLabel', 'x4').field('effectiveOn', today()).expect(400);
    expect(noFile.body.errors.map((e: { field: string }) => e.field)).toContain('file');
    expect((await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM files`))[0].n).toBe(files[0].n);

    const charter = await ctx.http.post('/v1/documents').set(rig.dsi.auth).field('kind', 'charter').field('versionLabel', 'signer-test')
      .field('effectiveOn', today()).attach('file', pdf('signer'), { filename: 'charte.pdf', contentType: 'application/pdf' }).expect(201);
    const c = (await company('Signer SA', nextSiret()).expect(201)).body;
    const { securityContact } = await withContacts(c.id, 'signer');
    const signatures = await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM signatures`);
    const wrongSigner = await ctx.http.post(`/v1/contractors/${c.id}/signatures`).set(securityContact.auth)
      .field('documentId', charter.body.id).field('signerFirstName', 'Hugo').field('signerLastName', 'Bernard')
      .field('signerFunction', 'RSSI').field('signedOn', today()).field('allPagesInitialled', 'true')
      .attach('file', pdf('wrong'), { filename: 's.pdf', contentType: 'application/pdf' });
    expect(wrongSigner.status).toBe(422);
    expect(wrongSigner.body.code).toBe('SIGNER_NOT_LEGAL_REPRESENTATIVE');
    const notInitialled = await ctx.http.post(`/v1/contractors/${c.id}/signatures`).set(securityContact.auth)
      .field('documentId', charter.body.id).field('signerFirstName', 'Claire').field('signerLastName', 'Martin')
      .field('signerFunction', 'Présidente').field('signedOn', today()).field('allPagesInitialled', 'false')
      .attach('file', pdf('x'), { filename: 's.pdf', contentType: 'application/pdf' }).expect(400);
    expect(notInitialled.body.errors[0].field).toBe('allPagesInitialled');
    expect((await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM signatures`))[0].n).toBe(signatures[0].n);
  });

  it('R-ART6 a change takes effect at its date; earlier values stay in the history', async () => {
    const { ctx } = rig;
    const c = (await company('Ancien Nom SAS', nextSiret()).expect(201)).body;
    const { legalRep } = await withContacts(c.id, 'changes');
    const now = await ctx.http.post(`/v1/contractors/${c.id}/changes`).set(legalRep.auth)
      .send({ changes: { address: '2 avenue Nouvelle, Le Mans' }, effectiveDate: today() }).expect(201);
    expect(now.body.appliedAt).not.toBeNull();
    const later = new Date(ctx.clock.now().getTime() + 5 * 86_400_000).toISOString().slice(0, 10);
    const scheduled = await ctx.http.post(`/v1/contractors/${c.id}/changes`).set(legalRep.auth)
      .send({ changes: { legalName: 'Nouveau Nom SAS' }, effectiveDate: later }).expect(201);
    expect(scheduled.body.appliedAt).toBeNull();

    let current = await ctx.http.get(`/v1/contractors/${c.id}`).set(rig.dsi.auth).expect(200);
    expect(current.body).toMatchObject({ legalName: 'Ancien Nom SAS', address: '2 avenue Nouvelle, Le Mans' });

    await runJob(JobName.ContractorsDaily);
    current = await ctx.http.get(`/v1/contractors/${c.id}`).set(rig.dsi.auth).expect(200);
    expect(current.body.legalName).toBe('Ancien Nom SAS');

    await ctx.advanceClock(6 * 86_400_000);
    await runJob(JobName.ContractorsDaily);
    current = await ctx.http.get(`/v1/contractors/${c.id}`).set(rig.dsi.auth).expect(200);
    expect(current.body.legalName).toBe('Nouveau Nom SAS');

    const history = await ctx.http.get(`/v1/contractors/${c.id}/history`).set(legalRep.auth).expect(200);
    expect(history.body.items.map((h: { kind: string }) => h.kind)).toEqual(['created', 'contacts', 'administrative', 'administrative']);
    expect(history.body.items[3]).toMatchObject({ changes: { legalName: 'Nouveau Nom SAS' }, previous: { legalName: 'Ancien Nom SAS' }, effectiveOn: later });
    expect(history.body.items[2].previous).toEqual({ address: '1 place de la République, Le Mans' });

    const badSiret = await ctx.http.post(`/v1/contractors/${c.id}/changes`).set(legalRep.auth)
      .send({ changes: { siret: '12345678901234' }, effectiveDate: today() }).expect(400);
    expect(badSiret.body.errors[0].field).toBe('changes.siret');
    await ctx.http.post(`/v1/contractors/${c.id}/changes`).set(legalRep.auth).send({ changes: {}, effectiveDate: today() }).expect(400);
  });

  it('R-ART10 ending a prestation makes the attestation due, reminds the contractor, escalates, and records the file', async () => {
    const { ctx, smtp } = rig;
    const contractorId = (await company('Fin SAS', '35600000000010').expect(201)).body.id;
    const { securityContact } = await withContacts(contractorId, 'end');
    const prestation = await ctx.http.post(`/v1/contractors/${contractorId}/prestations`).set(rig.dsi.auth)
      .send({ title: 'Migration DPI', accessMode: 'remote', rgpdSubcontractor: true, requireRgpdClauses: true, startsOn: today() }).expect(201);
    await ctx.http.post(`/v1/prestations/${prestation.body.id}/end`).set(securityContact.auth).send({}).expect(403);
    // Too early for an attestation.
    await ctx.http.post(`/v1/prestations/${prestation.body.id}/destruction-attestation`).set(securityContact.auth)
      .attach('file', pdf('early'), { filename: 'attestation.pdf', contentType: 'application/pdf' }).expect(409);

    const ended = await ctx.http.post(`/v1/prestations/${prestation.body.id}/end`).set(rig.dsi.auth).send({ reason: 'Contrat terminé' }).expect(200);
    expect(ended.body).toMatchObject({ attestation: 'missing', endReason: 'Contrat terminé' });
    await ctx.http.post(`/v1/prestations/${prestation.body.id}/end`).set(rig.dsi.auth).send({}).expect(409);
    const [endMail] = await smtp.waitForSubject(contactsPayload('end').legalRepresentative.email, 'Attestation de destruction des données attendue');
    expect(endMail.subject).toBe('Attestation de destruction des données attendue : Migration DPI');

    const gate = await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(rig.dsi.auth).expect(200);
    expect(gate.body.missing.map((m: { code: string }) => m.code)).toContain('NO_RUNNING_PRESTATION');

    // A week later: a reminder; 30 days: escalation to the DSI; running the job twice sends nothing twice.
    await ctx.advanceClock(7 * 86_400_000);
    await runJob(JobName.ContractorsDaily);
    await runJob(JobName.ContractorsDaily);
    await smtp.waitForSubject(contactsPayload('end').securityContact.email, 'Attestation de destruction des données attendue', 2);
    await ctx.advanceClock(23 * 86_400_000);
    await runJob(JobName.ContractorsDaily);
    // Every mail the jobs queued has reached the receiver before they are counted (the DSI's escalation and
    // the contact's third reminder are sent separately, in any order).
    await ctx.outboxDelivered(rig.tenantId);
    const toDsi = smtp.to(rig.dsi.email).filter((m) => m.subject.startsWith('Attestation de destruction manquante'));
    expect(toDsi).toHaveLength(1);
    const remindersToContact = smtp.to(contactsPayload('end').securityContact.email).filter((m) => m.subject.startsWith('Attestation de destruction des données attendue'));
    expect(remindersToContact).toHaveLength(3); // at the end, at 7 days, at 21 days (the job ran at 30 days: one step)

    // A month later the contact signs in again (the old session has expired).
    const contact = await ctx.signIn(contactsPayload('end').securityContact.email, 'Contractor-Pass-42!');
    const notPdf = await ctx.http.post(`/v1/prestations/${prestation.body.id}/destruction-attestation`).set(contact.auth)
      .attach('file', Buffer.from('hello'), { filename: 'attestation.txt', contentType: 'text/plain' });
    expect(notPdf.status).toBe(415);
    const attested = await ctx.http.post(`/v1/prestations/${prestation.body.id}/destruction-attestation`).set(contact.auth)
      .attach('file', pdf('attestation'), { filename: 'attestation.pdf', contentType: 'application/pdf' }).expect(200);
    expect(attested.body.attestation).toBe('received');
    expect(attested.body.attestationSha256).toMatch(/^[0-9a-f]{64}$/);
    const audit = await ctx.query(`SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = 'prestation.destruction_attested'`, [rig.tenantId]);
    expect(audit).toHaveLength(1);
  });
});
