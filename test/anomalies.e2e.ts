import { JobName, Role } from '@app/core';
import { bodyOf, HttpReceiver, SignedIn, signedBy, SmtpReceiver, TestContext, waitUntil, World } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';
import { connectionEvent, correlateJournal, ingestEvents } from './support/journal';

interface Anomaly {
  kind: string;
  event: string;
  detail: string;
  account_ref: string;
}

describeApi('R-ART41 correlation of the connection journal: interventions linked, anomalies stored and alerted', { env: { ACCESS_TOKEN_TTL_SECONDS: '3600' } }, (rig) => {
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  let smtp: SmtpReceiver;
  let siem: HttpReceiver;
  let ctx: TestContext;
  let w: World;
  let key: string;
  let rssi: SignedIn;
  let auditor: SignedIn;
  let webhookSecret: string;
  let pacs: string;
  const people: Record<string, { id: string; email: string; holder: SignedIn }> = {};

  const at = (offsetMs: number) => new Date(ctx.clock.now().getTime() + offsetMs);
  const event = connectionEvent;
  const ingest = (events: object[]) => ingestEvents(ctx, key, events);
  const correlate = () => correlateJournal(ctx);
  const anomaliesOf = (...eventIds: string[]) => ctx.query<Anomaly>(
    `SELECT a.kind, e.event_id AS event, a.detail, a.account_ref FROM anomalies a JOIN connection_events e ON e.id = a.event_id
      WHERE a.tenant_id = $1 AND e.event_id = ANY($2) ORDER BY e.event_id, a.kind`, [w.tenantId, eventIds],
  );
  const kindsOf = async (...eventIds: string[]) => (await anomaliesOf(...eventIds)).map((a) => `${a.event}:${a.kind}`);

  beforeAll(async () => {
    siem = await HttpReceiver.start();
    ({ ctx, smtp } = rig);
    w = await World.build(ctx, smtp, 'corr');
    key = await w.gatewayKey();
    rssi = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] })).email);
    auditor = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Auditor] })).email);
    webhookSecret = (await ctx.http.post('/v1/webhooks').set(w.dsi.auth).send({ url: siem.url('/prestagate'), events: ['anomaly.detected'] }).expect(201)).body.secret;
    pacs = await w.resource('PACS', 'pacs');
    for (const [first, last] of [['Alice', 'Durand'], ['Bruno', 'Petit'], ['Chloe', 'Moreau'], ['Denis', 'Lefort'], ['Emma', 'Roux'], ['Felix', 'Blanc']]) {
      const account = await w.activeAccount(first, last);
      await w.habilitate(account.id, pacs);
      people[first.toLowerCase()] = account;
    }
  });
  afterAll(async () => {
    await siem?.stop();
  });

  it('R-ART41 R-ART36 a connection inside its window raises nothing and is linked to its intervention; the auditor goes from the report to its sessions', async () => {
    const windowId = await w.approvedWindow([people.alice.id], [pacs], at(-MINUTE), at(2 * HOUR));
    ctx.clock.advance(5 * MINUTE);
    await ingest([
      event('clean-1', people.alice.email, 'pacs', at(-MINUTE), { endedAt: at(0).toISOString(), recordingRef: 'bastion://rec/clean-1' }),
      event('clean-2', people.alice.id, pacs, at(0), { outcome: 'failure' }),
    ]);
    await correlate();

    expect(await kindsOf('clean-1', 'clean-2')).toEqual([]);
    const linked = await ctx.query<{ event_id: string; intervention_id: string }>(
      `SELECT event_id, intervention_id FROM connection_events WHERE event_id IN ('clean-1', 'clean-2') ORDER BY event_id`,
    );
    expect(linked).toEqual([{ event_id: 'clean-1', intervention_id: windowId }, { event_id: 'clean-2', intervention_id: windowId }]);

    // The report of the intervention, then the sessions it covers, with their recording reference (Art. 44).
    await ctx.http.post(`/v1/interventions/${windowId}/report`).set(w.securityContact.auth).send({
      operations: 'Mise à jour du PACS', intervenants: ['Alice Durand'], actions: 'Correctif 4.2 appliqué', difficulties: 'Aucune',
    }).expect(201);
    const [report] = (await ctx.http.get(`/v1/interventions/${windowId}/reports`).set(auditor.auth).expect(200)).body;
    const sessions = await ctx.http.get(`/v1/interventions/${report.interventionId}/connections`).set(auditor.auth).expect(200);
    expect(sessions.body.nextCursor).toBeNull();
    expect(sessions.body.items).toEqual([
      expect.objectContaining({ eventId: 'clean-1', outcome: 'success', recordingRef: 'bastion://rec/clean-1', sourceIp: '192.0.2.44', interventionId: windowId }),
      expect.objectContaining({ eventId: 'clean-2', outcome: 'failure', recordingRef: null }),
    ]);
    const firstPage = await ctx.http.get(`/v1/interventions/${windowId}/connections?limit=1`).set(rssi.auth).expect(200);
    expect(firstPage.body.items.map((c: { eventId: string }) => c.eventId)).toEqual(['clean-1']);
    const secondPage = await ctx.http.get(`/v1/interventions/${windowId}/connections?limit=1&cursor=${firstPage.body.nextCursor}`).set(rssi.auth).expect(200);
    expect(secondPage.body).toEqual({ items: [expect.objectContaining({ eventId: 'clean-2' })], nextCursor: null });

    // Hospital roles only; another establishment does not even learn that it exists.
    await ctx.http.get(`/v1/interventions/${windowId}/connections`).set(w.securityContact.auth).expect(403);
    const other = await ctx.tenantWithDsi();
    await ctx.http.get(`/v1/interventions/${windowId}/connections`).set(other.dsi.auth).expect(404);
  });

  it('R-ART41 R-ART36 an emergency window covers its sessions until it is challenged', async () => {
    const emergency = await ctx.http.post('/v1/interventions').set(w.securityContact.auth).send({
      contractorId: w.contractorId, accountIds: [people.bruno.id], resourceIds: [pacs], endsAt: at(HOUR), emergency: true,
      justification: 'PACS à l’arrêt', nature: 'Redémarrage', risks: 'Faible', availabilityImpact: '5 minutes', changesSettings: false, changesData: false,
    }).expect(201);
    ctx.clock.advance(MINUTE);
    await ingest([event('emergency-1', people.bruno.email, 'pacs', at(0))]);
    await correlate();
    expect(await kindsOf('emergency-1')).toEqual([]);

    await ctx.http.post(`/v1/interventions/${emergency.body.id}/reject`).set(w.dsi.auth).send({ reason: 'Pas une urgence' }).expect(200);
    ctx.clock.advance(MINUTE);
    await ingest([event('emergency-2', people.bruno.email, 'pacs', at(0))]);
    await correlate();
    expect(await kindsOf('emergency-2')).toEqual(['emergency-2:outside_window']);
    const [linked] = await ctx.query<{ intervention_id: string | null }>(`SELECT intervention_id FROM connection_events WHERE event_id = 'emergency-1'`);
    expect(linked.intervention_id).toBe(emergency.body.id);
  });

  it('R-ART41 R-ART28 R-ART31 R-ART36 each kind of anomaly is stored, e-mailed to the RSSI and sent as a signed anomaly.detected webhook', async () => {
    // Chloé works in a window whose habilitation the DSI then revoked: inside a window, outside the scope.
    const lab = await w.resource('Laboratoire', 'lab');
    const labHabilitation = await w.habilitate(people.chloe.id, lab);
    await w.approvedWindow([people.chloe.id], [lab], at(-MINUTE), at(2 * HOUR));
    await ctx.http.post(`/v1/habilitations/${labHabilitation}/revoke`).set(w.dsi.auth).send({ reason: 'Fin du contrat laboratoire' }).expect(200);
    // Denis is suspended, Emma leaves today, Gilles was requested but never activated.
    await ctx.http.post(`/v1/accounts/${people.denis.id}/suspend`).set(w.dsi.auth).send({ reason: 'Poste compromis' }).expect(200);
    await ctx.http.post(`/v1/contractors/${w.contractorId}/departures`).set(w.securityContact.auth)
      .send({ firstName: 'Emma', lastName: 'Roux', accountId: people.emma.id, effectiveOn: w.today() }).expect(201);
    const gilles = (await ctx.http.post(`/v1/contractors/${w.contractorId}/accounts`).set(w.securityContact.auth)
      .send({ firstName: 'Gilles', lastName: 'Noir', email: 'gilles.noir@contractor.test', phone: '+33 6 00 00 00 01' }).expect(201)).body;
    ctx.clock.advance(MINUTE);
    const outboxBefore = await ctx.query(`SELECT 1 FROM outbox WHERE job = 'webhook.deliver'`);

    await ingest([
      event('k-unknown', 'intrus@ailleurs.test', 'pacs', at(0)),
      event('k-outside', people.felix.email, 'pacs', at(0)),
      event('k-scope', people.chloe.email, 'lab', at(0)),
      event('k-no-resource', people.felix.email, 'console-inconnue', at(0)),
      event('k-suspended', people.denis.email, 'pacs', at(0)),
      event('k-deactivated', people.emma.email, 'pacs', at(0), { outcome: 'failure' }),
      event('k-not-active', gilles.id, 'pacs', at(0), { outcome: 'failure' }),
      // A refused attempt is not an access: no window or scope anomaly for it.
      event('k-refused', people.felix.email, 'pacs', at(0), { outcome: 'failure' }),
      ...[-9, -7, -5, -3, -2, -1].map((m) => event(`k-burst${m}`, people.bruno.email, 'pacs', at(m * MINUTE), { outcome: 'failure' })),
    ]);
    await correlate();

    const all = await anomaliesOf('k-unknown', 'k-outside', 'k-scope', 'k-no-resource', 'k-suspended', 'k-deactivated', 'k-not-active', 'k-refused',
      ...[-9, -7, -5, -3, -2, -1].map((m) => `k-burst${m}`));
    expect(all.map((a) => `${a.event}:${a.kind}`)).toEqual([
      'k-burst-2:failed_login_burst', // the 5th failure within 10 minutes completes the burst; one anomaly for the six
      'k-deactivated:inactive_account',
      'k-no-resource:out_of_scope', 'k-no-resource:outside_window',
      'k-not-active:inactive_account',
      'k-outside:outside_window',
      'k-scope:out_of_scope',
      'k-suspended:inactive_account', 'k-suspended:outside_window',
      'k-unknown:unknown_account',
    ]);
    const detail = (e: string, kind: string) => all.find((a) => a.event === e && a.kind === kind)!.detail;
    expect(detail('k-outside', 'outside_window')).toMatch(/^Connexion hors fenêtre approuvée : Felix Blanc \(felix\.blanc\.corr@contractor\.test\) sur « PACS » le \d{4}-\d\d-\d\d \d\d:\d\d \(Europe\/Paris\)/);
    expect(detail('k-scope', 'out_of_scope')).toContain('sans habilitation approuvée en vigueur');
    expect(detail('k-no-resource', 'out_of_scope')).toContain("« console-inconnue »");
    expect(detail('k-suspended', 'inactive_account')).toContain('suspendu depuis le');
    expect(detail('k-deactivated', 'inactive_account')).toMatch(/tentative de connexion refusée .* désactivé depuis le/);
    expect(detail('k-not-active', 'inactive_account')).toContain("alors que le compte n'était pas encore activé");
    expect(detail('k-unknown', 'unknown_account')).toContain('« intrus@ailleurs.test »');
    expect(detail('k-burst-2', 'failed_login_burst')).toContain('5 échecs pour Bruno Petit');
    const [chloe] = await ctx.query<{ intervention_id: string | null }>(`SELECT intervention_id FROM connection_events WHERE event_id = 'k-scope'`);
    expect(chloe.intervention_id).not.toBeNull();

    // One e-mail to the RSSI for the batch, listing them.
    const [mail] = await smtp.waitForSubject(rssi.email, 'Journal des connexions : 10 anomalie(s)');
    const body = bodyOf(mail.raw);
    expect(body).toContain('Connexion hors fenêtre approuvée : Felix Blanc');
    expect(body).toContain("Rafale d'échecs de connexion");
    // One signed anomaly.detected per anomaly.
    // This test's own (its events are k-*): an earlier test's delivery may still arrive meanwhile.
    const ours = () => siem.on('/prestagate').filter((d) => String(JSON.parse(d.rawBody).data?.gatewayEventId).startsWith('k-'));
    await waitUntil(async () => ours().length >= 10, 15_000, 'the 10 anomaly.detected deliveries of this test');
    const deliveries = ours();
    expect(deliveries).toHaveLength(10);
    for (const d of deliveries) {
      expect(d.headers['x-prestagate-event']).toBe('anomaly.detected');
      expect(signedBy(webhookSecret, d)).toBe(true);
    }
    const unknown = deliveries.map((d) => JSON.parse(d.rawBody)).find((b) => b.data.kind === 'unknown_account');
    expect(unknown).toMatchObject({ event: 'anomaly.detected', tenantId: w.tenantId, data: { accountRef: 'intrus@ailleurs.test', gatewayEventId: 'k-unknown', resourceId: pacs } });
    expect(await ctx.query(`SELECT 1 FROM outbox WHERE job = 'webhook.deliver'`)).toHaveLength(outboxBefore.length + 10);
  });

  it('R-ART41 running the job again, or in two workers at once, creates nothing twice; a burst spread over batches is flagged once', async () => {
    const count = async () => (await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM anomalies`))[0].n;
    const anomalyMails = async () => (await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE job = 'email.send' AND dedupe_key LIKE 'anomalies:%'`))[0].n;
    const before = { anomalies: await count(), anomalyMails: await anomalyMails() };
    await correlate();
    expect({ anomalies: await count(), anomalyMails: await anomalyMails() }).toEqual(before);

    // Already correlated batches queued again (as after a crash between commit and acknowledgement): still nothing new.
    await ctx.query(`INSERT INTO journal_correlation_queue (batch_id, tenant_id, queued_at) SELECT id, tenant_id, now() FROM journal_batches WHERE tenant_id = $1`, [w.tenantId]);
    await correlate();
    expect({ anomalies: await count(), anomalyMails: await anomalyMails() }).toEqual(before);

    // Three failures in one batch, three more a few minutes later in another, a seventh later still: one burst.
    ctx.clock.advance(30 * MINUTE);
    await ingest([-8, -7, -6].map((m) => event(`spread${m}`, people.felix.email, 'pacs', at(m * MINUTE), { outcome: 'failure' })));
    await correlate();
    expect(await kindsOf('spread-8', 'spread-7', 'spread-6')).toEqual([]);
    await ingest([-4, -3, -2].map((m) => event(`spread${m}`, people.felix.email, 'pacs', at(m * MINUTE), { outcome: 'failure' })));
    await ingest([event('spread-0', people.felix.email.toUpperCase(), 'pacs', at(0), { outcome: 'failure' })]);
    // Two workers at once: each batch is taken by one of them (SKIP LOCKED).
    const second = await ctx.createWorker();
    try {
      await Promise.all([correlate(), second.get(JobRegistry).dispatch(JobName.JournalCorrelate, {}, { attempt: 1 })]);
    } finally {
      await second.close();
    }
    const bursts = await ctx.query<{ event: string }>(
      `SELECT e.event_id AS event FROM anomalies a JOIN connection_events e ON e.id = a.event_id WHERE a.kind = 'failed_login_burst' AND e.event_id LIKE 'spread%'`,
    );
    expect(bursts).toEqual([{ event: 'spread-3' }]);
    expect(await ctx.query(`SELECT 1 FROM journal_correlation_queue`)).toHaveLength(0);
    // One more alert e-mail (the batch that completed the burst), none for the others.
    expect(await anomalyMails()).toBe(before.anomalyMails + 1);
  });

  it('R-ART41 GET /v1/anomalies filters by kind and period and pages; a contractor person gets 403, another tenant sees nothing', async () => {
    // Fresh sign-ins: the clock moved on since the tokens of the set-up were issued.
    rssi = await ctx.signIn(rssi.email);
    auditor = await ctx.signIn(auditor.email);
    w.dsi = await ctx.signIn(w.dsi.email);
    w.securityContact = await ctx.signIn(w.securityContact.email, 'Contractor-Pass-42!');
    const intervenant = await ctx.signIn(people.felix.email, 'Intervenant-Pass-42!');
    const list = (query: string, auth = rssi.auth) => ctx.http.get(`/v1/anomalies${query}`).set(auth);
    const outside = await list('?kind=outside_window').expect(200);
    expect(outside.body.items.length).toBeGreaterThanOrEqual(3);
    expect(outside.body.items.every((a: { kind: string }) => a.kind === 'outside_window')).toBe(true);
    expect(outside.body.items[0]).toMatchObject({ detail: expect.stringMatching(/^Connexion hors fenêtre approuvée/), accountRef: expect.any(String), gatewayEventId: expect.any(String) });

    const everything = (await list('?limit=200').set(auditor.auth).expect(200)).body.items as { id: string; startedAt: string; kind: string }[];
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`).set(w.dsi.auth).expect(200);
      paged.push(...page.body.items.map((a) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(everything.map((a) => a.id));
    const instants = everything.map((a) => Date.parse(a.startedAt));
    expect([...instants].sort((a, b) => b - a)).toEqual(instants);

    // The period is about when the connection happened: the spread burst is the latest; the first hour holds the rest.
    const latest = everything[0].startedAt;
    const recent = await list(`?from=${encodeURIComponent(latest)}`).expect(200);
    expect(recent.body.items.map((a: { kind: string }) => a.kind)).toEqual(['failed_login_burst']);
    const earlier = await list(`?to=${encodeURIComponent(latest)}&kind=failed_login_burst`).expect(200);
    expect(earlier.body.items).toHaveLength(1);
    expect(earlier.body.items[0].detail).toContain('Bruno Petit');

    expect((await list('?kind=everything').expect(400)).body.errors[0].field).toBe('kind');
    await list(`?from=${encodeURIComponent(latest)}&to=${encodeURIComponent(latest)}`).expect(400);
    await list('?cursor=bm90LWEtY3Vyc29y').expect(400);
    await list('', w.securityContact.auth).expect(403);
    await list('', intervenant.auth).expect(403);
    await ctx.http.get('/v1/anomalies').expect(401);
    const other = await ctx.tenantWithDsi();
    expect((await list('', other.dsi.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });
  });

  it('R-ART41 a batch that cannot be correlated stays queued and does not hold up the others', async () => {
    const broken = await ctx.tenantWithDsi();
    const brokenKey = (await ctx.http.post('/v1/api-keys').set(broken.dsi.auth).send({ name: 'vpn', scopes: ['connections'] }).expect(201)).body.key;
    await ctx.query(`UPDATE tenants SET policy = jsonb_set(policy, '{businessHours,timezone}', '"Mars/Olympus_Mons"') WHERE id = $1`, [broken.tenantId]);
    await ctx.http.post('/v1/connection-events').set('X-Api-Key', brokenKey).send([event('b-1', 'personne@ailleurs.test', 'srv', at(0))]).expect(200);
    await ingest([event('after-broken', 'intrus2@ailleurs.test', 'pacs', at(0))]);

    await expect(correlate()).rejects.toThrow('Correlation failed for 1 batch(es)');
    expect(await kindsOf('after-broken')).toEqual(['after-broken:unknown_account']);
    expect(await ctx.query(`SELECT 1 FROM journal_correlation_queue WHERE tenant_id = $1`, [broken.tenantId])).toHaveLength(1);

    await ctx.query(`UPDATE tenants SET policy = jsonb_set(policy, '{businessHours,timezone}', '"Europe/Paris"') WHERE id = $1`, [broken.tenantId]);
    await correlate();
    expect(await ctx.query(`SELECT 1 FROM journal_correlation_queue`)).toHaveLength(0);
    expect(await ctx.query(`SELECT 1 FROM anomalies WHERE tenant_id = $1 AND kind = 'unknown_account'`, [broken.tenantId])).toHaveLength(1);
  });
});
