import { createHash } from 'node:crypto';
import { Response } from 'supertest';
import { nextSiret, pdf } from '@app/testing';
import { describeApi } from './support/describe-api';

/**
 * R-INT: parallel clicks on the charters' and contractors' transitions. Each batch of requests is sent
 * at once; exactly one wins, the others get 409 problem+json naming the state the winner left, and the
 * audit trail, the outbox and the file store hold the winner's work once.
 */
describeApi('R-INT charters and contractors under parallel requests', { world: 'race' }, (rig) => {
  const count = (responses: Response[], status: number) => responses.filter((r) => r.status === status).length;
  const auditOf = (targetId: string, action: string) =>
    rig.ctx.query(`SELECT 1 FROM audit_events WHERE target_id = $1 AND action = $2`, [targetId, action]);
  /** Outbox e-mails of one template for this tenant about one thing (`data[key] = value`), per recipient. */
  const mailsPerRecipient = async (template: string, key: string, value: string) => {
    const rows = await rig.ctx.query<{ to: string; n: number }>(
      `SELECT payload->'to'->>0 AS to, count(*)::int AS n FROM outbox
        WHERE tenant_id = $1 AND payload->>'template' = $2 AND payload->'data'->>$3 = $4 GROUP BY 1 ORDER BY 1`,
      [rig.w.tenantId, template, key, value],
    );
    return Object.fromEntries(rows.map((r) => [r.to, r.n]));
  };
  const contactEmails = () => [rig.w.contacts.legalRepresentative.email, rig.w.contacts.securityContact.email, rig.w.contacts.securityDeputy.email].sort();

  /** A new version of the security referential, and its signature by the legal representative, waiting for the DSI. */
  const submittedSignature = async (label: string): Promise<string> => {
    const { w } = rig;
    const doc = await w.upload(w.dsi.auth, '/v1/documents', { kind: 'security_referential', versionLabel: label, effectiveOn: w.today() }, pdf(`ref-${label}`)).expect(201);
    const signed = await w.upload(w.securityContact.auth, `/v1/contractors/${w.contractorId}/signatures`, {
      documentId: doc.body.id, signerFirstName: w.contacts.legalRepresentative.firstName, signerLastName: w.contacts.legalRepresentative.lastName,
      signerFunction: 'Présidente', signedOn: w.today(), allPagesInitialled: 'true',
    }, pdf(`ref-signed-${label}`)).expect(201);
    await w.ctx.http.get(`/v1/signatures/${signed.body.id}/file`).set(w.dsi.auth).expect(200);
    return signed.body.id;
  };

  it('R-INT R-ART2 five validations and five rejections in parallel leave one decision: one 200, nine 409s naming it, one audit event, one e-mail per contact', async () => {
    const { ctx, w } = rig;
    const id = await submittedSignature('r1');
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => i % 2
      ? ctx.http.post(`/v1/signatures/${id}/validate`).set(w.dsi.auth)
      : ctx.http.post(`/v1/signatures/${id}/reject`).set(w.dsi.auth).send({ reason: 'Page 2 is not initialled' })));

    expect(count(responses, 200)).toBe(1);
    expect(count(responses, 409)).toBe(9);
    const [stored] = await ctx.query<{ status: string }>(`SELECT status FROM signatures WHERE id = $1`, [id]);
    expect(responses.find((r) => r.status === 200)!.body.status).toBe(stored.status);
    for (const lost of responses.filter((r) => r.status === 409)) {
      expect(lost.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(lost.body).toMatchObject({ code: 'SIGNATURE_ALREADY_DECIDED', currentStatus: stored.status });
    }
    const decided = await ctx.query(`SELECT 1 FROM audit_events WHERE target_id = $1 AND action IN ('signature.validated', 'signature.rejected')`, [id]);
    expect(decided).toHaveLength(1);
    expect(await mailsPerRecipient('signature-decided', 'version', 'r1')).toEqual(Object.fromEntries(contactEmails().map((e) => [e, 1])));
  });

  it('R-INT R-ART2 twenty validations in parallel: one 200, one signature.validated event, one e-mail per contact', async () => {
    const { ctx, smtp, w } = rig;
    const id = await submittedSignature('r2');
    const responses = await Promise.all(Array.from({ length: 20 }, () => ctx.http.post(`/v1/signatures/${id}/validate`).set(w.dsi.auth)));

    expect(count(responses, 200)).toBe(1);
    expect(count(responses, 409)).toBe(19);
    expect(await auditOf(id, 'signature.validated')).toHaveLength(1);
    expect(await mailsPerRecipient('signature-decided', 'version', 'r2')).toEqual(Object.fromEntries(contactEmails().map((e) => [e, 1])));
    await ctx.outboxDelivered(w.tenantId);
    expect(smtp.to(w.contacts.securityDeputy.email).filter((m) => m.subject.endsWith(' r2'))).toHaveLength(1);
  });

  it('R-INT R-ART2 five uploads of one document in parallel leave one signature waiting for the DSI', async () => {
    const { ctx, w } = rig;
    const doc = await w.upload(w.dsi.auth, '/v1/documents', { kind: 'security_referential', versionLabel: 'r3', effectiveOn: w.today() }, pdf('ref-r3')).expect(201);
    const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => w.upload(w.securityContact.auth, `/v1/contractors/${w.contractorId}/signatures`, {
      documentId: doc.body.id, signerFirstName: w.contacts.legalRepresentative.firstName, signerLastName: w.contacts.legalRepresentative.lastName,
      signerFunction: 'Présidente', signedOn: w.today(), allPagesInitialled: 'true',
    }, pdf(`ref-r3-signed-${i}`))));

    expect(count(responses, 201)).toBe(1);
    expect(responses.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(4).fill('SIGNATURE_PENDING'));
    expect(await ctx.query(`SELECT 1 FROM signatures WHERE document_id = $1 AND status = 'submitted'`, [doc.body.id])).toHaveLength(1);
  });

  it('R-INT R-ART2 ten withdrawals of one document version in parallel: one 200, nine 409s, one audit event', async () => {
    const { ctx, w } = rig;
    const doc = await w.upload(w.dsi.auth, '/v1/documents', { kind: 'rgpd_clauses', versionLabel: 'w1', effectiveOn: w.today() }, pdf('rgpd-w1')).expect(201);
    const responses = await Promise.all(Array.from({ length: 10 }, () => ctx.http.post(`/v1/documents/${doc.body.id}/withdraw`).set(w.dsi.auth)));

    expect(count(responses, 200)).toBe(1);
    expect(responses.filter((r) => r.status === 409).map((r) => [r.body.code, r.body.currentStatus])).toEqual(Array(9).fill(['DOCUMENT_WITHDRAWN', 'withdrawn']));
    expect(await auditOf(doc.body.id, 'document.withdrawn')).toHaveLength(1);
  });

  it('R-INT R-ART2 the same version published twice in parallel: one 201, one 409 DOCUMENT_VERSION_EXISTS, never a 500', async () => {
    const { w } = rig;
    const responses = await Promise.all([0, 1].map((i) => w.upload(w.dsi.auth, '/v1/documents', { kind: 'rgpd_clauses', versionLabel: 'twice', effectiveOn: w.today() }, pdf(`twice-${i}`))));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(responses.find((r) => r.status === 409)!.body.code).toBe('DOCUMENT_VERSION_EXISTS');
  });

  it('R-INT R-ART3 the same company declared twice in parallel: one 201, one 409 SIRET_TAKEN, never a 500', async () => {
    const { ctx, w } = rig;
    const siret = nextSiret();
    const responses = await Promise.all([0, 1].map((i) => ctx.http.post('/v1/contractors').set(w.dsi.auth).send({ legalName: `Jumeaux ${i} SAS`, siret, address: 'Le Mans' })));
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(responses.find((r) => r.status === 409)!.body.code).toBe('SIRET_TAKEN');
  });

  it('R-INT R-ART10 ten ends of one prestation in parallel, then ten destruction attestations: each happens once (one audit event, one file stored)', async () => {
    const { ctx, w } = rig;
    // A second prestation keeps the company's accounts open; this one is ended.
    const prestation = await ctx.http.post(`/v1/contractors/${w.contractorId}/prestations`).set(w.dsi.auth)
      .send({ title: 'Migration PACS', accessMode: 'remote', rgpdSubcontractor: false, startsOn: w.today() }).expect(201);
    const id = prestation.body.id;
    const ends = await Promise.all(Array.from({ length: 10 }, () => ctx.http.post(`/v1/prestations/${id}/end`).set(w.dsi.auth).send({ reason: 'Contrat terminé' })));
    expect(count(ends, 200)).toBe(1);
    expect(ends.filter((r) => r.status === 409).map((r) => [r.body.code, r.body.currentStatus])).toEqual(Array(9).fill(['PRESTATION_ALREADY_ENDED', 'ended']));
    expect(await auditOf(id, 'prestation.ended')).toHaveLength(1);

    const files = Array.from({ length: 10 }, (_, i) => pdf(`attestation-${i}`));
    const attests = await Promise.all(files.map((file) => ctx.http.post(`/v1/prestations/${id}/destruction-attestation`).set(w.securityContact.auth)
      .attach('file', file, { filename: 'attestation.pdf', contentType: 'application/pdf' })));
    expect(count(attests, 200)).toBe(1);
    expect(attests.filter((r) => r.status === 409).map((r) => [r.body.code, r.body.currentStatus])).toEqual(Array(9).fill(['ATTESTATION_ALREADY_RECEIVED', 'attested']));
    expect(await auditOf(id, 'prestation.destruction_attested')).toHaveLength(1);
    const sha256s = files.map((f) => createHash('sha256').update(f).digest('hex'));
    const stored = await ctx.query<{ sha256: string }>(`SELECT sha256 FROM files WHERE sha256 = ANY($1)`, [sha256s]);
    expect(stored.map((f) => f.sha256)).toEqual([attests.find((r) => r.status === 200)!.body.attestationSha256]);
    expect(await mailsPerRecipient('attestation-received', 'prestation', 'Migration PACS')).toEqual({ [w.dsi.email]: 1 });
  });

  it('R-INT R-ART3 five contacts declarations in parallel naming five legal representatives: they take turns, and only the last one declared keeps the role', async () => {
    const { ctx, w } = rig;
    const declarations = Array.from({ length: 5 }, (_, i) => ({
      ...w.contacts,
      legalRepresentative: { ...w.contacts.legalRepresentative, firstName: `Rep${i}`, email: `legal${i}.race@contractor.test` },
    }));
    const responses = await Promise.all(declarations.map((d) => ctx.http.put(`/v1/contractors/${w.contractorId}/contacts`).set(w.dsi.auth).send(d)));
    expect(count(responses, 200)).toBe(5);

    const listed = await ctx.http.get(`/v1/contractors/${w.contractorId}/contacts`).set(w.dsi.auth).expect(200);
    const legalRep = listed.body.find((c: { role: string }) => c.role === 'legal_rep');
    // Nobody of the company holds a contact role outside the list, and those left out cannot sign in.
    const holders = await ctx.query<{ email: string; roles: string[] }>(
      `SELECT email, roles FROM users WHERE contractor_id = $1 AND roles && ARRAY['legal_rep', 'security_contact', 'security_deputy'] ORDER BY email`,
      [w.contractorId],
    );
    expect(holders.map((h) => h.email).sort()).toEqual([legalRep.email, w.contacts.securityContact.email, w.contacts.securityDeputy.email].sort());
    const leftOut = await ctx.query<{ status: string; roles: string[] }>(
      `SELECT status, roles FROM users WHERE lower(email) = ANY($1)`,
      [[w.contacts.legalRepresentative.email, ...declarations.map((d) => d.legalRepresentative.email)].filter((e) => e !== legalRep.email)],
    );
    expect(leftOut).toHaveLength(5);
    expect(leftOut.every((u) => u.status === 'deactivated' && u.roles.length === 0)).toBe(true);
    // Each declaration started from the previous one: the history is one chain.
    const history = await ctx.query<{ changes: { contacts: unknown }; previous: { contacts: unknown } | null }>(
      `SELECT changes, previous FROM contractor_changes WHERE contractor_id = $1 AND kind = 'contacts' ORDER BY seq`, [w.contractorId],
    );
    for (let i = 1; i < history.length; i++) expect(history[i].previous?.contacts).toEqual(history[i - 1].changes.contacts);
  });
});
