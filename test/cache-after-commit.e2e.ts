import { DomainEvents } from '@app/core';
import { pdf, World, validateSignature } from '@app/testing';
import { describeApi } from './support/describe-api';

/**
 * R-INT caches are cleared after the transaction commits, never before. The decision standing cache
 * (DECISION_CACHE_MS, on here) was cleared by the `signature.validated` listener inside the validating
 * transaction: a decision asked in the gap read the old standing and cached it again until it expired.
 */
describeApi('R-INT caches invalidated after commit', { env: { DECISION_CACHE_MS: '600000' } }, (rig) => {
  it('R-INT R-ART36 R-ART2 a decision asked while a signature validation is still uncommitted does not keep the old standing', async () => {
    const { ctx, smtp } = rig;
    const w = await World.build(ctx, smtp, 'cache');
    const key = await w.gatewayKey();
    const account = await w.activeAccount('Jean', 'Dupont');
    const resource = await w.resource('PACS');
    await w.habilitate(account.id, resource);
    const now = ctx.clock.now().getTime();
    await w.approvedWindow([account.id], [resource], new Date(now - 60_000), new Date(now + 3_600_000));
    const decide = async () => (await ctx.http.post('/v1/access-decisions').set('X-Api-Key', key).send({ account: account.id, resource }).expect(200)).body;

    // A prestation requiring the RGPD clauses: the contractor's gate is closed until their signature is validated.
    await ctx.http.post(`/v1/contractors/${w.contractorId}/prestations`).set(w.dsi.auth)
      .send({ title: 'Hébergement', accessMode: 'remote', rgpdSubcontractor: true, requireRgpdClauses: true, startsOn: w.today() }).expect(201);
    const clauses = await w.upload(w.dsi.auth, '/v1/documents', { kind: 'rgpd_clauses', versionLabel: 'r1', effectiveOn: w.today() }, pdf('rgpd-r1')).expect(201);
    const signed = await w.upload(w.securityContact.auth, `/v1/contractors/${w.contractorId}/signatures`, {
      documentId: clauses.body.id, signerFirstName: w.contacts.legalRepresentative.firstName, signerLastName: w.contacts.legalRepresentative.lastName,
      signerFunction: 'Présidente', signedOn: w.today(), allPagesInitialled: 'true',
    }, pdf('rgpd-r1-signed')).expect(201);
    expect(await decide()).toMatchObject({ decision: 'deny', reasons: ['CONTRACTOR_GATE_CLOSED'] });

    // A listener registered last holds the validating transaction after every other reaction ran: a decision in the gap.
    let inGap = false;
    ctx.api.get(DomainEvents).on('signature.validated', async () => {
      inGap = true;
      expect(await decide()).toMatchObject({ decision: 'deny', reasons: ['CONTRACTOR_GATE_CLOSED'] });
    });
    await validateSignature(ctx, signed.body.id, w.dsi.auth);
    expect(inGap).toBe(true);

    expect(await decide()).toMatchObject({ decision: 'allow', reasons: [] });
  });
});
