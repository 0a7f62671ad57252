import { JobName, localDate, Role } from '@app/core';
import { bodyOf, eventually, pdf, SignedIn, SmtpReceiver, TestContext, World, validateSignature } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';

/**
 * R-ART36 "may account A reach resource R now?": each test builds its own establishment (World), so a moved clock or a
 * closed gate never leaks into another story, and asserts every reason of the answer.
 */
describeApi('R-ART36 access decisions (POST /v1/access-decisions)', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
  });

  // ---------------------------------------------------------------- helpers

  /** A World that knows its establishment's time zone. */
  type TenantWorld = World & { timezone: string };
  type Decision = { decision: 'allow' | 'deny'; reasons: string[]; interventionId?: string; validUntil?: string; accountId?: string; resourceId?: string };
  interface DecisionBody { account?: unknown; resource?: unknown; at?: unknown; accessType?: unknown; [extra: string]: unknown }

  const ask = (key: string, body: DecisionBody) => ctx.http.post('/v1/access-decisions').set('X-Api-Key', key).send(body);

  async function decide(key: string, body: DecisionBody): Promise<Decision> {
    const res = await ask(key, body);
    expect(res.status).toBe(200);
    return res.body as Decision;
  }

  /** A deny with exactly these reasons, each once (their order is not part of the contract), and no window or deadline given. */
  async function expectDeny(key: string, body: DecisionBody, reasons: string[]): Promise<Decision> {
    const d = await decide(key, body);
    expect({ decision: d.decision, reasons: [...d.reasons].sort() }).toEqual({ decision: 'deny', reasons: [...reasons].sort() });
    expect(d.reasons).toHaveLength(reasons.length);
    expect(d.interventionId).toBeUndefined();
    expect(d.validUntil).toBeUndefined();
    return d;
  }

  async function expectAllow(key: string, body: DecisionBody, interventionId: string, endsAt: Date): Promise<Decision> {
    const d = await decide(key, body);
    expect(d).toMatchObject({ decision: 'allow', reasons: [], interventionId, validUntil: endsAt.toISOString() });
    return d;
  }

  const now = () => ctx.clock.now();
  const later = (ms: number) => new Date(now().getTime() + ms);
  /** The establishment's calendar day (its time zone, not UTC: dates of habilitations and documents are local). */
  const tenantToday = (w: TenantWorld) => localDate(now(), w.timezone);

  /** Moves the clock to the establishment's next calendar day (24 hours are not always a day: DST). */
  function nextTenantDay(w: TenantWorld): void {
    const today = tenantToday(w);
    ctx.clock.advance(DAY);
    while (tenantToday(w) === today) ctx.clock.advance(HOUR);
  }

  /** Signs the DSI in again (after the clock moved past their access token's lifetime). */
  async function freshDsi(w: World): Promise<SignedIn> {
    w.dsi = await ctx.signIn(w.dsi.email);
    return w.dsi;
  }

  interface Scene {
    world: TenantWorld;
    key: string;
    account: { id: string; holder: SignedIn; email: string };
    resourceId: string;
    externalId: string;
    windowId: string;
    startsAt: Date;
    endsAt: Date;
  }

  /**
   * The allow situation every deny test departs from: an active account with an approved remote
   * habilitation on the PACS, and an approved window naming both, running now.
   */
  /** A new version of a document whose re-signature deadline is today: the scene is allowed until the next day, then not. */
  async function deadlinePassed(s: Scene, kind: 'charter' | 'access_convention', versionLabel: string) {
    const today = tenantToday(s.world);
    const version = await s.world.upload(s.world.dsi.auth, '/v1/documents', { kind, versionLabel, effectiveOn: today, resignDeadline: today },
      pdf(`${kind}-${versionLabel}-${s.world.name}`)).expect(201);
    await allowed(s);
    nextTenantDay(s.world);
    return version;
  }

  /** The scene's own request: its account on its resource, inside its window. */
  const allowed = (s: Scene) => expectAllow(s.key, { account: s.account.id, resource: s.resourceId }, s.windowId, s.endsAt);
  const denied = (s: Scene, reasons: string[]) => expectDeny(s.key, { account: s.account.id, resource: s.resourceId }, reasons);

  /** An active account habilitated on a resource, and a gateway key; no window yet. */
  async function habilitated(resource = 'PACS') {
    const world = await buildWorld();
    const key = await world.gatewayKey();
    const account = await world.activeAccount('Jean', 'Dupont');
    const externalId = `pacs-${world.name}`;
    const resourceId = await world.resource(resource, externalId);
    await world.habilitate(account.id, resourceId);
    return { world, key, account, resourceId, externalId };
  }

  /** The same and an approved window open now; nothing decided yet. */
  async function setting(windowMs = 4 * HOUR, resource = 'PACS'): Promise<Scene> {
    const start = await habilitated(resource);
    const startsAt = later(-5 * MINUTE);
    const endsAt = later(windowMs);
    const windowId = await start.world.approvedWindow([start.account.id], [start.resourceId], startsAt, endsAt);
    return { ...start, windowId, startsAt, endsAt };
  }

  async function scene(windowMs = 4 * HOUR): Promise<Scene> {
    const s = await setting(windowMs);
    await allowed(s);
    return s;
  }

  async function buildWorld(): Promise<TenantWorld> {
    const world = await World.build(ctx, smtp) as TenantWorld;
    world.timezone = (await ctx.http.get('/v1/tenant/policy').set(world.dsi.auth).expect(200)).body.businessHours.timezone;
    return world;
  }

  /** Requested by the security contact and approved by the DSI (the person is invited, has not signed in yet). */
  async function approvedAccount(w: TenantWorld, first: string, last: string, extra: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
    const email = `${first}.${last}.${w.name}@contractor.test`.toLowerCase();
    const requested = await ctx.http.post(`/v1/contractors/${w.contractorId}/accounts`).set(w.securityContact.auth)
      .send({ firstName: first, lastName: last, email, phone: '+33 6 00 00 00 00', ...extra }).expect(201);
    await ctx.http.post(`/v1/accounts/${requested.body.id}/approve`).set(w.dsi.auth).expect(200);
    return { id: requested.body.id, email };
  }

  async function signConvention(w: TenantWorld, accountId: string, first: string, last: string, documentId = w.conventionId): Promise<void> {
    const convention = await w.upload(w.securityContact.auth, `/v1/accounts/${accountId}/convention`, {
      documentId, signerFirstName: first, signerLastName: last, signedOn: tenantToday(w), allPagesInitialled: 'true',
    }, pdf(`convention-${accountId}-${documentId}`)).expect(201);
    await validateSignature(ctx, convention.body.id, w.dsi.auth);
  }

  const accountStatus = async (w: World, id: string) => (await ctx.http.get(`/v1/accounts/${id}`).set(w.dsi.auth).expect(200)).body.status;

  const requestWindow = (w: World, accountIds: string[], resourceIds: string[], startsAt: Date, endsAt: Date) =>
    ctx.http.post('/v1/interventions').set(w.securityContact.auth).send({
      contractorId: w.contractorId, accountIds, resourceIds, startsAt, endsAt, nature: 'Mise à jour', risks: 'Redémarrage',
      availabilityImpact: '10 minutes', changesSettings: false, changesData: false,
    }).expect(201);

  // ---------------------------------------------------------------- allow

  it('R-ART36 allow: active account, approved habilitation, approved window → allow until the end of the window; by id, e-mail or externalId; recorded; the first allow starts the intervention and tells the referents and the DSI once', async () => {
    const { world, key, account, externalId, resourceId, endsAt, windowId } = await setting(3 * HOUR, 'PACS Carestream');
    const referent = await ctx.createUser({ tenantId: world.tenantId, roles: [Role.Referent] });
    await ctx.http.put(`/v1/contractors/${world.contractorId}/referents`).set(world.dsi.auth).send({ userIds: [referent.id] }).expect(200);
    expect((await ctx.http.get(`/v1/interventions/${windowId}`).set(world.dsi.auth).expect(200)).body.startedAt).toBeNull();

    const firstAt = now();
    const first = await expectAllow(key, { account: account.id, resource: resourceId }, windowId, endsAt);
    expect(first).toEqual({ decision: 'allow', reasons: [], interventionId: windowId, validUntil: endsAt.toISOString(), accountId: account.id, resourceId });
    // The same person, named as the gateway knows them: e-mail (any case) and the resource's external id.
    await expectAllow(key, { account: account.email.toUpperCase(), resource: externalId }, windowId, endsAt);
    await expectAllow(key, { account: account.email, resource: resourceId, accessType: 'remote' }, windowId, endsAt);
    // The window decides until its very end (exclusive).
    await expectAllow(key, { account: account.id, resource: externalId, at: new Date(endsAt.getTime() - 1).toISOString() }, windowId, endsAt);

    const started = await ctx.http.get(`/v1/interventions/${windowId}`).set(world.dsi.auth).expect(200);
    expect(started.body).toMatchObject({ status: 'approved', startedAt: firstAt.toISOString() });

    // Every decision is kept (buffered writes, flushed every DECISION_FLUSH_MS).
    type Recorded = { account_ref: string; resource_ref: string; account_id: string; resource_id: string; decision: string; reasons: string[]; intervention_id: string; valid_until: Date; api_key_id: string | null };
    const rows = await eventually(
      () => ctx.query<Recorded>(`SELECT * FROM access_decisions WHERE tenant_id = $1 ORDER BY id`, [world.tenantId]),
      (r) => r.length >= 4,
    );
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toMatchObject({ account_id: account.id, resource_id: resourceId, decision: 'allow', reasons: [], intervention_id: windowId });
      expect(new Date(row.valid_until).toISOString()).toBe(endsAt.toISOString());
      expect(row.api_key_id).toEqual(expect.any(String));
    }
    expect(rows.map((r) => [r.account_ref, r.resource_ref])).toEqual([
      [account.id, resourceId], [account.email.toUpperCase(), externalId], [account.email, resourceId], [account.id, externalId],
    ]);

    // "Intervention commencée": once to the designated referent and once to the DSI, whatever the number of allows.
    const [toReferent] = await smtp.waitForSubject(referent.email, 'Intervention commencée');
    const [toDsi] = await smtp.waitForSubject(world.dsi.email, 'Intervention commencée');
    expect(toReferent.subject).toBe(`Intervention commencée : ${world.name} SAS`);
    expect(bodyOf(toDsi.raw)).toContain('Jean Dupont');
    expect(bodyOf(toDsi.raw)).toContain('PACS Carestream');
    await expectAllow(key, { account: account.id, resource: resourceId }, windowId, endsAt);
    await ctx.outboxDelivered(world.tenantId);
    expect(smtp.to(referent.email).filter((m) => m.subject.startsWith('Intervention commencée'))).toHaveLength(1);
    expect(smtp.to(world.dsi.email).filter((m) => m.subject.startsWith('Intervention commencée'))).toHaveLength(1);
    const queued = await ctx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND payload->>'template' = 'intervention-started'`, [world.tenantId],
    );
    expect(queued[0].n).toBe(2);
    expect((await ctx.http.get(`/v1/interventions/${windowId}`).set(world.dsi.auth).expect(200)).body.startedAt).toBe(firstAt.toISOString());
  });

  it('R-ART36 concurrent first allows start the intervention once and send one "Intervention commencée"', async () => {
    const s = await scene();
    // scene() already asked once: a second window, never asked about, is started by a burst of gateways at once.
    const other = await s.world.resource('RIS', `ris-${s.world.name}`);
    await s.world.habilitate(s.account.id, other);
    const endsAt = later(2 * HOUR);
    const windowId = await s.world.approvedWindow([s.account.id], [other], later(-MINUTE), endsAt);
    const answers = await Promise.all(Array.from({ length: 8 }, () => decide(s.key, { account: s.account.id, resource: other })));
    for (const a of answers) expect(a).toMatchObject({ decision: 'allow', interventionId: windowId, validUntil: endsAt.toISOString() });
    await ctx.outboxDelivered(s.world.tenantId);
    const started = await ctx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND payload->>'template' = 'intervention-started' AND payload->'data'->>'resource' = 'RIS'`,
      [s.world.tenantId],
    );
    expect(started[0].n).toBe(1);
  });

  it('R-ART36 an allow about another instant (a gateway checking ahead) does not start the intervention; the first access now does', async () => {
    const s = await scene();
    const { world } = s;
    const ris = await world.resource('RIS', `ris-${world.name}`);
    await world.habilitate(s.account.id, ris);
    const startsAt = later(HOUR);
    const endsAt = later(3 * HOUR);
    const windowId = await world.approvedWindow([s.account.id], [ris], startsAt, endsAt);
    const startedMails = async () => (await ctx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND payload->>'template' = 'intervention-started' AND payload->'data'->>'resource' = 'RIS'`,
      [world.tenantId],
    ))[0].n;

    await expectDeny(s.key, { account: s.account.id, resource: ris }, ['NO_APPROVED_WINDOW']);
    await expectAllow(s.key, { account: s.account.id, resource: ris, at: new Date(startsAt.getTime() + 5 * MINUTE).toISOString() }, windowId, endsAt);
    expect((await ctx.http.get(`/v1/interventions/${windowId}`).set(world.dsi.auth).expect(200)).body.startedAt).toBeNull();
    expect(await startedMails()).toBe(0);

    ctx.clock.set(new Date(startsAt.getTime() + 2 * MINUTE));
    const accessAt = now();
    // The gateway's own clock runs a few seconds late: still an access now.
    await expectAllow(s.key, { account: s.account.email, resource: `ris-${world.name}`, at: new Date(accessAt.getTime() - 5_000).toISOString() }, windowId, endsAt);
    const dsi = await freshDsi(world);
    expect((await ctx.http.get(`/v1/interventions/${windowId}`).set(dsi.auth).expect(200)).body.startedAt).toBe(accessAt.toISOString());
    expect(await startedMails()).toBe(1);
  });

  it('R-ART36 one minute after the end of the window → deny NO_APPROVED_WINDOW; before its start too', async () => {
    const s = await scene();
    const body = { account: s.account.id, resource: s.resourceId };
    await expectDeny(s.key, { ...body, at: new Date(s.endsAt.getTime() + MINUTE).toISOString() }, ['NO_APPROVED_WINDOW']);
    await expectDeny(s.key, { ...body, at: s.endsAt.toISOString() }, ['NO_APPROVED_WINDOW']);
    await expectDeny(s.key, { ...body, at: new Date(s.startsAt.getTime() - MINUTE).toISOString() }, ['NO_APPROVED_WINDOW']);
    await expectAllow(s.key, { ...body, at: s.startsAt.toISOString() }, s.windowId, s.endsAt);
    // And on the clock itself: once the end has passed, the default "now" is denied.
    ctx.clock.set(new Date(s.endsAt.getTime() + MINUTE));
    await expectDeny(s.key, body, ['NO_APPROVED_WINDOW']);
  });

  // ---------------------------------------------------------------- deny reasons, one situation each

  it('R-ART36 UNKNOWN_ACCOUNT: an e-mail or an id nobody holds here (with an unknown resource: both)', async () => {
    const s = await scene();
    const d = await expectDeny(s.key, { account: 'nobody@contractor.test', resource: s.resourceId }, ['UNKNOWN_ACCOUNT', 'NO_APPROVED_WINDOW']);
    expect(d.resourceId).toBe(s.resourceId);
    expect(d.accountId).toBeUndefined();
    await expectDeny(s.key, { account: '6f1c1d0e-3b1a-4c7e-9a57-1f0c2b9d8e7a', resource: s.externalId }, ['UNKNOWN_ACCOUNT', 'NO_APPROVED_WINDOW']);
    await expectDeny(s.key, { account: 'nobody@contractor.test', resource: 'no-such-resource' }, ['UNKNOWN_ACCOUNT', 'UNKNOWN_RESOURCE', 'NO_APPROVED_WINDOW']);
    const rows = await eventually(
      () => ctx.query<{ account_ref: string; account_id: string | null; reasons: string[] }>(
        `SELECT account_ref, account_id, reasons FROM access_decisions WHERE tenant_id = $1 AND decision = 'deny' ORDER BY id`, [s.world.tenantId]),
      (r) => r.length >= 3,
    );
    expect(rows.map((r) => [r.account_ref, r.account_id, [...r.reasons].sort()])).toEqual([
      ['nobody@contractor.test', null, ['NO_APPROVED_WINDOW', 'UNKNOWN_ACCOUNT']],
      ['6f1c1d0e-3b1a-4c7e-9a57-1f0c2b9d8e7a', null, ['NO_APPROVED_WINDOW', 'UNKNOWN_ACCOUNT']],
      ['nobody@contractor.test', null, ['NO_APPROVED_WINDOW', 'UNKNOWN_ACCOUNT', 'UNKNOWN_RESOURCE']],
    ]);
  });

  it('R-ART36 UNKNOWN_RESOURCE: an external id or an id that is not in the catalogue', async () => {
    const s = await scene();
    const d = await expectDeny(s.key, { account: s.account.id, resource: 'pacs-unknown' }, ['UNKNOWN_RESOURCE', 'NO_APPROVED_WINDOW']);
    expect(d.accountId).toBe(s.account.id);
    await expectDeny(s.key, { account: s.account.email, resource: '0b5e3c4a-8d2f-4f6e-b1a7-9c3d2e1f0a4b' }, ['UNKNOWN_RESOURCE', 'NO_APPROVED_WINDOW']);
    // An external id is matched exactly: the gateway's identifier, not a near miss.
    await expectDeny(s.key, { account: s.account.id, resource: s.externalId.toUpperCase() }, ['UNKNOWN_RESOURCE', 'NO_APPROVED_WINDOW']);
  });

  it('R-ART36 a resource whose external id is itself a UUID (a CMDB identifier) is found by it, as by its own id', async () => {
    const s = await scene();
    const cmdbId = '3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b';
    const scanner = await s.world.resource('Scanner', cmdbId);
    expect(scanner).not.toBe(cmdbId);
    await s.world.habilitate(s.account.id, scanner);
    const endsAt = later(HOUR);
    const windowId = await s.world.approvedWindow([s.account.id], [scanner], later(-MINUTE), endsAt);
    const byExternal = await expectAllow(s.key, { account: s.account.id, resource: cmdbId }, windowId, endsAt);
    expect(byExternal.resourceId).toBe(scanner);
    await expectAllow(s.key, { account: s.account.id, resource: scanner }, windowId, endsAt);
    await expectAllow(s.key, { account: s.account.id, resource: scanner.toUpperCase() }, windowId, endsAt);
  });

  it('R-ART31 OUT_OF_SCOPE: a resource the account holds no approved habilitation on (none, only requested, or revoked)', async () => {
    const s = await scene();
    const { world } = s;
    const ris = await world.resource('RIS', `ris-${world.name}`);
    await expectDeny(s.key, { account: s.account.id, resource: ris }, ['OUT_OF_SCOPE', 'NO_APPROVED_WINDOW']);
    // Requested by the contractor, not approved by the DSI: still outside the declared scope.
    const requested = await ctx.http.post(`/v1/accounts/${s.account.id}/habilitations`).set(world.securityContact.auth)
      .send({ resourceId: ris, accessType: 'remote', level: 'read' }).expect(201);
    await expectDeny(s.key, { account: s.account.id, resource: ris }, ['OUT_OF_SCOPE', 'NO_APPROVED_WINDOW']);
    await ctx.http.post(`/v1/habilitations/${requested.body.id}/reject`).set(world.dsi.auth).send({ reason: 'Pas nécessaire' }).expect(200);
    await expectDeny(s.key, { account: s.account.id, resource: ris }, ['OUT_OF_SCOPE', 'NO_APPROVED_WINDOW']);

    // Revoked after the window was approved: the window stays, the scope is gone.
    const [habilitation] = (await ctx.http.get(`/v1/accounts/${s.account.id}/habilitations`).set(world.dsi.auth).expect(200)).body.items
      .filter((h: { resourceId: string; status: string }) => h.resourceId === s.resourceId && h.status === 'approved');
    await ctx.http.post(`/v1/habilitations/${habilitation.id}/revoke`).set(world.dsi.auth).send({ reason: 'Fin du besoin' }).expect(200);
    await denied(s, ['OUT_OF_SCOPE']);
  });

  it('R-ART31 OUT_OF_SCOPE: a habilitation past its end date stops counting on its own', async () => {
    const world = await buildWorld();
    const key = await world.gatewayKey();
    const account = await world.activeAccount('Jean', 'Dupont');
    const resourceId = await world.resource('PACS', `pacs-${world.name}`);
    await world.habilitate(account.id, resourceId, 'remote', tenantToday(world));
    const endsAt = later(2 * DAY);
    const windowId = await world.approvedWindow([account.id], [resourceId], later(-MINUTE), endsAt);
    await expectAllow(key, { account: account.id, resource: resourceId }, windowId, endsAt);
    nextTenantDay(world);
    await expectDeny(key, { account: account.id, resource: resourceId }, ['OUT_OF_SCOPE']);
  });

  it('R-ART31 OUT_OF_SCOPE: on-site access when only remote access is habilitated', async () => {
    const s = await scene();
    await expectDeny(s.key, { account: s.account.id, resource: s.resourceId, accessType: 'onsite' }, ['OUT_OF_SCOPE']);
    await expectAllow(s.key, { account: s.account.id, resource: s.resourceId, accessType: 'remote' }, s.windowId, s.endsAt);
    // Once on-site access is habilitated too, the same window covers it.
    await s.world.habilitate(s.account.id, s.resourceId, 'onsite');
    await expectAllow(s.key, { account: s.account.id, resource: s.resourceId, accessType: 'onsite' }, s.windowId, s.endsAt);
  });

  it('R-ART28 ACCOUNT_SUSPENDED: the DSI suspends the account; its resumption gives access back', async () => {
    const s = await scene();
    await ctx.http.post(`/v1/accounts/${s.account.id}/suspend`).set(s.world.dsi.auth).send({ reason: 'Audit en cours' }).expect(200);
    await denied(s, ['ACCOUNT_SUSPENDED']);
    await expectDeny(s.key, { account: s.account.email, resource: s.externalId }, ['ACCOUNT_SUSPENDED']);
    await ctx.http.post(`/v1/accounts/${s.account.id}/resume`).set(s.world.dsi.auth).expect(200);
    await allowed(s);
  });

  it('R-ART28 R-ART36 a decision is never replayed from an Idempotency-Key: the same key after a suspension answers the suspension', async () => {
    const s = await scene();
    const body = { account: s.account.id, resource: s.resourceId };
    const first = await ask(s.key, body).set('Idempotency-Key', 'gw-retry-1').expect(200);
    expect(first.body.decision).toBe('allow');
    await ctx.http.post(`/v1/accounts/${s.account.id}/suspend`).set(s.world.dsi.auth).send({ reason: 'Poste compromis' }).expect(200);
    const again = await ask(s.key, body).set('Idempotency-Key', 'gw-retry-1').expect(200);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body).toMatchObject({ decision: 'deny', reasons: ['ACCOUNT_SUSPENDED'] });
  });

  it('R-ART5 ACCOUNT_SUSPENDED: a compromise report suspends the account at once', async () => {
    const s = await scene();
    await ctx.http.post('/v1/incidents').set(s.world.securityContact.auth)
      .send({ kind: 'compromise', description: 'Poste de Jean Dupont compromis', accountId: s.account.id }).expect(201);
    await expectDeny(s.key, { account: s.account.email, resource: s.resourceId }, ['ACCOUNT_SUSPENDED']);
  });

  it('R-ART35 ACCOUNT_DEACTIVATED: a departure effective today, even inside a running window', async () => {
    const s = await scene();
    await ctx.http.post(`/v1/contractors/${s.world.contractorId}/departures`).set(s.world.securityContact.auth)
      .send({ firstName: 'Jean', lastName: 'Dupont', accountId: s.account.id, effectiveOn: tenantToday(s.world) }).expect(201);
    expect(await accountStatus(s.world, s.account.id)).toBe('deactivated');
    await denied(s, ['ACCOUNT_DEACTIVATED']);
    await expectDeny(s.key, { account: s.account.email, resource: s.externalId }, ['ACCOUNT_DEACTIVATED']);
  });

  it('R-ART28 ACCOUNT_NOT_ACTIVE: approved, signed in, but the access convention is missing (so CONVENTION_MISSING, and no window could be approved)', async () => {
    const world = await buildWorld();
    const key = await world.gatewayKey();
    const resourceId = await world.resource('PACS', `pacs-${world.name}`);
    const account = await approvedAccount(world, 'Lea', 'Garnier');
    await world.acceptInvitation(account.email, 'Intervenant-Pass-42!');
    await world.habilitate(account.id, resourceId);
    expect(await accountStatus(world, account.id)).toBe('approved');
    // R-ART36: a window names active accounts only.
    const refused = await ctx.http.post('/v1/interventions').set(world.securityContact.auth).send({
      contractorId: world.contractorId, accountIds: [account.id], resourceIds: [resourceId], startsAt: later(-MINUTE), endsAt: later(HOUR),
      nature: 'Mise à jour', risks: 'Aucun', availabilityImpact: 'Aucun', changesSettings: false, changesData: false,
    }).expect(400);
    expect(refused.body.errors).toEqual([{ field: 'accountIds', message: 'Le compte de Lea Garnier est approuvé, pas actif.' }]);
    await expectDeny(key, { account: account.email, resource: resourceId }, ['ACCOUNT_NOT_ACTIVE', 'CONVENTION_MISSING', 'NO_APPROVED_WINDOW']);
  });

  it('R-ART28 MFA_NOT_ENROLLED: an approved account whose holder never signed in; the first sign-in activates it', async () => {
    const world = await buildWorld();
    const key = await world.gatewayKey();
    const resourceId = await world.resource('PACS', `pacs-${world.name}`);
    const account = await approvedAccount(world, 'Marc', 'Lambert');
    await signConvention(world, account.id, 'Marc', 'Lambert');
    await world.habilitate(account.id, resourceId);
    expect(await accountStatus(world, account.id)).toBe('approved');
    await expectDeny(key, { account: account.id, resource: resourceId }, ['ACCOUNT_NOT_ACTIVE', 'MFA_NOT_ENROLLED', 'NO_APPROVED_WINDOW']);

    await world.acceptInvitation(account.email, 'Intervenant-Pass-42!');
    expect(await accountStatus(world, account.id)).toBe('active');
    const endsAt = later(HOUR);
    const windowId = await world.approvedWindow([account.id], [resourceId], later(-MINUTE), endsAt);
    await expectAllow(key, { account: account.id, resource: resourceId }, windowId, endsAt);
  });

  it('R-ART2 CONVENTION_MISSING: a new access convention version whose re-signature deadline has passed', async () => {
    const s = await scene(3 * DAY);
    const { world } = s;
    // Until the deadline, the earlier signed version still counts.
    const c2 = await deadlinePassed(s, 'access_convention', 'c2');
    await denied(s, ['CONVENTION_MISSING']);

    await freshDsi(world);
    world.securityContact = await ctx.signIn(world.securityContact.email, 'Contractor-Pass-42!');
    await signConvention(world, s.account.id, 'Jean', 'Dupont', c2.body.id);
    await allowed(s);
  });

  it('R-ART3 CONTACTS_MISSING: a contractor left without its security deputy', async () => {
    const s = await scene();
    const { world } = s;
    // The API never leaves a contractor without one of its three contacts: a declaration names all of them...
    const { securityDeputy: _deputy, ...withoutDeputy } = world.contacts;
    const refused = await ctx.http.put(`/v1/contractors/${world.contractorId}/contacts`).set(world.dsi.auth).send(withoutDeputy).expect(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain('securityDeputy');
    // ...so the situation a gateway must still handle (data imported from a previous register, a manual correction in
    // the database) is made directly in SQL: the deputy's declaration row disappears.
    await ctx.query(`DELETE FROM contractor_contacts WHERE contractor_id = $1 AND role = 'security_deputy'`, [world.contractorId]);
    await denied(s, ['CONTACTS_MISSING']);

    await ctx.http.put(`/v1/contractors/${world.contractorId}/contacts`).set(world.dsi.auth).send(world.contacts).expect(200);
    await allowed(s);
  });

  it('R-ART3 R-ART6 a contacts declaration or an administrative change missing its required part is a 400, never a 500', async () => {
    const world = await buildWorld();
    for (const missing of ['legalRepresentative', 'securityContact', 'securityDeputy'] as const) {
      const body: Record<string, unknown> = { ...world.contacts };
      delete body[missing];
      const res = await ctx.http.put(`/v1/contractors/${world.contractorId}/contacts`).set(world.dsi.auth).send(body);
      expect({ missing, status: res.status }).toEqual({ missing, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([missing]);
    }
    const change = await ctx.http.post(`/v1/contractors/${world.contractorId}/changes`).set(world.dsi.auth).send({ effectiveDate: tenantToday(world) });
    expect(change.status).toBe(400);
    expect(change.body.errors.map((e: { field: string }) => e.field)).toEqual(['changes']);
    // Nothing was lost on the way: the three contacts are still declared.
    const contacts = await ctx.http.get(`/v1/contractors/${world.contractorId}/contacts`).set(world.dsi.auth).expect(200);
    expect(contacts.body.map((c: { role: string }) => c.role).sort()).toEqual(['legal_rep', 'security_contact', 'security_deputy']);
  });

  it('R-ART2 CONTRACTOR_GATE_CLOSED: a new charter version whose re-signature deadline has passed; signing it reopens access', async () => {
    const s = await scene(3 * DAY);
    const { world } = s;
    const v3 = await deadlinePassed(s, 'charter', 'v3.0');
    await denied(s, ['CONTRACTOR_GATE_CLOSED']);
    await expectDeny(s.key, { account: s.account.email, resource: s.externalId }, ['CONTRACTOR_GATE_CLOSED']);

    const dsi = await freshDsi(world);
    world.securityContact = await ctx.signIn(world.securityContact.email, 'Contractor-Pass-42!');
    const signed = await world.upload(world.securityContact.auth, `/v1/contractors/${world.contractorId}/signatures`, {
      documentId: v3.body.id, signerFirstName: world.contacts.legalRepresentative.firstName, signerLastName: world.contacts.legalRepresentative.lastName,
      signerFunction: 'Présidente', signedOn: tenantToday(world), allPagesInitialled: 'true',
    }, pdf(`charter-v3-signed-${world.name}`)).expect(201);
    // Signed but not validated yet: still closed.
    await denied(s, ['CONTRACTOR_GATE_CLOSED']);
    await validateSignature(ctx, signed.body.id, dsi.auth);
    await allowed(s);
  });

  it('R-ART10 PRESTATION_ENDED: the DSI ends the only prestation; its accounts are deactivated, so a gateway sees both', async () => {
    const s = await scene();
    const { world } = s;
    const [prestation] = (await ctx.http.get(`/v1/contractors/${world.contractorId}/prestations`).set(world.dsi.auth).expect(200)).body.items;
    await ctx.http.post(`/v1/prestations/${prestation.id}/end`).set(world.dsi.auth).send({ reason: 'Contrat résilié' }).expect(200);
    expect(await accountStatus(world, s.account.id)).toBe('deactivated');
    await denied(s, ['ACCOUNT_DEACTIVATED', 'PRESTATION_ENDED']);
  });

  it('R-ART10 PRESTATION_ENDED: a prestation past its end date closes access before the scheduler deactivates the accounts; another running prestation keeps it open', async () => {
    const s = await scene(2 * DAY);
    const { world } = s;
    const [open] = (await ctx.http.get(`/v1/contractors/${world.contractorId}/prestations`).set(world.dsi.auth).expect(200)).body.items;
    await ctx.http.post(`/v1/contractors/${world.contractorId}/prestations`).set(world.dsi.auth)
      .send({ title: 'Migration PACS', accessMode: 'remote', rgpdSubcontractor: false, startsOn: tenantToday(world), endsOn: tenantToday(world) }).expect(201);
    // Ending one of two running prestations changes nothing for the gateway.
    await ctx.http.post(`/v1/prestations/${open.id}/end`).set(world.dsi.auth).send({ reason: 'Remplacée par la migration' }).expect(200);
    expect(await accountStatus(world, s.account.id)).toBe('active');
    await allowed(s);

    // The day after the remaining prestation's end date: no prestation runs, the account is still active until the scheduler passes.
    nextTenantDay(s.world);
    await denied(s, ['PRESTATION_ENDED']);
    await ctx.worker!.get(JobRegistry).dispatch(JobName.ContractorsDaily, {}, { attempt: 1 });
    const dsi = await freshDsi(world);
    expect((await ctx.http.get(`/v1/accounts/${s.account.id}`).set(dsi.auth).expect(200)).body.status).toBe('deactivated');
    await denied(s, ['ACCOUNT_DEACTIVATED', 'PRESTATION_ENDED']);
  });

  it('R-ART16-27 DEROGATION_MISSING: a shared account once its shared-account derogation has expired', async () => {
    const world = await buildWorld();
    const key = await world.gatewayKey();
    const resourceId = await world.resource('Automates', `automates-${world.name}`);
    await ctx.http.post('/v1/derogations').set(world.dsi.auth).send({
      kind: 'shared_account', contractorId: world.contractorId, scope: 'Compte « astreinte » des automates',
      justification: 'Astreinte tournante de nuit', validFrom: later(-MINUTE), validUntil: later(2 * HOUR),
    }).expect(201);
    const shared = await approvedAccount(world, 'Astreinte', 'Nuit', { shared: true });
    await world.acceptInvitation(shared.email, 'Astreinte-Pass-42!');
    await signConvention(world, shared.id, 'Astreinte', 'Nuit');
    expect(await accountStatus(world, shared.id)).toBe('active');
    const nominative = await world.activeAccount('Jean', 'Dupont');
    await world.habilitate(shared.id, resourceId);
    await world.habilitate(nominative.id, resourceId);
    const endsAt = later(6 * HOUR);
    const windowId = await world.approvedWindow([shared.id, nominative.id], [resourceId], later(-MINUTE), endsAt);
    await expectAllow(key, { account: shared.email, resource: resourceId }, windowId, endsAt);

    ctx.clock.advance(3 * HOUR);
    await expectDeny(key, { account: shared.email, resource: resourceId }, ['DEROGATION_MISSING']);
    // A nominative account of the same company needs no derogation.
    await expectAllow(key, { account: nominative.email, resource: resourceId }, windowId, endsAt);
  });

  it('R-ART16-27 DEROGATION_MISSING: a revoked shared-account derogation stops counting at once', async () => {
    const world = await buildWorld();
    const key = await world.gatewayKey();
    const resourceId = await world.resource('Automates', `automates-${world.name}`);
    const derogation = await ctx.http.post('/v1/derogations').set(world.dsi.auth).send({
      kind: 'shared_account', contractorId: world.contractorId, scope: 'Compte « astreinte »', justification: 'Astreinte',
      validFrom: later(-MINUTE), validUntil: later(30 * DAY),
    }).expect(201);
    const shared = await approvedAccount(world, 'Astreinte', 'Jour', { shared: true });
    await world.acceptInvitation(shared.email, 'Astreinte-Pass-42!');
    await signConvention(world, shared.id, 'Astreinte', 'Jour');
    await world.habilitate(shared.id, resourceId);
    const endsAt = later(2 * HOUR);
    const windowId = await world.approvedWindow([shared.id], [resourceId], later(-MINUTE), endsAt);
    await expectAllow(key, { account: shared.id, resource: resourceId }, windowId, endsAt);
    await ctx.http.post(`/v1/derogations/${derogation.body.id}/revoke`).set(world.dsi.auth).send({ reason: 'Fin de l’astreinte partagée' }).expect(200);
    await expectDeny(key, { account: shared.id, resource: resourceId }, ['DEROGATION_MISSING']);
  });

  it('R-ART36 NO_APPROVED_WINDOW: a window only requested, then rejected; one approved then cancelled; one for another resource', async () => {
    const world = await buildWorld();
    const key = await world.gatewayKey();
    const account = await world.activeAccount('Jean', 'Dupont');
    const pacs = await world.resource('PACS', `pacs-${world.name}`);
    const ris = await world.resource('RIS', `ris-${world.name}`);
    await world.habilitate(account.id, pacs);
    await world.habilitate(account.id, ris);
    const body = { account: account.id, resource: pacs };
    await expectDeny(key, body, ['NO_APPROVED_WINDOW']);

    const requested = await requestWindow(world, [account.id], [pacs], later(-MINUTE), later(HOUR));
    await expectDeny(key, body, ['NO_APPROVED_WINDOW']);
    await ctx.http.post(`/v1/interventions/${requested.body.id}/reject`).set(world.dsi.auth).send({ reason: 'Période de garde' }).expect(200);
    await expectDeny(key, body, ['NO_APPROVED_WINDOW']);

    const endsAt = later(2 * HOUR);
    const approved = await world.approvedWindow([account.id], [pacs], later(-MINUTE), endsAt);
    await expectAllow(key, body, approved, endsAt);
    // Another resource in scope, but the window does not name it.
    await expectDeny(key, { account: account.id, resource: ris }, ['NO_APPROVED_WINDOW']);
    await ctx.http.post(`/v1/interventions/${approved}/cancel`).set(world.securityContact.auth).send({ reason: 'Reportée' }).expect(200);
    await expectDeny(key, body, ['NO_APPROVED_WINDOW']);

    // A window of someone else does not open it for this account.
    const colleague = await world.activeAccount('Anne', 'Roux');
    await world.habilitate(colleague.id, pacs);
    const theirs = await world.approvedWindow([colleague.id], [pacs], later(-MINUTE), later(HOUR));
    await expectAllow(key, { account: colleague.id, resource: pacs }, theirs, new Date((await ctx.http.get(`/v1/interventions/${theirs}`).set(world.dsi.auth)).body.endsAt));
    await expectDeny(key, body, ['NO_APPROVED_WINDOW']);
  });

  it('R-ART36 several reasons together: every one that applies is listed', async () => {
    const s = await scene(3 * DAY);
    const { world } = s;
    const ris = await world.resource('RIS', `ris-${world.name}`);
    // A person only requested: not approved, no TOTP, no convention, no scope, no window.
    const requested = await ctx.http.post(`/v1/contractors/${world.contractorId}/accounts`).set(world.securityContact.auth)
      .send({ firstName: 'Paul', lastName: 'Martin', email: `paul.martin.${world.name}@contractor.test`, phone: '+33 6 00 00 00 01' }).expect(201);
    await expectDeny(s.key, { account: requested.body.id, resource: ris },
      ['ACCOUNT_NOT_ACTIVE', 'MFA_NOT_ENROLLED', 'CONVENTION_MISSING', 'OUT_OF_SCOPE', 'NO_APPROVED_WINDOW']);

    // The active account, suspended, its company past a charter re-signature deadline, asking on site for a resource outside its scope.
    await world.upload(world.dsi.auth, '/v1/documents', {
      kind: 'charter', versionLabel: 'v3.0', effectiveOn: tenantToday(world), resignDeadline: tenantToday(world),
    }, pdf(`charter-v3-${world.name}`)).expect(201);
    await ctx.http.post(`/v1/accounts/${s.account.id}/suspend`).set(world.dsi.auth).send({ reason: 'Audit en cours' }).expect(200);
    nextTenantDay(s.world);
    await denied(s, ['ACCOUNT_SUSPENDED', 'CONTRACTOR_GATE_CLOSED']);
    await expectDeny(s.key, { account: s.account.id, resource: s.resourceId, accessType: 'onsite' }, ['ACCOUNT_SUSPENDED', 'CONTRACTOR_GATE_CLOSED', 'OUT_OF_SCOPE']);
    await expectDeny(s.key, { account: s.account.email, resource: ris }, ['ACCOUNT_SUSPENDED', 'CONTRACTOR_GATE_CLOSED', 'OUT_OF_SCOPE', 'NO_APPROVED_WINDOW']);
    await expectDeny(s.key, { account: s.account.email, resource: 'ghost' }, ['ACCOUNT_SUSPENDED', 'CONTRACTOR_GATE_CLOSED', 'UNKNOWN_RESOURCE', 'NO_APPROVED_WINDOW']);
  });

  // ---------------------------------------------------------------- emergencies

  it('R-ART36 an emergency window allows at once, without approval; once the DSI challenges it, access ends', async () => {
    const { world, key, account, resourceId } = await habilitated();
    const endsAt = later(2 * HOUR);
    const emergency = await ctx.http.post('/v1/interventions').set(world.securityContact.auth).send({
      contractorId: world.contractorId, accountIds: [account.id], resourceIds: [resourceId], endsAt, emergency: true,
      justification: 'PACS à l’arrêt, les urgences ne voient plus les images', nature: 'Redémarrage du serveur PACS', risks: 'Perte de session',
      availabilityImpact: 'PACS indisponible 5 minutes', changesSettings: false, changesData: false,
    }).expect(201);
    expect(emergency.body).toMatchObject({ emergency: true, status: 'approved', emergencyReview: 'pending' });
    await expectAllow(key, { account: account.email, resource: `pacs-${world.name}` }, emergency.body.id, endsAt);
    expect((await ctx.http.get(`/v1/interventions/${emergency.body.id}`).set(world.dsi.auth).expect(200)).body.startedAt).toEqual(expect.any(String));

    await ctx.http.post(`/v1/interventions/${emergency.body.id}/reject`).set(world.dsi.auth).send({ reason: 'Pas une urgence : à planifier' }).expect(200);
    await expectDeny(key, { account: account.email, resource: `pacs-${world.name}` }, ['NO_APPROVED_WINDOW']);
  });

  it('R-ART36 an emergency the DSI confirms after the fact keeps its access until its end', async () => {
    const { world, key, account, resourceId } = await habilitated();
    const endsAt = later(HOUR);
    const emergency = await ctx.http.post('/v1/interventions').set(world.securityContact.auth).send({
      contractorId: world.contractorId, accountIds: [account.id], resourceIds: [resourceId], endsAt, emergency: true,
      justification: 'Dysfonctionnement bloquant', nature: 'Correctif', risks: 'Faible', availabilityImpact: 'Aucun', changesSettings: false, changesData: false,
    }).expect(201);
    await expectAllow(key, { account: account.id, resource: resourceId }, emergency.body.id, endsAt);
    const confirmed = await ctx.http.post(`/v1/interventions/${emergency.body.id}/approve`).set(world.dsi.auth).send({}).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'approved', emergencyReview: 'confirmed' });
    await expectAllow(key, { account: account.id, resource: resourceId }, emergency.body.id, endsAt);
    await expectDeny(key, { account: account.id, resource: resourceId, at: new Date(endsAt.getTime() + MINUTE).toISOString() }, ['NO_APPROVED_WINDOW']);
  });

  // ---------------------------------------------------------------- authentication

  it('R-ART36 only a gateway key with the decisions scope may ask; another tenant\'s key never learns of, nor opens, this tenant\'s accounts', async () => {
    const s = await scene();
    const { world } = s;
    const body = { account: s.account.id, resource: s.resourceId };

    const none = await ctx.http.post('/v1/access-decisions').send(body).expect(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    const forged = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', 'pgk_forged_0123456789').send(body).expect(401);
    expect(forged.body.code).toBe('INVALID_API_KEY');

    const connectionsOnly = await ctx.http.post('/v1/api-keys').set(world.dsi.auth).send({ name: 'collecteur', scopes: ['connections'] }).expect(201);
    const wrongScope = await ask(connectionsOnly.body.key, body).expect(403);
    expect(wrongScope.headers['content-type']).toContain('application/problem+json');

    // People do not ask for access decisions, whatever their role.
    await ctx.http.post('/v1/access-decisions').set(world.dsi.auth).send(body).expect(403);
    await ctx.http.post('/v1/access-decisions').set(s.account.holder.auth).send(body).expect(403);

    // A revoked key stops at once.
    const revocable = await ctx.http.post('/v1/api-keys').set(world.dsi.auth).send({ name: 'vpn', scopes: ['decisions'] }).expect(201);
    await expectAllow(revocable.body.key, body, s.windowId, s.endsAt);
    await ctx.http.delete(`/v1/api-keys/${revocable.body.id}`).set(world.dsi.auth).expect((r) => expect([200, 204]).toContain(r.status));
    expect((await ask(revocable.body.key, body).expect(401)).body.code).toBe('INVALID_API_KEY');

    // Another establishment's gateway, with a resource of the same external id: nothing here exists for it.
    const other = await buildWorld();
    const otherKey = await other.gatewayKey();
    await other.resource('PACS', s.externalId);
    await expectDeny(otherKey, body, ['UNKNOWN_ACCOUNT', 'UNKNOWN_RESOURCE', 'NO_APPROVED_WINDOW']);
    const sameNames = await expectDeny(otherKey, { account: s.account.email, resource: s.externalId }, ['UNKNOWN_ACCOUNT', 'NO_APPROVED_WINDOW']);
    expect(sameNames.resourceId).not.toBe(s.resourceId);
    expect(sameNames.accountId).toBeUndefined();
    const leaked = await eventually(
      () => ctx.query<{ account_id: string | null; resource_id: string | null }>(`SELECT account_id, resource_id FROM access_decisions WHERE tenant_id = $1`, [other.tenantId]),
      (r) => r.length >= 2,
    );
    expect(leaked).toHaveLength(2);
    for (const row of leaked) {
      expect(row.account_id).toBeNull();
      expect(row.resource_id).not.toBe(s.resourceId);
    }
    // Meanwhile this establishment's own gateway still gets its allow.
    await expectAllow(s.key, body, s.windowId, s.endsAt);
  });

  // ---------------------------------------------------------------- bad input

  it('R-ART36 bad input is a 400 problem+json naming the field, never a 500', async () => {
    const s = await scene();
    const ok = { account: s.account.id, resource: s.resourceId };
    const cases: [DecisionBody, string][] = [
      [{ resource: s.resourceId }, 'account'],
      [{ account: s.account.id }, 'resource'],
      [{ account: '', resource: s.resourceId }, 'account'],
      [{ account: 42, resource: s.resourceId }, 'account'],
      [{ account: 'x'.repeat(321), resource: s.resourceId }, 'account'],
      [{ account: s.account.id, resource: ['pacs'] }, 'resource'],
      [{ ...ok, at: 'yesterday' }, 'at'],
      [{ ...ok, at: '2026-13-45T25:61:00Z' }, 'at'],
      [{ ...ok, at: '' }, 'at'],
      // R-INT expanded and zero years are not strict ISO 8601 instants (they were answered, far from any window).
      [{ ...ok, at: '+275760-09-13T00:00:00.000Z' }, 'at'],
      [{ ...ok, at: '-000001-01-01T00:00:00.000Z' }, 'at'],
      [{ ...ok, at: '0000-01-01T00:00:00.000Z' }, 'at'],
      [{ ...ok, accessType: 'vpn' }, 'accessType'],
      [{ ...ok, accessType: 'REMOTE' }, 'accessType'],
      [{ ...ok, tenantId: s.world.tenantId }, 'tenantId'],
    ];
    for (const [body, field] of cases) {
      const res = await ask(s.key, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 400, title: 'Bad Request', type: expect.any(String), detail: expect.any(String) });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const malformed = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', s.key).set('Content-Type', 'application/json').send('{"account": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_BODY');
    const empty = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', s.key).send();
    expect(empty.status).toBeGreaterThanOrEqual(400);
    expect(empty.status).toBeLessThan(500);

    // The far ends of the strict format are valid instants: answered (no window then) and recorded, not a 500,
    // and they do not spoil the buffered batch the next decisions are written with.
    const extremes = ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'];
    for (const at of extremes) await expectDeny(s.key, { ...ok, at }, ['NO_APPROVED_WINDOW']);
    await expectAllow(s.key, ok, s.windowId, s.endsAt);
    // scene() asked once; the refused requests are not decisions.
    const rows = await eventually(
      () => ctx.query<{ at: Date; decision: string }>(`SELECT at, decision FROM access_decisions WHERE tenant_id = $1 ORDER BY id`, [s.world.tenantId]),
      (r) => r.length >= 2 + extremes.length,
    );
    expect(rows.map((r) => r.decision)).toEqual(['allow', ...extremes.map(() => 'deny'), 'allow']);
    expect(rows.slice(1, -1).map((r) => new Date(r.at).toISOString())).toEqual(extremes);
  });
});
