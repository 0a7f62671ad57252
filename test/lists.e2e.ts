import { randomUUID } from 'node:crypto';
import { nextSiret, pdf, SmtpReceiver, TestContext, World } from '@app/testing';
import { Auth, expectOrdered, expectProblem, Item, walker } from './support/pages';
import { describeApi } from './support/describe-api';

/**
 * docs/api.md "Lists": each list is seeded past the page size, many rows at one instant (the id tie-breaker keeps the
 * order total), walked page by page and compared with the same list read in one page.
 */
describeApi('Lists (docs/api.md): keyset pages {items, nextCursor} on every list that grows', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    w = await World.build(ctx, smtp, 'lists');
  });

  const walk = <T extends Item>(path: string, auth: Auth, limit: number, query: Record<string, string> = {}) => walker(ctx)<T>(path, auth, limit, query);

  const requestAccount = async (firstName: string, lastName: string) => (await ctx.http.post(`/v1/contractors/${w.contractorId}/accounts`)
    .set(w.securityContact.auth)
    .send({ firstName, lastName, email: `${firstName}.${lastName}.${randomUUID().slice(0, 6)}@lists.test`.toLowerCase(), phone: '+33 6 00 00 00 00' })
    .expect(201)).body as Item;

  it('R-ART28 a company\'s accounts: each once, by name then id (namesakes too), filtered by status; the tenant-wide list by company and status, a contractor\'s people reading their own', async () => {
    const made: Item[] = [];
    for (const [first, last] of [['Paul', 'Martin'], ['Paul', 'Martin'], ['Anne', 'Durand'], ['Zoe', 'Bernard'], ['Luc', 'Martin'], ['Eva', 'Petit'], ['Paul', 'Martin']]) {
      made.push(await requestAccount(first, last));
    }
    await ctx.http.post(`/v1/accounts/${made[2].id}/approve`).set(w.dsi.auth).expect(200);
    await ctx.http.post(`/v1/accounts/${made[5].id}/approve`).set(w.dsi.auth).expect(200);

    const path = `/v1/contractors/${w.contractorId}/accounts`;
    const all = await walk(path, w.securityContact.auth, 2);
    expect(all.map((a) => a.id)).toEqual(expect.arrayContaining(made.map((a) => a.id)));
    expectOrdered(all, (a) => [a.lastName as string, a.firstName as string], 'asc');
    expect(all.filter((a) => a.lastName === 'Martin' && a.firstName === 'Paul')).toHaveLength(3);

    const approved = await walk(path, w.dsi.auth, 1, { status: 'approved' });
    expect(approved.map((a) => a.id).sort()).toEqual([made[2].id, made[5].id].sort());
    expect(approved.every((a) => a.status === 'approved')).toBe(true);

    // The hospital's view across companies: the same accounts, by company and status.
    const other = await ctx.http.post('/v1/contractors').set(w.dsi.auth)
      .send({ legalName: 'Autre SAS', siret: nextSiret(), address: 'Le Mans' }).expect(201);
    const tenantWide = await walk('/v1/accounts', w.dsi.auth, 3);
    expect(tenantWide.map((a) => a.id)).toEqual(all.map((a) => a.id));
    expect((await walk('/v1/accounts', w.dsi.auth, 3, { contractorId: w.contractorId, status: 'requested' })).map((a) => a.id).sort())
      .toEqual(all.filter((a) => a.status === 'requested').map((a) => a.id).sort());
    expect((await ctx.http.get('/v1/accounts').query({ contractorId: other.body.id }).set(w.dsi.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });
    // Contractor people list their own company's accounts, not the tenant's (test/approvals-queue.e2e.ts has more).
    expect((await walk('/v1/accounts', w.securityContact.auth, 3)).map((a) => a.id)).toEqual(all.map((a) => a.id));
    expectProblem(await ctx.http.get('/v1/accounts').query({ status: 'sleeping' }).set(w.dsi.auth), 400, 'status');
    expectProblem(await ctx.http.get('/v1/accounts').query({ contractorId: 'medisoft' }).set(w.dsi.auth), 400, 'contractorId');
  });

  it('R-ART31 the resource catalogue by name and one account\'s habilitations in the order requested, with their filters', async () => {
    const kinds = ['server', 'application', 'server', 'medical_device', 'server'];
    for (const [i, kind] of kinds.entries()) {
      await ctx.http.post('/v1/resources').set(w.dsi.auth).send({ name: `Ressource ${String.fromCharCode(69 - i)}`, kind, criticality: i % 2 ? 'high' : 'low' }).expect(201);
    }
    const resources = await walk('/v1/resources', w.securityContact.auth, 2);
    expect(resources.map((r) => r.name)).toEqual(['Ressource A', 'Ressource B', 'Ressource C', 'Ressource D', 'Ressource E']);
    expectOrdered(resources, (r) => [r.name as string], 'asc');
    const servers = await walk('/v1/resources', w.dsi.auth, 2, { kind: 'server' });
    expect(servers.map((r) => r.name)).toEqual(['Ressource A', 'Ressource C', 'Ressource E']);
    expect((await walk('/v1/resources', w.dsi.auth, 1, { criticality: 'high' })).map((r) => r.name)).toEqual(['Ressource B', 'Ressource D']);
    expect((await ctx.http.get('/v1/resources').query({ kind: 'server', criticality: 'high' }).set(w.dsi.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });

    const account = await requestAccount('Hab', 'Itation');
    const requested: string[] = [];
    for (const r of resources.slice(0, 5)) {
      requested.push((await ctx.http.post(`/v1/accounts/${account.id}/habilitations`).set(w.securityContact.auth)
        .send({ resourceId: r.id, accessType: 'remote', level: 'read' }).expect(201)).body.id);
      if (requested.length === 3) ctx.clock.advance(1000);
    }
    const habilitations = await walk(`/v1/accounts/${account.id}/habilitations`, w.securityContact.auth, 2);
    expect(habilitations.map((h) => h.id).sort()).toEqual([...requested].sort());
    expectOrdered(habilitations, (h) => [h.requestedAt as string], 'asc');
    // The three requested at the same instant come before the two requested a second later.
    expect(habilitations.slice(0, 3).map((h) => h.id).sort()).toEqual(requested.slice(0, 3).sort());

    await ctx.http.post(`/v1/habilitations/${requested[1]}/approve`).set(w.dsi.auth).expect(200);
    expect((await walk(`/v1/accounts/${account.id}/habilitations`, w.dsi.auth, 1, { status: 'approved' })).map((h) => h.id)).toEqual([requested[1]]);
  });

  it('R-ART35 a company\'s departures, newest declaration first', async () => {
    const people = [await requestAccount('Dep', 'Un'), await requestAccount('Dep', 'Deux'), await requestAccount('Dep', 'Trois')];
    const later = new Date(ctx.clock.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    for (const [i, p] of people.entries()) {
      await ctx.http.post(`/v1/contractors/${w.contractorId}/departures`).set(w.securityContact.auth)
        .send({ firstName: p.firstName, lastName: p.lastName, accountId: p.id, effectiveOn: later }).expect(201);
      if (i === 0) ctx.clock.advance(1000);
    }
    const departures = await walk(`/v1/contractors/${w.contractorId}/departures`, w.dsi.auth, 1);
    expect(departures.map((d) => d.accountId)).toEqual(expect.arrayContaining(people.map((p) => p.id)));
    expectOrdered(departures, (d) => [d.declaredAt as string], 'desc');
    expect(departures[departures.length - 1].accountId).toBe(people[0].id);
  });

  it('R-ART5 incidents, newest first, by kind, company and account', async () => {
    const account = await requestAccount('Inci', 'Dent');
    const kinds = ['threat', 'vulnerability', 'threat', 'other', 'threat'];
    for (const kind of kinds) {
      await ctx.http.post('/v1/incidents').set(w.securityContact.auth).send({ kind, description: `Signalement ${kind}`, ...(kind === 'other' ? { accountId: account.id } : {}) }).expect(201);
    }
    await ctx.http.post('/v1/incidents').set(w.dsi.auth).send({ kind: 'threat', description: 'Hameçonnage ciblant le CH' }).expect(201);

    const all = await walk('/v1/incidents', w.dsi.auth, 2);
    expect(all).toHaveLength(6);
    expectOrdered(all, (i) => [i.reportedAt as string], 'desc');
    expect((await walk('/v1/incidents', w.dsi.auth, 2, { kind: 'threat' })).map((i) => i.kind)).toEqual(['threat', 'threat', 'threat', 'threat']);
    expect(await walk('/v1/incidents', w.dsi.auth, 2, { contractorId: w.contractorId })).toHaveLength(5);
    expect((await walk('/v1/incidents', w.dsi.auth, 2, { accountId: account.id })).map((i) => i.kind)).toEqual(['other']);
    // The contractor sees its own company's reports only.
    expect(await walk('/v1/incidents', w.securityContact.auth, 4)).toHaveLength(5);
  });

  it('R-ART16-27 the derogations register, latest start first, by kind, company and whether in force now', async () => {
    const at = (hours: number) => new Date(ctx.clock.now().getTime() + hours * 3_600_000).toISOString();
    const grant = (kind: string, from: number, until: number, contractorId?: string) => ctx.http.post('/v1/derogations').set(w.dsi.auth)
      .send({ kind, scope: `Périmètre ${kind}`, justification: 'Besoin exceptionnel', validFrom: at(from), validUntil: at(until), ...(contractorId ? { contractorId } : {}) })
      .expect(201).then((r) => r.body as Item);
    const made = [
      await grant('equipment', -1, 48, w.contractorId), await grant('equipment', -1, 48), await grant('log_deletion', -1, 48),
      await grant('remote_control_tool', 24, 48, w.contractorId), await grant('equipment', -72, -24, w.contractorId),
    ];
    const all = await walk('/v1/derogations', w.dsi.auth, 2);
    expect(all.map((d) => d.id).sort()).toEqual(made.map((d) => d.id).sort());
    expectOrdered(all, (d) => [d.validFrom as string], 'desc');
    expect(all[0].id).toBe(made[3].id);
    expect(all[all.length - 1].id).toBe(made[4].id);
    expect((await walk('/v1/derogations', w.dsi.auth, 1, { kind: 'equipment' })).map((d) => d.id).sort()).toEqual([made[0].id, made[1].id, made[4].id].sort());
    expect((await walk('/v1/derogations', w.dsi.auth, 2, { inForce: 'true' })).map((d) => d.id).sort()).toEqual([made[0].id, made[1].id, made[2].id].sort());
    expect((await walk('/v1/derogations', w.dsi.auth, 1, { inForce: 'false' })).map((d) => d.id).sort()).toEqual([made[3].id, made[4].id].sort());
    expect((await walk('/v1/derogations', w.dsi.auth, 1, { contractorId: w.contractorId, inForce: 'true' })).map((d) => d.id)).toEqual([made[0].id]);
    // The contractor reads what concerns its company only.
    expect((await walk('/v1/derogations', w.securityContact.auth, 2)).map((d) => d.id).sort()).toEqual([made[0].id, made[3].id, made[4].id].sort());
    expectProblem(await ctx.http.get('/v1/derogations').query({ inForce: 'yes' }).set(w.dsi.auth), 400, 'inForce');
  });

  it('R-ART36 intervention windows, latest first, by company, account, status and period; staff see only their own', async () => {
    const pacs = await w.resource('PACS Listes', 'pacs-lists');
    const anna = await w.activeAccount('Anna', 'Window');
    const bruno = await w.activeAccount('Bruno', 'Window');
    for (const a of [anna, bruno]) await w.habilitate(a.id, pacs);
    const now = ctx.clock.now().getTime();
    const hour = 3_600_000;
    const ask = (accountIds: string[], startsIn: number) => ctx.http.post('/v1/interventions').set(w.securityContact.auth).send({
      contractorId: w.contractorId, accountIds, resourceIds: [pacs], startsAt: new Date(now + startsIn * hour), endsAt: new Date(now + (startsIn + 2) * hour),
      nature: 'Mise à jour', risks: 'Redémarrage', availabilityImpact: '10 minutes', changesSettings: false, changesData: false,
    }).expect(201).then((r) => r.body as Item);
    const windows = [
      await ask([anna.id], 24), await ask([bruno.id], 24), await ask([anna.id, bruno.id], 24), await ask([anna.id], 48), await ask([bruno.id], 72),
    ];
    await ctx.http.post(`/v1/interventions/${windows[0].id}/approve`).set(w.dsi.auth).send({ overrideUsage: true }).expect(200);
    await ctx.http.post(`/v1/interventions/${windows[4].id}/approve`).set(w.dsi.auth).send({ overrideUsage: true }).expect(200);

    const all = await walk('/v1/interventions', w.dsi.auth, 2);
    expect(all.map((i) => i.id)).toEqual(expect.arrayContaining(windows.map((i) => i.id)));
    expectOrdered(all, (i) => [i.startsAt as string], 'desc');
    const ours = await walk('/v1/interventions', w.dsi.auth, 2, { contractorId: w.contractorId });
    expect(ours.map((i) => i.id)).toEqual(all.filter((i) => i.contractorId === w.contractorId).map((i) => i.id));
    expect((await walk('/v1/interventions', w.dsi.auth, 1, { status: 'approved' })).map((i) => i.id)).toEqual([windows[4].id, windows[0].id]);
    expect((await walk('/v1/interventions', w.dsi.auth, 1, { accountId: bruno.id })).map((i) => i.id).sort())
      .toEqual([windows[1].id, windows[2].id, windows[4].id].sort());
    // The period: windows overlapping [from, to).
    const period = { from: new Date(now + 30 * hour).toISOString(), to: new Date(now + 60 * hour).toISOString() };
    expect((await walk('/v1/interventions', w.dsi.auth, 1, period)).map((i) => i.id)).toEqual([windows[3].id]);
    expectProblem(await ctx.http.get('/v1/interventions').query({ from: period.to, to: period.from }).set(w.dsi.auth), 400, 'to');
    expectProblem(await ctx.http.get('/v1/interventions').query({ status: 'done' }).set(w.dsi.auth), 400, 'status');
    // A staff member sees the windows naming their own account, paged the same way.
    const annaSees = await walk('/v1/interventions', anna.holder.auth, 1);
    expect(annaSees.map((i) => i.id).sort()).toEqual([windows[0].id, windows[2].id, windows[3].id].sort());
  });

  it('R-ART2 the documents, latest effective first, by kind; a company\'s signatures, newest first, by status, document and account', async () => {
    const day = (n: number) => new Date(ctx.clock.now().getTime() + n * 86_400_000).toISOString().slice(0, 10);
    for (const [kind, versionLabel, effectiveOn] of [['charter', 'v2.1', day(10)], ['charter', 'v2.2', day(20)], ['rgpd_clauses', 'r1', day(0)], ['charter', 'v2.1-bis', day(10)]]) {
      await w.upload(w.dsi.auth, '/v1/documents', { kind, versionLabel, effectiveOn }, pdf(`lists-${versionLabel}`)).expect(201);
    }
    const documents = await walk('/v1/documents', w.securityContact.auth, 2);
    expect(documents.length).toBeGreaterThanOrEqual(6);
    expectOrdered(documents, (d) => [d.effectiveOn as string, d.createdAt as string], 'desc');
    const charters = await walk('/v1/documents', w.dsi.auth, 1, { kind: 'charter' });
    expect(charters.map((d) => d.versionLabel)).toEqual(['v2.2', 'v2.1-bis', 'v2.1', 'v2.0']);

    const charter = charters[charters.length - 1];
    const signatures = [];
    const { firstName, lastName } = w.contacts.legalRepresentative;
    // One waits for the DSI at a time: each copy is decided before the next one is sent.
    for (const [copy, decision] of [['Un', 'validate'], ['Deux', 'reject'], ['Trois', 'validate']]) {
      const signature = (await w.upload(w.securityContact.auth, `/v1/contractors/${w.contractorId}/signatures`, {
        documentId: charter.id, signerFirstName: firstName, signerLastName: lastName, signerFunction: 'Présidente', signedOn: day(0), allPagesInitialled: 'true',
      }, pdf(`lists-signed-${copy}`)).expect(201)).body as Item;
      // R-ART2 a DSI validates a signed copy once they have read it.
      if (decision === 'validate') await ctx.http.get(`/v1/signatures/${signature.id}/file`).set(w.dsi.auth).expect(200);
      await ctx.http.post(`/v1/signatures/${signature.id}/${decision}`).set(w.dsi.auth).send(decision === 'reject' ? { reason: 'Page 2 non paraphée' } : {}).expect(200);
      signatures.push(signature);
    }
    const path = `/v1/contractors/${w.contractorId}/signatures`;
    const all = await walk(path, w.dsi.auth, 2);
    expect(all.map((x) => x.id)).toEqual(expect.arrayContaining(signatures.map((x) => x.id)));
    expectOrdered(all, (x) => [x.submittedAt as string], 'desc');
    expect((await walk(path, w.dsi.auth, 1, { status: 'rejected' })).map((x) => x.id)).toEqual([signatures[1].id]);
    const ofCharter = await walk(path, w.securityContact.auth, 2, { documentId: charter.id });
    expect(ofCharter.every((x) => x.documentId === charter.id)).toBe(true);
    expect(ofCharter).toHaveLength(4);
    expect((await walk(path, w.dsi.auth, 2, { documentId: w.conventionId })).every((x) => x.accountId !== null)).toBe(true);
  });

  it('R-ART6 R-ART10 a company\'s history in the order recorded, and its prestations by start date', async () => {
    const company = (await ctx.http.post('/v1/contractors').set(w.dsi.auth)
      .send({ legalName: 'Historique SAS', siret: nextSiret(), address: '1 rue A, Le Mans' }).expect(201)).body as Item;
    const today = ctx.clock.now().toISOString().slice(0, 10);
    for (const street of ['2 rue B', '3 rue C', '4 rue D']) {
      await ctx.http.post(`/v1/contractors/${company.id}/changes`).set(w.dsi.auth).send({ changes: { address: `${street}, Le Mans` }, effectiveDate: today }).expect(201);
    }
    const history = await walk(`/v1/contractors/${company.id}/history`, w.dsi.auth, 2);
    expect(history.map((h) => h.kind)).toEqual(['created', 'administrative', 'administrative', 'administrative']);
    expect(history.slice(1).map((h) => (h.changes as { address: string }).address)).toEqual(['2 rue B, Le Mans', '3 rue C, Le Mans', '4 rue D, Le Mans']);

    const day = (n: number) => new Date(ctx.clock.now().getTime() + n * 86_400_000).toISOString().slice(0, 10);
    for (const [title, startsOn] of [['P3', day(30)], ['P1', day(1)], ['P2a', day(10)], ['P2b', day(10)], ['P2c', day(10)]]) {
      await ctx.http.post(`/v1/contractors/${company.id}/prestations`).set(w.dsi.auth)
        .send({ title, accessMode: 'onsite', rgpdSubcontractor: false, startsOn }).expect(201);
    }
    const prestations = await walk(`/v1/contractors/${company.id}/prestations`, w.dsi.auth, 2);
    expect(prestations.map((x) => x.startsOn)).toEqual([day(1), day(10), day(10), day(10), day(30)]);
    expect(prestations.map((x) => x.title).sort()).toEqual(['P1', 'P2a', 'P2b', 'P2c', 'P3']);
  });

  it('R-ART28 the gateway API keys, oldest first', async () => {
    const made: string[] = [];
    for (const name of ['bastion A', 'vpn B', 'bastion C']) {
      made.push((await ctx.http.post('/v1/api-keys').set(w.dsi.auth).send({ name, scopes: ['decisions'] }).expect(201)).body.id);
    }
    const keys = await walk('/v1/api-keys', w.dsi.auth, 2);
    expect(keys.map((k) => k.id)).toEqual(expect.arrayContaining(made));
    expectOrdered(keys, (k) => [k.createdAt as string], 'asc');
    expect(keys.every((k) => !('key' in k))).toBe(true);
  });

  it('R-ART34 review campaigns, latest opened first (opened at the same instant: by id), by company and status', async () => {
    const companies = [];
    for (const label of ['A', 'B', 'C']) {
      companies.push((await ctx.http.post('/v1/contractors').set(w.dsi.auth).send({ legalName: `Revue ${label}`, siret: nextSiret(), address: 'Le Mans' }).expect(201)).body as Item);
    }
    const opened = [];
    for (const c of companies) opened.push((await ctx.http.post('/v1/reviews').set(w.dsi.auth).send({ contractorId: c.id }).expect(201)).body as Item);
    const campaigns = await walk('/v1/reviews', w.dsi.auth, 2);
    expect(campaigns.map((c) => c.id)).toEqual(expect.arrayContaining(opened.map((c) => c.id)));
    expectOrdered(campaigns, (c) => [c.openedAt as string], 'desc');
    expect(campaigns.every((c) => !('items' in c))).toBe(true);
    expect((await walk('/v1/reviews', w.dsi.auth, 1, { contractorId: companies[1].id })).map((c) => c.id)).toEqual([opened[1].id]);
    expect((await walk('/v1/reviews', w.dsi.auth, 1, { status: 'open' })).map((c) => c.id)).toEqual(campaigns.map((c) => c.id));
    expect(await walk('/v1/reviews', w.dsi.auth, 1, { status: 'certified' })).toEqual([]);
    expectProblem(await ctx.http.get('/v1/reviews').query({ status: 'closed' }).set(w.dsi.auth), 400, 'status');
  });

  /**
   * Every paged list route ({id}: the World's company), read by the DSI. One test
   * each: about ten requests per route, where one test for all of them made over two hundred in a row,
   * more than its time allows on a loaded machine.
   */
  const PAGED_ROUTES = [
    '/v1/contractors/{id}/accounts',
    '/v1/accounts',
    '/v1/accounts?order=oldest',
    '/v1/habilitations',
    '/v1/signatures',
    '/v1/resources',
    '/v1/contractors/{id}/departures',
    '/v1/incidents',
    '/v1/derogations',
    '/v1/interventions',
    '/v1/documents',
    '/v1/contractors/{id}/signatures',
    '/v1/contractors/{id}/history',
    '/v1/contractors/{id}/prestations',
    '/v1/api-keys',
    '/v1/reviews',
    // The lists that paged before; their cursors are checked the same way.
    '/v1/contractors',
    '/v1/users',
    '/v1/webhooks',
    '/v1/audit-events',
    '/v1/anomalies',
  ];

  it.each(PAGED_ROUTES)('Lists (docs/api.md) %s: a limit out of 1..200 or a cursor this list did not give is a 400 problem', async (route) => {
    const path = route.replace('{id}', w.contractorId);
    const auth = w.dsi.auth;
    const foreign = Buffer.from(JSON.stringify({ at: '2026-01-01T00:00:00.000Z', position: 12 })).toString('base64url');
    const wrongTypes = (fields: string[]) => Buffer.from(JSON.stringify(Object.fromEntries(fields.map((f) => [f, 'yesterday'])))).toString('base64url');
    for (const limit of ['0', '201', 'ten', '-1', '1.5']) expectProblem(await ctx.http.get(path).query({ limit }).set(auth), 400, 'limit');
    for (const cursor of ['garbage', foreign, wrongTypes(['id', 'seq', 'at', 'legalName', 'lastName', 'firstName', 'name', 'requestedAt', 'declaredAt', 'reportedAt', 'validFrom', 'startsAt', 'effectiveOn', 'createdAt', 'submittedAt', 'startsOn', 'openedAt']), Buffer.from('[1]').toString('base64url')]) {
      expectProblem(await ctx.http.get(path).query({ cursor }).set(auth), 400, 'cursor');
    }
    const first = await ctx.http.get(path).query({ limit: 1 }).set(auth).expect(200);
    expect(first.body.items.length).toBeLessThanOrEqual(1);
  });

  it('Lists (docs/api.md) a cursor with the right fields but values PostgreSQL would choke on is a 400 problem too, never a 500', async () => {
    const cursor = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const id = randomUUID();
    for (const [path, key] of [
      ['/v1/contractors', { legalName: 'Medisoft', id: 'not-a-uuid' }], ['/v1/contractors', { legalName: 'Medi\u0000soft', id }],
      ['/v1/anomalies', { at: '2026', id }], ['/v1/webhooks', { createdAt: 'March 7, 2026', id }],
      ['/v1/documents', { effectiveOn: '2026-02-30', createdAt: '2026-01-01T00:00:00.000Z', id }], ['/v1/incidents', { reportedAt: 12, id }],
    ] as [string, object][]) {
      expectProblem(await ctx.http.get(path).query({ cursor: cursor(key) }).set(w.dsi.auth), 400, 'cursor');
    }
  });

  it('Lists (docs/api.md) the OpenAPI document gives every paged list ?limit=&cursor= and the {items, nextCursor} shape; the arrays left are the bounded ones', async () => {
    const doc = (await ctx.http.get('/docs-json').expect(200)).body;
    const paged = [
      '/v1/contractors/{id}/accounts', '/v1/accounts', '/v1/resources', '/v1/accounts/{id}/habilitations', '/v1/habilitations', '/v1/signatures',
      '/v1/contractors/{id}/departures',
      '/v1/incidents', '/v1/derogations', '/v1/interventions', '/v1/documents', '/v1/contractors/{id}/signatures', '/v1/contractors/{id}/history',
      '/v1/contractors/{id}/prestations', '/v1/api-keys', '/v1/reviews', '/v1/users', '/v1/contractors', '/v1/webhooks', '/v1/webhooks/{id}/deliveries',
      '/v1/anomalies', '/v1/interventions/{id}/connections', '/v1/audit-events', '/v1/tenants', '/v1/tenants/{id}/dsis',
    ];
    for (const path of paged) {
      const get = doc.paths[path]?.get;
      expect({ path, query: (get?.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name) })
        .toEqual({ path, query: expect.arrayContaining(['limit', 'cursor']) });
      const ref: string = get.responses['200'].content['application/json'].schema.$ref;
      const schema = doc.components.schemas[ref.split('/').pop()!];
      expect({ path, items: schema.properties.items.type, nextCursor: schema.properties.nextCursor })
        .toEqual({ path, items: 'array', nextCursor: expect.objectContaining({ type: 'string', nullable: true }) });
      expect(schema.required).toEqual(expect.arrayContaining(['items', 'nextCursor']));
      expect(schema.properties.items.items.$ref).toEqual(expect.stringMatching(/^#\/components\/schemas\/\w+$/));
    }
    const arrays = Object.entries(doc.paths as Record<string, { get?: { responses: Record<string, { content?: Record<string, { schema?: { type?: string } }> }> } }>)
      .filter(([, item]) => item.get?.responses['200']?.content?.['application/json']?.schema?.type === 'array')
      .map(([path]) => path);
    // docs/api.md "API conventions": one company's contacts (four roles), its referents (20 at most), one intervention's report versions
    // and the people it names (50 at most), the signed-in person's establishments (one membership each, R-MEMB).
    expect(arrays.sort()).toEqual([
      '/v1/contractors/{id}/contacts', '/v1/contractors/{id}/referents', '/v1/interventions/{id}/intervenants', '/v1/interventions/{id}/reports',
      '/v1/me/memberships',
    ]);
  });
});
