import { addDays, JobName, localDate, Role } from '@app/core';
import { bodyOf, pdf, REVIEW_STATEMENT, SignedIn, World } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';

/** R-ART34 evidence as a printable page, the RSSI's dashboard, and the weekly digest of the DSI and the RSSI (R-DIG). */
describeApi('R-ART34 R-DIG access-review summary, dashboard and weekly digest', {}, (rig) => {
  const DAY = 86_400_000;
  const runJob = (job: JobName) => rig.ctx.worker!.get(JobRegistry).dispatch(job, {}, { attempt: 1 });
  const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'";

  const hospitalPerson = async (w: World, role: Role): Promise<SignedIn> =>
    rig.ctx.signIn((await rig.ctx.createUser({ tenantId: w.tenantId, roles: [role] })).email);

  /** The campaign's items by first name and kind, as the security contact sees them. */
  async function itemsOf(w: World, id: string): Promise<{ id: string; kind: string; snapshot: { firstName: string } }[]> {
    return (await rig.ctx.http.get(`/v1/reviews/${id}`).set(w.securityContact.auth).expect(200)).body.items;
  }

  /** The security contact decides every item (`decisions` by first name and kind, default keep), submits; the RSSI certifies. */
  async function attestAndCertify(w: World, rssi: SignedIn, id: string, decisions: Record<string, object> = {}): Promise<void> {
    for (const item of await itemsOf(w, id)) {
      if (item.kind === 'addition') continue;
      const body = decisions[`${item.snapshot.firstName}:${item.kind}`] ?? { decision: 'keep' };
      await rig.ctx.http.post(`/v1/reviews/${id}/items/${item.id}`).set(w.securityContact.auth).send(body).expect(200);
    }
    await rig.ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(200);
    await rig.ctx.http.post(`/v1/reviews/${id}/certify`).set(rssi.auth).expect(200);
  }

  const section = (html: string, title: string) => html.slice(html.indexOf(`<h2>${title}</h2>`)).split('<h2>')[1];

  it('R-ART34 the printable summary is a self-contained French page, escapes every name, and shows what changed and what is unused', async () => {
    const { ctx, smtp } = rig;
    const w = await World.build(ctx, smtp, 'html');
    const { resource: pacs, accounts: [alice, bruno] } = await w.staffedResource('PACS Imagerie', 'pacs-html', [['Alice', 'Garde'], ['Bruno', 'Part']]);
    const rssi = await hospitalPerson(w, Role.Rssi);
    const auditor = await hospitalPerson(w, Role.Auditor);

    // Alice reaches the PACS through the bastion (an allowed access decision): she is not an unused account.
    const key = await w.gatewayKey();
    await w.approvedWindow([alice.id], [pacs], new Date(ctx.clock.now().getTime() - 60_000), new Date(ctx.clock.now().getTime() + 3_600_000));
    const decision = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', key).send({ account: alice.email, resource: 'pacs-html' }).expect(200);
    expect(decision.body.decision).toBe('allow');
    for (let i = 0; i < 200 && !(await ctx.query(`SELECT 1 FROM access_decisions WHERE account_id = $1`, [alice.id])).length; i++) await new Promise((r) => setTimeout(r, 25));

    // First campaign: a person declared missing has a name that is markup; Alice's level goes down to read, Bruno leaves.
    const first = (await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201)).body.id;
    await ctx.http.post(`/v1/reviews/${first}/additions`).set(w.securityContact.auth)
      .send({ firstName: '<script>alert("x")</script>', lastName: "O'Hara & <b>Fils</b>", email: 'script.person@contractor.test', phone: '+33 6 00 00 00 09' }).expect(201);
    await attestAndCertify(w, rssi, first, { 'Alice:habilitation': { decision: 'change', level: 'read' }, 'Bruno:account': { decision: 'remove' }, 'Bruno:habilitation': { decision: 'remove' } });

    const page = await ctx.http.get(`/v1/reviews/${first}/evidence?format=html`).set(auditor.auth).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toBe(HTML_CSP);
    const html = page.text;
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(html).toContain('Revue annuelle des accès — html SAS');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Hara &amp; &lt;b&gt;Fils&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<b>|<link|<img|<iframe|src=|href=/i);
    expect(html).toContain(`Attestée par</dt><dd>Hugo Bernard &lt;${w.contacts.securityContact.email}&gt;`);
    expect(html).toContain(`Certifiée par (RSSI)</dt><dd>Test Person &lt;${rssi.email}&gt;`);
    expect(html).toMatch(/<td>Habilitation<\/td><td>PACS Imagerie<\/td><td>à distance<\/td><td>exploitation<\/td><td>Niveau modifié<\/td><td>lecture<\/td>/);
    expect(section(html, 'Changements depuis la dernière revue')).toContain('Première revue de ce prestataire');
    const unused = section(html, 'Comptes inutilisés');
    expect(unused).toContain('Bruno Part');
    expect(unused).not.toContain('Alice Garde');

    // Second campaign, a newcomer: the page compares with the first one (changed level, newcomer, Bruno gone).
    const chloe = await w.activeAccount('Chloe', 'Neuve');
    await w.habilitate(chloe.id, pacs);
    const second = (await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201)).body.id;
    await attestAndCertify(w, rssi, second);
    const changes = section((await ctx.http.get(`/v1/reviews/${second}/evidence?format=html`).set(rssi.auth).expect(200)).text, 'Changements depuis la dernière revue');
    expect(changes).toContain('modifié : Alice Garde — Habilitation PACS Imagerie (lecture)');
    expect(changes).toContain('nouveau : Chloe Neuve — Compte');
    expect(changes).toContain('Plus présents depuis la dernière revue');
    expect(changes).toMatch(/<li>Bruno Part &lt;bruno\.part\.html@contractor\.test&gt; — Compte<\/li>/);

    // The first campaign's evidence still compares with what came before it (nothing), not with the later campaign.
    const older = await ctx.http.get(`/v1/reviews/${first}/evidence`).set(rssi.auth).expect(200);
    expect(new Set(older.body.rows.map((r: { sinceLastCampaign: string }) => r.sinceLastCampaign))).toEqual(new Set(['new']));
    expect(older.body.rows.find((r: { person: string; item: string }) => r.person === 'Alice Garde' && r.item === 'account').lastUsedAt).not.toBe('');
  });

  it('R-ART34 the dashboard counts campaigns by state, lists overdue ones and the accounts silence suspended; /dashboard is not taken for an id', async () => {
    const { ctx, smtp } = rig;
    const w = await World.build(ctx, smtp, 'dash');
    const a = await w.activeAccount('Denis', 'Muet');
    const b = await w.activeAccount('Emma', 'Muette');
    const other = (await ctx.http.post('/v1/contractors').set(w.dsi.auth).send({ legalName: 'Autre SARL', siret: '44321109800019', address: 'Le Mans' }).expect(201)).body.id;
    const rssi = await hospitalPerson(w, Role.Rssi);
    const auditorEmail = (await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Auditor] })).email;
    const id = (await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201)).body.id;
    await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: other }).expect(201);

    const before = (await ctx.http.get('/v1/reviews/dashboard').set(rssi.auth).expect(200)).body;
    expect(before).toMatchObject({
      campaignsByStatus: { open: 2, submitted: 0, certified: 0 }, overdue: { count: 0, items: [] }, toCertify: { count: 0 }, suspendedForReview: { count: 0, items: [] },
    });

    // 47 days later: both campaigns are overdue; past the 15-day grace period the unattested accounts are suspended.
    await ctx.advanceClock(47 * DAY);
    await runJob(JobName.ReviewsDaily);
    const dash = (await ctx.http.get('/v1/reviews/dashboard').set(rssi.auth).expect(200)).body;
    expect(dash.campaignsByStatus).toEqual({ open: 2, submitted: 0, certified: 0 });
    expect(dash.overdue.count).toBe(2);
    expect(dash.overdue.items.find((c: { id: string }) => c.id === id)).toMatchObject({
      contractorId: w.contractorId, contractor: 'dash SAS', daysLate: 17, undecided: 2, silenced: true,
    });
    expect(dash.suspendedForReview.count).toBe(2);
    expect(dash.suspendedForReview.items.map((s: { accountId: string }) => s.accountId).sort()).toEqual([a.id, b.id].sort());
    expect(dash.suspendedForReview.items[0]).toMatchObject({ contractor: 'dash SAS', campaignId: id });
    for (const reader of [w.dsi, await ctx.signIn(auditorEmail)]) {
      expect((await ctx.http.get('/v1/reviews/dashboard').set(reader.auth).expect(200)).body.overdue.count).toBe(2);
    }

    // Attested late, submitted, certified: the accounts come back and the dashboard follows.
    for (const item of await itemsOf(w, id)) await ctx.http.post(`/v1/reviews/${id}/items/${item.id}`).set(w.securityContact.auth).send({ decision: 'keep' }).expect(200);
    await ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(200);
    const waiting = (await ctx.http.get('/v1/reviews/dashboard').set(rssi.auth).expect(200)).body;
    expect(waiting).toMatchObject({ campaignsByStatus: { open: 1, submitted: 1 }, overdue: { count: 1 }, toCertify: { count: 1, items: [{ id }] } });
    await ctx.http.post(`/v1/reviews/${id}/certify`).set(rssi.auth).expect(200);
    const after = (await ctx.http.get('/v1/reviews/dashboard').set(rssi.auth).expect(200)).body;
    expect(after).toMatchObject({ campaignsByStatus: { open: 1, submitted: 0, certified: 1 }, suspendedForReview: { count: 0, items: [] } });
  });

  it('R-DIG the weekly digest reaches the DSI and the RSSI once per week, in French, with the right counts', async () => {
    const { ctx, smtp } = rig;
    const w = await World.build(ctx, smtp, 'digest');
    const pacs = await w.resource('PACS Digest', 'pacs-digest');
    const alice = await w.activeAccount('Alice', 'Digest');
    const bruno = await w.activeAccount('Bruno', 'Digest');
    await w.habilitate(alice.id, pacs);
    const rssi = await hospitalPerson(w, Role.Rssi);
    await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201);
    const now = () => ctx.clock.now().getTime();
    await w.approvedWindow([alice.id], [pacs], new Date(now() + 60_000), new Date(now() + 3_600_000));
    await ctx.http.post('/v1/interventions').set(w.securityContact.auth).send({
      contractorId: w.contractorId, accountIds: [alice.id], resourceIds: [pacs], startsAt: new Date(now() + 40 * DAY), endsAt: new Date(now() + 40 * DAY + 3_600_000),
      nature: 'Montée de version', risks: 'Aucun', availabilityImpact: 'Aucun', changesSettings: false, changesData: false,
    }).expect(201);

    // 33 days later: the review is 3 days overdue and the window's report is late.
    await ctx.advanceClock(33 * DAY);
    const today = localDate(ctx.clock.now(), 'Europe/Paris');
    await ctx.http.post(`/v1/contractors/${w.contractorId}/accounts`).set(w.securityContact.auth)
      .send({ firstName: 'Carla', lastName: 'Attente', email: 'carla.attente@contractor.test', phone: '+33 6 00 00 00 08' }).expect(201);
    await ctx.http.post(`/v1/accounts/${bruno.id}/habilitations`).set(w.securityContact.auth).send({ resourceId: pacs, accessType: 'remote', level: 'read' }).expect(201);
    const v3 = await w.upload(w.dsi.auth, '/v1/documents', { kind: 'charter', versionLabel: 'v3.0', effectiveOn: today, resignDeadline: addDays(today, 10) }, pdf('charter-v3-digest')).expect(201);
    await w.upload(w.securityContact.auth, `/v1/contractors/${w.contractorId}/signatures`, {
      documentId: v3.body.id, signerFirstName: w.contacts.legalRepresentative.firstName, signerLastName: w.contacts.legalRepresentative.lastName,
      signerFunction: 'Présidente', signedOn: today, allPagesInitialled: 'true',
    }, pdf('charter-v3-digest-signed')).expect(201);
    const key = await w.gatewayKey();
    const ingested = await ctx.http.post('/v1/connection-events').set('X-Api-Key', key).send([{
      eventId: 'digest-unknown-1', account: 'inconnu@nulle-part.test', resource: 'pacs-digest', sourceIp: '192.0.2.7',
      startedAt: new Date(now() - 60_000).toISOString(), outcome: 'success',
    }]).expect(200);
    expect(ingested.body.rejected).toEqual([]);
    await runJob(JobName.JournalCorrelate);

    await runJob(JobName.DigestWeekly);
    await runJob(JobName.DigestWeekly);
    const subject = 'Synthèse hebdomadaire';
    const [toDsi] = await smtp.waitForSubject(w.dsi.email, subject);
    const [toRssi] = await smtp.waitForSubject(rssi.email, subject);
    expect(toDsi.subject).toMatch(/^Synthèse hebdomadaire \d{4}-W\d{2} : CH Test /);
    const text = bodyOf(toDsi.raw);
    for (const line of [
      'Approbations en attente : 4', 'comptes demandés : 1', 'habilitations demandées : 1', 'signatures à valider : 1', 'interventions à approuver : 1',
      "Comptes rendus d'intervention en retard : 1", 'Revues annuelles des accès en retard : 1', 'digest SAS : échéance',
      '(3 jour(s) de retard), 3 décision(s) manquante(s)', 'Anomalies du journal des connexions (7 derniers jours) : 1', 'compte inconnu : 1',
      'Accès qui se fermeront sous 14 jours faute de nouvelle signature : 1', `digest SAS : « Charte de bon usage du SI à destination des prestataires » v3.0 à signer avant le ${addDays(today, 10)} (10 jour(s))`,
    ]) expect(text).toContain(line);
    expect(bodyOf(toRssi.raw)).toContain('Revues annuelles des accès en retard : 1');
    // Run twice, sent once: one outbox row per person for this week.
    const rows = await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND dedupe_key LIKE 'digest:%'`, [w.tenantId]);
    expect(rows[0].n).toBe(2);

    // The next week: one more each; the anomaly is now more than seven days old.
    ctx.clock.advance(7 * DAY + 3_600_000);
    await runJob(JobName.DigestWeekly);
    const [, nextWeek] = await smtp.waitForSubject(w.dsi.email, subject, 2);
    await smtp.waitForSubject(rssi.email, subject, 2);
    expect(nextWeek.subject).not.toBe(toDsi.subject);
    expect(bodyOf(nextWeek.raw)).toContain('Anomalies du journal des connexions (7 derniers jours) : 0');
    expect((await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND dedupe_key LIKE 'digest:%'`, [w.tenantId]))[0].n).toBe(4);
  });

  it('R-ART34 R-ART4 a contractor gets 403 on the dashboard and the evidence; a subcontractor does not see its prime\'s campaign; another tenant gets 404; a bad format is a 400 problem', async () => {
    const { ctx, smtp } = rig;
    const w = await World.build(ctx, smtp, 'forbid');
    await w.activeAccount('Gina', 'Interdite');
    const rssi = await hospitalPerson(w, Role.Rssi);
    const referent = await hospitalPerson(w, Role.Referent);
    const id = (await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201)).body.id;
    for (const path of ['/v1/reviews/dashboard', `/v1/reviews/${id}/evidence`, `/v1/reviews/${id}/evidence?format=html`, `/v1/reviews/${id}/evidence?format=csv`]) {
      const refused = await ctx.http.get(path).set(w.securityContact.auth).expect(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    await ctx.http.get('/v1/reviews/dashboard').set(referent.auth).expect(403);
    const bad = await ctx.http.get(`/v1/reviews/${id}/evidence?format=pdf`).set(rssi.auth).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await ctx.http.get(`/v1/reviews/${id}/evidence?format=html`).set(rssi.auth).expect(409)).body.code).toBe('REVIEW_NOT_CERTIFIED');
    // A subcontractor is reviewed within its prime's campaign, which its people can neither open nor see listed.
    const sub = (await ctx.http.post('/v1/contractors').set(w.dsi.auth)
      .send({ legalName: 'Sous-traitant SAS', siret: '80103001200018', address: 'Le Mans', primeContractorId: w.contractorId }).expect(201)).body.id;
    await ctx.http.put(`/v1/contractors/${sub}/contacts`).set(w.dsi.auth).send({
      legalRepresentative: { firstName: 'S', lastName: 'Rep', phone: '+33 1 00 00 00 00', email: 'rep@sub.test', function: 'Gérant' },
      securityContact: { firstName: 'S', lastName: 'Sec', phone: '+33 1 00 00 00 01', email: 'sec@sub.test' },
      securityDeputy: { firstName: 'S', lastName: 'Dep', phone: '+33 1 00 00 00 02', email: 'dep@sub.test' },
    }).expect(200);
    const subContact = await w.acceptInvitation('sec@sub.test');
    await ctx.http.get(`/v1/reviews/${id}`).set(subContact.auth).expect(404);
    expect((await ctx.http.get('/v1/reviews').set(subContact.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });
    expect((await ctx.http.get('/v1/reviews').set(w.securityContact.auth).expect(200)).body.items.map((r: { id: string }) => r.id)).toEqual([id]);

    const stranger = await ctx.tenantWithDsi();
    const strangerRssi = await ctx.signIn((await ctx.createUser({ tenantId: stranger.tenantId, roles: [Role.Rssi] })).email);
    await ctx.http.get(`/v1/reviews/${id}/evidence?format=html`).set(strangerRssi.auth).expect(404);
    expect((await ctx.http.get('/v1/reviews/dashboard').set(strangerRssi.auth).expect(200)).body.campaignsByStatus).toEqual({ open: 0, submitted: 0, certified: 0 });
  });

  it('R-ART34 a campaign opened late still leaves the whole lead time: nothing is suspended by the run that opens it', async () => {
    const { ctx, smtp } = rig;
    const w = await World.build(ctx, smtp, 'late');
    const a = await w.activeAccount('Hugo', 'Tardif');
    // More than a year plus the grace period after the first activation, and no campaign yet (e.g. the worker was stopped).
    await ctx.advanceClock(400 * DAY);
    await runJob(JobName.ReviewsDaily);
    const [campaign] = (await ctx.http.get('/v1/reviews').set(w.dsi.auth).expect(200)).body.items;
    expect(campaign).toMatchObject({ status: 'open', overdue: false, dueOn: addDays(localDate(ctx.clock.now(), 'Europe/Paris'), 30) });
    expect((await ctx.http.get(`/v1/accounts/${a.id}`).set(w.dsi.auth).expect(200)).body.status).toBe('active');
  });
});
