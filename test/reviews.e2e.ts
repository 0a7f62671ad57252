import { JobName, Role } from '@app/core';
import { REVIEW_STATEMENT, SignedIn, World } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';

describeApi('R-ART34 annual access reviews', {}, (rig) => {
  const day = 86_400_000;
  const runJob = (job: JobName) => rig.ctx.worker!.get(JobRegistry).dispatch(job, {}, { attempt: 1 });

  async function rssiOf(w: World): Promise<SignedIn> {
    const user = await rig.ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] });
    return rig.ctx.signIn(user.email);
  }

  it('R-ART34 a whole campaign: opened on the anniversary, attested keep/change/remove/add, certified, removals applied, evidence', async () => {
    const { ctx, smtp } = rig;
    const w = await World.build(ctx, smtp, 'review');
    const people: [string, string][] = [['Alice', 'Keep'], ['Bruno', 'Change'], ['Chloe', 'Remove']];
    const { resource: pacs, accounts: [alice, bruno, chloe] } = await w.staffedResource('PACS Review', 'pacs-review', people);

    // Nothing before the anniversary comes near; the scheduler opens the campaign 30 days before it.
    await runJob(JobName.ReviewsDaily);
    expect((await ctx.http.get('/v1/reviews').set(w.dsi.auth).expect(200)).body.items).toHaveLength(0);
    await ctx.advanceClock(336 * day);
    await runJob(JobName.ReviewsDaily);
    await runJob(JobName.ReviewsDaily);
    const campaigns = (await ctx.http.get('/v1/reviews').set(w.securityContact.auth).expect(200)).body.items;
    expect(campaigns).toHaveLength(1);
    const id = campaigns[0].id;
    const review = await ctx.http.get(`/v1/reviews/${id}`).set(w.securityContact.auth).expect(200);
    expect(review.body).toMatchObject({ status: 'open', itemsTotal: 6, itemsDecided: 0, overdue: false });
    const item = (first: string, kind: string) => review.body.items.find((i: { kind: string; snapshot: { firstName: string } }) => i.kind === kind && i.snapshot.firstName === first);
    expect(item('Bruno', 'habilitation').snapshot).toMatchObject({ resource: 'PACS Review', level: 'operate', accessType: 'remote' });
    expect(item('Alice', 'account').lastUsedAt).toBeNull();

    const decide = (itemId: string, body: object) => ctx.http.post(`/v1/reviews/${id}/items/${itemId}`).set(w.securityContact.auth).send(body);
    await decide(item('Alice', 'account').id, { decision: 'keep' }).expect(200);
    await decide(item('Alice', 'habilitation').id, { decision: 'keep' }).expect(200);
    await decide(item('Bruno', 'account').id, { decision: 'keep' }).expect(200);
    await decide(item('Bruno', 'habilitation').id, { decision: 'change' }).expect(400);
    await decide(item('Bruno', 'habilitation').id, { decision: 'change', level: 'read' }).expect(200);
    await decide(item('Chloe', 'account').id, { decision: 'change', level: 'read' }).expect(400);
    await decide(item('Chloe', 'account').id, { decision: 'remove' }).expect(200);
    expect((await ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(409)).body.code).toBe('REVIEW_INCOMPLETE');
    await decide(item('Chloe', 'habilitation').id, { decision: 'remove' }).expect(200);
    const added = await ctx.http.post(`/v1/reviews/${id}/additions`).set(w.securityContact.auth)
      .send({ firstName: 'David', lastName: 'Missing', email: 'david.missing@contractor.test', phone: '+33 6 00 00 00 07' }).expect(201);
    expect(added.body.kind).toBe('addition');

    // Nothing is applied before certification.
    expect((await ctx.http.get(`/v1/accounts/${chloe.id}`).set(w.dsi.auth).expect(200)).body.status).toBe('active');
    await ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(200);
    expect((await ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(409)).body.code).toBe('REVIEW_NOT_OPEN');

    // Only the RSSI certifies; a contractor cannot, nor can the DSI.
    await ctx.http.post(`/v1/reviews/${id}/certify`).set(w.securityContact.auth).expect(403);
    await ctx.http.post(`/v1/reviews/${id}/certify`).set(w.dsi.auth).expect(403);
    const rssi = await rssiOf(w);
    await ctx.http.get(`/v1/reviews/${id}/evidence`).set(rssi.auth).expect(409);
    const certified = await ctx.http.post(`/v1/reviews/${id}/certify`).set(rssi.auth).expect(200);
    expect(certified.body.status).toBe('certified');

    expect((await ctx.http.get(`/v1/accounts/${chloe.id}`).set(w.dsi.auth).expect(200)).body).toMatchObject({ status: 'deactivated', deactivationReason: `access review ${id}` });
    const brunoScope = (await ctx.http.get(`/v1/accounts/${bruno.id}/habilitations`).set(w.dsi.auth).expect(200)).body.items;
    expect(brunoScope[0]).toMatchObject({ level: 'read', status: 'approved' });
    expect((await ctx.http.get('/v1/accounts/' + alice.id).set(w.dsi.auth).expect(200)).body.status).toBe('active');

    const evidence = await ctx.http.get(`/v1/reviews/${id}/evidence?format=csv`).set(rssi.auth).expect(200);
    expect(evidence.headers['content-type']).toContain('text/csv');
    const lines = evidence.text.trim().split('\r\n');
    expect(lines[0]).toBe('Société,Personne,E-mail,Élément,Ressource,Accès,Niveau avant,Décision,Niveau après,Attesté par,Attesté le,Corrigé par le RSSI,Certifié par,Certifié le,Depuis la dernière revue,Dernière utilisation');
    const brunoLine = lines.find((l) => l.includes('Bruno Change') && l.includes('PACS Review'))!;
    expect(brunoLine).toContain(',habilitation,PACS Review,à distance,exploitation,modifier le niveau,lecture,');
    expect(brunoLine).toContain(w.contacts.securityContact.email);
    expect(brunoLine).toContain(rssi.email);
    const json = await ctx.http.get(`/v1/reviews/${id}/evidence`).set(rssi.auth).expect(200);
    expect(json.body.rows.filter((r: { decision: string }) => r.decision === 'remove').map((r: { person: string }) => r.person)).toEqual(['Chloe Remove', 'Chloe Remove']);
  });

  it('R-ART34 silence never keeps access: after the grace period unattested accounts are suspended, and resume at certification', async () => {
    const { ctx, smtp } = rig;
    const w = await World.build(ctx, smtp, 'silence');
    const a = await w.activeAccount('Quiet', 'Person');
    const rssi = await rssiOf(w);
    const opened = await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201);
    await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(409);
    const id = opened.body.id;

    // Reminders before the due date, then the deputy and the RSSI once overdue.
    await ctx.advanceClock(17 * day);
    await runJob(JobName.ReviewsDaily);
    await smtp.waitForSubject(w.contacts.securityContact.email, 'Revue annuelle des accès à compléter');
    await ctx.advanceClock(14 * day);
    await runJob(JobName.ReviewsDaily);
    await smtp.waitForSubject(w.contacts.securityDeputy.email, 'Revue annuelle des accès en retard');
    await smtp.waitForSubject(rssi.email, 'Revue annuelle des accès en retard');
    expect((await ctx.http.get(`/v1/accounts/${a.id}`).set(w.dsi.auth).expect(200)).body.status).toBe('active');

    // Past the 15-day grace period: suspended, with the review as the reason.
    await ctx.advanceClock(16 * day);
    await runJob(JobName.ReviewsDaily);
    const suspended = await ctx.http.get(`/v1/accounts/${a.id}`).set(w.dsi.auth).expect(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', suspensionKind: 'review' });

    const contact = w.securityContact;
    const review = await ctx.http.get(`/v1/reviews/${id}`).set(contact.auth).expect(200);
    expect(review.body.overdue).toBe(true);
    for (const item of review.body.items) await ctx.http.post(`/v1/reviews/${id}/items/${item.id}`).set(contact.auth).send({ decision: 'keep' }).expect(200);
    await ctx.http.post(`/v1/reviews/${id}/submit`).set(contact.auth).send(REVIEW_STATEMENT).expect(200);
    await ctx.http.post(`/v1/reviews/${id}/certify`).set(rssi.auth).expect(200);
    expect((await ctx.http.get(`/v1/accounts/${a.id}`).set(w.dsi.auth).expect(200)).body.status).toBe('active');
  });

  it('R-ART34 another contractor\'s campaign is invisible (404); bad input is a 4xx', async () => {
    const { ctx, smtp } = rig;
    const w1 = await World.build(ctx, smtp, 'iso-one');
    const w2Contractor = (await ctx.http.post('/v1/contractors').set(w1.dsi.auth).send({ legalName: 'Other Co', siret: '73282932000074', address: 'x' }).expect(201)).body.id;
    await w1.activeAccount('Iso', 'One');
    const rssi = await rssiOf(w1);
    const campaign = await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w1.contractorId }).expect(201);
    await ctx.http.put(`/v1/contractors/${w2Contractor}/contacts`).set(w1.dsi.auth).send({
      legalRepresentative: { firstName: 'O', lastName: 'Rep', phone: '+33 1 00 00 00 00', email: 'rep@other.test' },
      securityContact: { firstName: 'O', lastName: 'Sec', phone: '+33 1 00 00 00 01', email: 'sec@other.test' },
      securityDeputy: { firstName: 'O', lastName: 'Dep', phone: '+33 1 00 00 00 02', email: 'dep@other.test' },
    }).expect(200);
    const otherContact = await w1.acceptInvitation('sec@other.test');
    await ctx.http.get(`/v1/reviews/${campaign.body.id}`).set(otherContact.auth).expect(404);
    expect((await ctx.http.get('/v1/reviews').set(otherContact.auth).expect(200)).body.items).toHaveLength(0);
    await ctx.http.post(`/v1/reviews/${campaign.body.id}/items/${campaign.body.id}`).set(w1.securityContact.auth).send({ decision: 'maybe' }).expect(400);
    await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: 'not-a-uuid' }).expect(400);
    await ctx.http.post('/v1/reviews').set(w1.securityContact.auth).send({ contractorId: w1.contractorId }).expect(403);
  });
});
