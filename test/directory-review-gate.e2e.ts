import { JobName, Role } from '@app/core';
import { pdf, REVIEW_STATEMENT, validateSignature, World } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';
import { connectorFor, locked, memberOf, Slapd } from './support/slapd';

const DAY = 86_400_000;

/** R-PROV what reaches the directory without a request of its own: a certified review's removal, a closed gate. */
describeApi('R-PROV the directory follows reviews and gates (OpenLDAP)', {}, (rig) => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await Slapd.start(['pacs']);
  });
  afterAll(async () => slapd?.close());

  const runJob = (job: JobName) => rig.ctx.worker!.get(JobRegistry).dispatch(job, {}, { attempt: 1 });
  /** A world whose establishment keeps the directory, with the PACS mapped to its group. */
  const connected = async (name: string) => {
    const w = await World.build(rig.ctx, rig.smtp, name);
    const pacs = await w.resource(`PACS ${name}`);
    await rig.ctx.http.put('/v1/directory/connector').set(w.dsi.auth).send(connectorFor(slapd, { [pacs]: 'pacs' })).expect(200);
    return { w, pacs };
  };
  /** An active account in the PACS group; its entry's DN. */
  const inGroup = async (w: World, pacs: string, first: string, last: string) => {
    const account = await w.activeAccount(first, last);
    await w.habilitate(account.id, pacs);
    const dn = (await slapd.entryWhen(account.id, (e) => e !== undefined))!.dn[0];
    await slapd.membersWhen('pacs', (m) => memberOf(m, dn));
    return { ...account, dn };
  };

  it('R-PROV R-ART2 a gate that closes (a charter version not signed by its deadline) disables the entries; signing again enables them', async () => {
    const { ctx } = rig;
    const { w, pacs } = await connected('gate');
    const ines = await inGroup(w, pacs, 'Ines', 'Portail');
    const tomorrow = new Date(ctx.clock.now().getTime() + DAY).toISOString().slice(0, 10);
    const v3 = await w.upload(w.dsi.auth, '/v1/documents', { kind: 'charter', versionLabel: 'v3.0', effectiveOn: w.today(), resignDeadline: tomorrow },
      pdf('charter-v3-gate')).expect(201);
    await ctx.advanceClock(3 * DAY);
    expect((await ctx.http.get(`/v1/contractors/${w.contractorId}/gate`).set(w.dsi.auth).expect(200)).body.open).toBe(false);
    await runJob(JobName.DirectorySweep);
    expect(locked(await slapd.entryWhen(ines.id, locked))).toBe(true);
    expect(memberOf(await slapd.membersWhen('pacs', (m) => !memberOf(m, ines.dn)), ines.dn)).toBe(false);

    const signed = await w.upload(w.securityContact.auth, `/v1/contractors/${w.contractorId}/signatures`, {
      documentId: v3.body.id, signerFirstName: w.contacts.legalRepresentative.firstName, signerLastName: w.contacts.legalRepresentative.lastName,
      signerFunction: 'Présidente', signedOn: w.today(), allPagesInitialled: 'true',
    }, pdf('charter-v3-gate-signed')).expect(201);
    // The validation reaches the directory by itself (an event), without waiting for the sweep.
    await validateSignature(ctx, signed.body.id, w.dsi.auth);
    expect(locked(await slapd.entryWhen(ines.id, (e) => !locked(e)))).toBe(false);
    expect(memberOf(await slapd.membersWhen('pacs', (m) => memberOf(m, ines.dn)), ines.dn)).toBe(true);
  });

  it('R-PROV R-ART34 a certified access review that removes a habilitation takes the person out of the group; a kept one stays', async () => {
    const { ctx } = rig;
    const { w, pacs } = await connected('revue');
    const keep = await inGroup(w, pacs, 'Jules', 'Garde');
    const remove = await inGroup(w, pacs, 'Karine', 'Retrait');
    await ctx.advanceClock(336 * DAY);
    await runJob(JobName.ReviewsDaily);
    const [campaign] = (await ctx.http.get('/v1/reviews').set(w.securityContact.auth).expect(200)).body.items;
    const review = await ctx.http.get(`/v1/reviews/${campaign.id}`).set(w.securityContact.auth).expect(200);
    for (const item of review.body.items as { id: string; kind: string; snapshot: { firstName: string } }[]) {
      const decision = item.kind === 'habilitation' && item.snapshot.firstName === 'Karine' ? 'remove' : 'keep';
      await ctx.http.post(`/v1/reviews/${campaign.id}/items/${item.id}`).set(w.securityContact.auth).send({ decision }).expect(200);
    }
    await ctx.http.post(`/v1/reviews/${campaign.id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(200);
    const rssi = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] })).email);
    await ctx.http.post(`/v1/reviews/${campaign.id}/certify`).set(rssi.auth).expect(200);

    expect(memberOf(await slapd.membersWhen('pacs', (m) => !memberOf(m, remove.dn)), remove.dn)).toBe(false);
    expect(locked(await slapd.entryOf(remove.id))).toBe(false);
    expect(memberOf(await slapd.members('pacs'), keep.dn)).toBe(true);
    expect(locked(await slapd.entryOf(keep.id))).toBe(false);
  });
});
