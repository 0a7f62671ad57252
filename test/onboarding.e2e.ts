import { JobName } from '@app/core';
import { bodyOf, contactsPayload, pdf, SignedIn, VALID_SIRETS, validateSignature } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';

describeApi('R-ART2 R-ART3 onboarding of a contractor, from its creation to an open gate', { tenant: true }, (rig) => {
  const today = () => rig.ctx.clock.now().toISOString().slice(0, 10);
  const codes = (gate: { missing: { code: string }[] }) => gate.missing.map((m) => m.code).sort();

  const publish = (fields: Record<string, string>, file = pdf(fields.versionLabel)) => {
    let req = rig.ctx.http.post('/v1/documents').set(rig.dsi.auth);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', file, { filename: 'charte.pdf', contentType: 'application/pdf' });
  };

  const sign = (auth: Record<string, string>, contractorId: string, fields: Record<string, string>, file = pdf(`signed-${Math.random()}`)) => {
    let req = rig.ctx.http.post(`/v1/contractors/${contractorId}/signatures`).set(auth);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', file, { filename: 'charte-signee.pdf', contentType: 'application/pdf' });
  };

  it('R-ART2 the whole story: closed gate listing exactly what is missing, rejection, re-signature, open gate', async () => {
    const { ctx, smtp } = rig;
    // The DSI declares the company.
    const created = await ctx.http.post('/v1/contractors').set(rig.dsi.auth)
      .send({ legalName: 'Medisoft SAS', siret: VALID_SIRETS[0], address: '12 rue de la Paix, 72000 Le Mans' }).expect(201);
    const contractorId = created.body.id;

    let gate = await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(rig.dsi.auth).expect(200);
    expect(gate.body.open).toBe(false);
    expect(codes(gate.body)).toEqual(['CHARTER_NOT_PUBLISHED', 'CONTACTS_MISSING', 'NO_RUNNING_PRESTATION']);

    // Contacts (section 8): each becomes a person invited by e-mail.
    const contacts = contactsPayload('medisoft');
    const declared = await ctx.http.put(`/v1/contractors/${contractorId}/contacts`).set(rig.dsi.auth).send(contacts).expect(200);
    expect(declared.body.map((c: { role: string }) => c.role).sort()).toEqual(['legal_rep', 'security_contact', 'security_deputy']);
    const [invitation] = await smtp.waitForSubject(contacts.securityContact.email, 'Invitation');
    const token = /accept-invitation\?token=([\w-]+)/.exec(bodyOf(invitation.raw))![1];
    await ctx.http.post('/v1/auth/invitations/accept').send({ token, password: 'Security-Contact-42!' }).expect(200);
    const securityContact = await ctx.signIn(contacts.securityContact.email, 'Security-Contact-42!');

    // A remote prestation, and the charter published by the DSI.
    await ctx.http.post(`/v1/contractors/${contractorId}/prestations`).set(rig.dsi.auth)
      .send({ title: 'Maintenance PACS', accessMode: 'remote', rgpdSubcontractor: true, startsOn: today() }).expect(201);
    const charter = await publish({ kind: 'charter', versionLabel: 'v2.0', effectiveOn: today() }).expect(201);
    expect(charter.body.sha256).toMatch(/^[0-9a-f]{64}$/);

    gate = await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(securityContact.auth).expect(200);
    expect(gate.body.missing).toEqual([{ code: 'CHARTER_NOT_SIGNED', detail: expect.stringContaining('v2.0') }]);

    // The security contact uploads the charter signed by the legal representative.
    const signFields = {
      documentId: charter.body.id, signerFirstName: 'claire', signerLastName: 'MARTIN', signerFunction: 'Présidente',
      signedOn: today(), allPagesInitialled: 'true',
    };
    const first = await sign(securityContact.auth, contractorId, signFields).expect(201);
    expect(first.body.status).toBe('submitted');
    gate = await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(rig.dsi.auth).expect(200);
    expect(codes(gate.body)).toEqual(['CHARTER_PENDING_VALIDATION']);
    await smtp.waitForSubject(rig.dsi.email, 'Signature à valider');

    // A staff member of the hospital side without the DSI role cannot decide; the contractor cannot either.
    await ctx.http.post(`/v1/signatures/${first.body.id}/validate`).set(securityContact.auth).expect(403);
    await ctx.http.post(`/v1/signatures/${first.body.id}/reject`).set(rig.dsi.auth).send({ reason: 'Page 3 is not initialled' }).expect(200);
    await ctx.http.post(`/v1/signatures/${first.body.id}/validate`).set(rig.dsi.auth).expect(409);
    gate = await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(rig.dsi.auth).expect(200);
    expect(gate.body.missing).toEqual([{ code: 'CHARTER_REJECTED', detail: expect.stringContaining('Page 3 is not initialled') }]);
    const [rejection] = await smtp.waitForSubject(contacts.legalRepresentative.email, 'Signature rejetée');
    expect(rejection.subject).toBe('Signature rejetée : Charte de bon usage du SI à destination des prestataires v2.0');

    // Re-signed a day later, validated: the gate opens.
    await ctx.advanceClock(86_400_000);
    const second = await sign(securityContact.auth, contractorId, signFields).expect(201);
    await validateSignature(ctx, second.body.id, rig.dsi.auth);
    gate = await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(securityContact.auth).expect(200);
    expect(gate.body).toEqual({ open: true, missing: [] });

    // The evidence is kept: both signatures with their files and hashes, and the audit trail.
    const signatures = await ctx.http.get(`/v1/contractors/${contractorId}/signatures`).set(rig.dsi.auth).expect(200);
    expect(signatures.body.items.map((s: { status: string }) => s.status)).toEqual(['validated', 'rejected']);
    const file = await ctx.http.get(`/v1/signatures/${second.body.id}/file`).set(rig.dsi.auth).buffer(true).expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toMatch(/^attachment/);
    expect(file.headers['x-checksum-sha256']).toBe(second.body.sha256);
    const actions = await ctx.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE tenant_id = $1 AND action LIKE 'signature.%' ORDER BY seq`, [rig.tenantId],
    );
    expect(actions.map((a) => a.action)).toEqual(['signature.submitted', 'signature.rejected', 'signature.submitted', 'signature.file_opened', 'signature.validated']);
  });

  it('R-ART2 a new charter version closes the gate after its deadline, not before; re-signing opens it', async () => {
    const { ctx, smtp } = rig;
    const { contractorId, securityContact } = await onboardedContractor('versions', VALID_SIRETS[1]);
    const deadline = new Date(ctx.clock.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
    const v3 = await publish({ kind: 'charter', versionLabel: `v3-${contractorId.slice(0, 4)}`, effectiveOn: today(), resignDeadline: deadline }).expect(201);

    let gate = await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(rig.dsi.auth).expect(200);
    expect(gate.body.open).toBe(true);

    // Before the deadline the contractor is reminded, once per step however often the job runs.
    const deadlines = () => ctx.worker!.get(JobRegistry).dispatch(JobName.CharterDeadlines, {}, { attempt: 1 });
    const legalRep = contactsPayload('versions').legalRepresentative.email;
    await deadlines();
    await deadlines();
    const [reminder] = await smtp.waitForSubject(legalRep, 'À signer');
    expect(reminder.subject).toBe(`À signer avant le ${deadline} : Charte de bon usage du SI à destination des prestataires ${v3.body.versionLabel}`);

    await ctx.advanceClock(11 * 86_400_000); // the day after the deadline
    gate = await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(rig.dsi.auth).expect(200);
    expect(gate.body.open).toBe(false);
    expect(codes(gate.body)).toEqual(['CHARTER_RESIGN_OVERDUE']);

    // The closure is made known to the contractor and the DSI, and kept in the audit trail, once.
    await deadlines();
    await deadlines();
    // Every notice queued has reached the receiver before they are counted: the DSI's come apart from the contractor's.
    await ctx.outboxDelivered(rig.tenantId);
    const [closure] = smtp.to(legalRep).filter((m) => m.subject.startsWith('Accès suspendus'));
    expect(closure.subject).toBe(`Accès suspendus : Charte de bon usage du SI à destination des prestataires ${v3.body.versionLabel} non signé`);
    expect(smtp.to(legalRep).filter((m) => /^(À signer|Accès suspendus)/.test(m.subject))).toHaveLength(2);
    // One notice per contractor concerned (the first story's contractor signed only v2.0 too).
    const toDsi = smtp.to(rig.dsi.email).filter((m) => m.subject.startsWith('Accès suspendus'));
    expect(toDsi.filter((m) => bodyOf(m.raw).includes('Les accès de versions au SI'))).toHaveLength(1);
    expect(toDsi.filter((m) => bodyOf(m.raw).includes('Les accès de Medisoft SAS au SI'))).toHaveLength(1);
    const closed = await ctx.query(`SELECT 1 FROM audit_events WHERE action = 'contractor.gate_closed' AND target_id = $1`, [contractorId]);
    expect(closed).toHaveLength(1);

    const signed = await sign(securityContact.auth, contractorId, {
      documentId: v3.body.id, signerFirstName: 'Claire', signerLastName: 'Martin', signerFunction: 'Présidente',
      signedOn: today(), allPagesInitialled: 'true',
    }).expect(201);
    await validateSignature(ctx, signed.body.id, rig.dsi.auth);
    gate = await ctx.http.get(`/v1/contractors/${contractorId}/gate`).set(rig.dsi.auth).expect(200);
    expect(gate.body).toEqual({ open: true, missing: [] });
  });

  /** A contractor with contacts, a running prestation and the current charter signed and validated. */
  async function onboardedContractor(name: string, siret: string): Promise<{ contractorId: string; securityContact: SignedIn }> {
    const created = await rig.ctx.http.post('/v1/contractors').set(rig.dsi.auth).send({ legalName: name, siret, address: 'Le Mans' }).expect(201);
    const contractorId = created.body.id;
    const contacts = contactsPayload(name);
    await rig.ctx.http.put(`/v1/contractors/${contractorId}/contacts`).set(rig.dsi.auth).send(contacts).expect(200);
    await rig.ctx.http.post(`/v1/contractors/${contractorId}/prestations`).set(rig.dsi.auth)
      .send({ title: 'TMA', accessMode: 'onsite', rgpdSubcontractor: false, startsOn: today() }).expect(201);
    const [user] = await rig.ctx.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [contacts.securityContact.email]);
    await rig.ctx.query(`UPDATE users SET status = 'active' WHERE id = $1`, [user.id]);
    await rig.ctx.query(`UPDATE identities SET password_hash = (SELECT i.password_hash FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $2)
      WHERE id = (SELECT identity_id FROM users WHERE id = $1)`, [user.id, rig.dsi.userId]);
    const securityContact = await rig.ctx.signIn(contacts.securityContact.email);
    const docs = await rig.ctx.http.get('/v1/documents?kind=charter').set(rig.dsi.auth).expect(200);
    const current = docs.body.items.find((d: { withdrawnAt: string | null; effectiveOn: string }) => !d.withdrawnAt && d.effectiveOn <= today());
    const signed = await sign(securityContact.auth, contractorId, {
      documentId: current.id, signerFirstName: 'Claire', signerLastName: 'Martin', signerFunction: 'Présidente',
      signedOn: today(), allPagesInitialled: 'true',
    }).expect(201);
    await validateSignature(rig.ctx, signed.body.id, rig.dsi.auth);
    return { contractorId, securityContact };
  }

});
