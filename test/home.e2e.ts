import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobName, Role } from '@app/core';
import { bodyOf, nextSiret, pdf, SignedIn, World } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
type Task = { key: string; count: number; rule: string; days?: number };

/** The console's route patterns (apps/web/src/app.tsx), as a path of an e-mail's link must match one. */
const ROUTES = [...readFileSync(join(__dirname, '..', 'apps', 'web', 'src', 'app.tsx'), 'utf8').matchAll(/pattern: '([^']+)'/g)]
  .map(([, pattern]) => new RegExp(`^${pattern.replace(/:\w+/g, '[^/]+')}$`));
const isConsolePage = (path: string) => ['/login', '/accept-invitation'].includes(path) || ROUTES.some((r) => r.test(path));

/**
 * GET /v1/home: each person's tasks, counted by role in their establishment (and company), the requirement each comes from;
 * and the e-mails of the same story, each ending with a link to the console page where its act is done (R-NOT, R-DIG).
 */
describeApi('Home page per role and e-mails linking to the console (R-DIG, R-NOT, R-L10N)', { world: 'home' }, (rig) => {
  let w: World;
  let other: World;
  let rssi: SignedIn;
  let auditor: SignedIn;
  let staff: SignedIn;
  let referent: SignedIn;
  let idle: SignedIn;
  const home = async (who: SignedIn) => {
    const body = (await rig.ctx.http.get('/v1/home').set(who.auth).expect(200)).body as { establishment: string; tasks: Task[] };
    return { ...body, count: Object.fromEntries(body.tasks.map((t) => [t.key, t.count])) as Record<string, number> };
  };

  beforeAll(async () => {
    const { ctx, smtp } = rig;
    w = rig.w;
    other = await World.build(ctx, smtp, 'home-other');
    const pacs = await w.resource('PACS Home', 'pacs-home');
    // A referent designated for the company (R-ART36), another designated for none.
    const designated = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Referent] });
    await ctx.http.put(`/v1/contractors/${w.contractorId}/referents`).set(w.dsi.auth).send({ userIds: [designated.id] }).expect(200);
    referent = await ctx.signIn(designated.email);
    idle = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Referent] })).email);
    const alice = await w.activeAccount('Alice', 'Home');
    staff = alice.holder;
    await w.habilitate(alice.id, pacs);
    // R-ART36: an emergency starts at once, approved, its review pending; its report is due two business days later (R-ART42).
    await ctx.http.post('/v1/interventions').set(w.securityContact.auth).send({
      contractorId: w.contractorId, accountIds: [alice.id], resourceIds: [pacs], endsAt: new Date(ctx.clock.now().getTime() + HOUR),
      emergency: true, justification: 'PACS à l’arrêt', nature: 'Dépannage', risks: 'Redémarrage', availabilityImpact: '10 minutes',
      changesSettings: false, changesData: false,
    }).expect(201);
    // A window requested for the day after the clock moves (R-ART36): an overdue report would refuse it then (R-ART42).
    const tomorrow = ctx.clock.now().getTime() + 9 * DAY;
    await ctx.http.post('/v1/interventions').set(w.securityContact.auth).send({
      contractorId: w.contractorId, accountIds: [alice.id], resourceIds: [pacs], startsAt: new Date(tomorrow), endsAt: new Date(tomorrow + HOUR),
      nature: 'Mise à jour', risks: 'Redémarrage', availabilityImpact: '10 minutes', changesSettings: false, changesData: false,
    }).expect(201);
    await ctx.advanceClock(8 * DAY);

    // Waiting for the DSI: an account requested with its habilitation and its convention (R-ART28, R-ART31).
    const bob = (await ctx.http.post(`/v1/contractors/${w.contractorId}/accounts`).set(w.securityContact.auth)
      .send({ firstName: 'Bob', lastName: 'Home', email: 'bob.home@contractor.test', phone: '+33 6 00 00 00 00' }).expect(201)).body.id;
    await ctx.http.post(`/v1/accounts/${bob}/habilitations`).set(w.securityContact.auth).send({ resourceId: pacs, accessType: 'remote', level: 'read' }).expect(201);
    await w.upload(w.securityContact.auth, `/v1/accounts/${bob}/convention`, {
      documentId: w.conventionId, signerFirstName: 'Bob', signerLastName: 'Home', signedOn: w.today(), allPagesInitialled: 'true',
    }, pdf('home-convention-bob')).expect(201);
    // R-ART2: a new charter version to re-sign within 20 days: the company's gate closes then unless it signs.
    await w.upload(w.dsi.auth, '/v1/documents', {
      kind: 'charter', versionLabel: 'v3.0', effectiveOn: w.today(), resignDeadline: new Date(ctx.clock.now().getTime() + 20 * DAY).toISOString().slice(0, 10),
    }, pdf('home-charter-v3')).expect(201);

    // The RSSI's: a review campaign (R-ART34), a session outside any window (R-ART41), a suspended account (R-ART28).
    rssi = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] })).email);
    await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201);
    const startedAt = new Date(ctx.clock.now().getTime() - HOUR);
    await ctx.http.post('/v1/connection-events').set('X-Api-Key', await w.gatewayKey()).send([{
      eventId: 'home-1', account: alice.email, resource: 'pacs-home', sourceIp: '192.0.2.10', startedAt: startedAt.toISOString(),
      endedAt: new Date(startedAt.getTime() + 600_000).toISOString(), outcome: 'success',
    }]).expect(200);
    await ctx.worker!.get(JobRegistry).dispatch(JobName.JournalCorrelate, {}, { attempt: 1 });
    // An auditor invited in English (R-L10N); the other establishment has one account waiting, its own.
    await ctx.http.post('/v1/users').set(w.dsi.auth)
      .send({ firstName: 'Ada', lastName: 'Audit', email: 'ada.audit@home.test', roles: ['auditor'], locale: 'en' }).expect(201);
    auditor = await w.acceptInvitation('ada.audit@home.test');
    await ctx.http.post(`/v1/contractors/${other.contractorId}/accounts`).set(other.securityContact.auth)
      .send({ firstName: 'Oscar', lastName: 'Other', email: 'oscar.other@contractor.test', phone: '+33 6 00 00 00 00' }).expect(201);
  }, 240_000);

  it('R-ART2 R-ART28 R-ART31 R-ART36 R-ART42 the DSI counts what waits for a decision, the gates closing within 30 days and the overdue reports', async () => {
    const dsi = await home(w.dsi);
    expect(dsi.establishment).toMatch(/^CH Test /);
    expect(dsi.tasks).toEqual([
      { key: 'signatures', count: 1, rule: 'R-ART2' },
      { key: 'accounts', count: 1, rule: 'R-ART28' },
      { key: 'habilitations', count: 1, rule: 'R-ART31' },
      { key: 'windows', count: 1, rule: 'R-ART36' },
      { key: 'emergencies', count: 1, rule: 'R-ART36' },
      { key: 'overdueReports', count: 1, rule: 'R-ART42' },
      { key: 'gatesClosing', count: 1, rule: 'R-ART2', days: 30 },
    ]);
    // Its name in the header comes with the person (GET /v1/me).
    expect((await rig.ctx.http.get('/v1/me').set(w.dsi.auth).expect(200)).body.establishment).toBe(dsi.establishment);
  });

  it('R-ART2 R-ART34 R-ART42 R-ART10 the security contact counts their company\'s tasks; an intervenant their own reports', async () => {
    const contact = await home(w.securityContact);
    expect(contact.tasks).toEqual([
      { key: 'gate', count: 0, rule: 'R-ART2' },
      { key: 'reviews', count: 1, rule: 'R-ART34' },
      { key: 'overdueReports', count: 1, rule: 'R-ART42' },
      { key: 'attestations', count: 0, rule: 'R-ART10' },
    ]);
    const stranger = await home(other.securityContact);
    expect(stranger.count).toEqual({ gate: 0, reviews: 0, overdueReports: 0, attestations: 0 });
    expect((await home(staff)).tasks).toEqual([{ key: 'overdueReports', count: 1, rule: 'R-ART42' }]);
  });

  it('R-ART36 R-ART42 a referent counts the windows to decide and the overdue reports of the companies they are designated for', async () => {
    expect((await home(referent)).tasks).toEqual([
      { key: 'windows', count: 1, rule: 'R-ART36' }, { key: 'overdueReports', count: 1, rule: 'R-ART42' }]);
    expect((await home(idle)).count).toEqual({ windows: 0, overdueReports: 0 });
  });

  it('R-ART34 R-ART41 R-ART28 the RSSI counts open reviews, anomalies to triage and suspended accounts; the auditor reads the first two', async () => {
    const alice = (await rig.ctx.http.get('/v1/accounts').query({ status: 'active' }).set(w.dsi.auth).expect(200)).body.items[0];
    await rig.ctx.http.post(`/v1/accounts/${alice.id}/suspend`).set(w.dsi.auth).send({ reason: 'Enquête en cours' }).expect(200);
    const control = await home(rssi);
    expect(control.tasks.map((t) => [t.key, t.rule])).toEqual([
      ['reviews', 'R-ART34'], ['anomalies', 'R-ART41'], ['suspendedAccounts', 'R-ART28']]);
    expect(control.count).toMatchObject({ reviews: 1, suspendedAccounts: 1 });
    expect(control.count.anomalies).toBeGreaterThanOrEqual(1);
    expect(control.tasks.find((t) => t.key === 'anomalies')!.days).toBeUndefined();
    const reader = await home(auditor);
    expect(reader.tasks.map((t) => t.key)).toEqual(['reviews', 'anomalies']);
  });

  it('R-ART2 R-ART10 a gate closes with the last running prestation ending within 30 days; a gate already closed is not "closing"', async () => {
    const { ctx, smtp } = rig;
    const ending = await World.build(ctx, smtp, 'home-ending');
    const [open] = (await ctx.http.get(`/v1/contractors/${ending.contractorId}/prestations`).set(ending.dsi.auth).expect(200)).body.items;
    const endsOn = new Date(ctx.clock.now().getTime() + 10 * DAY).toISOString().slice(0, 10);
    await ctx.http.post(`/v1/contractors/${ending.contractorId}/prestations`).set(ending.dsi.auth)
      .send({ title: 'Fin de marché', accessMode: 'remote', rgpdSubcontractor: false, startsOn: ending.today(), endsOn }).expect(201);
    await ctx.http.post(`/v1/prestations/${open.id}/end`).set(ending.dsi.auth).send({ reason: 'Remplacée' }).expect(200);
    // A second company, closed (no contacts, no charter), whose prestation ends as soon: not counted.
    const closed = (await ctx.http.post('/v1/contractors').set(ending.dsi.auth)
      .send({ legalName: 'Fermée SAS', siret: nextSiret(), address: 'Le Mans' }).expect(201)).body.id;
    await ctx.http.post(`/v1/contractors/${closed}/prestations`).set(ending.dsi.auth)
      .send({ title: 'Courte', accessMode: 'remote', rgpdSubcontractor: false, startsOn: ending.today(), endsOn }).expect(201);
    expect((await home(ending.dsi)).tasks.find((t) => t.key === 'gatesClosing')).toEqual({ key: 'gatesClosing', count: 1, rule: 'R-ART2', days: 30 });
  });

  it('R-DIG the other establishment counts only its own: one account requested, nothing else', async () => {
    const theirs = await home(other.dsi);
    expect(theirs.count).toEqual({ signatures: 0, accounts: 1, habilitations: 0, windows: 0, emergencies: 0, overdueReports: 0, gatesClosing: 0 });
    expect(theirs.establishment).not.toBe((await home(w.dsi)).establishment);
    await rig.ctx.http.get('/v1/home').expect(401);
    const operator = await rig.ctx.signIn((await rig.ctx.createUser({ tenantId: null, roles: [Role.PlatformAdmin] })).email);
    await rig.ctx.http.get('/v1/home').set(operator.auth).expect(403);
  });

  it('R-NOT R-DIG every e-mail links to a page of the console (the digest included), none to an API path', async () => {
    const { ctx, smtp } = rig;
    await ctx.worker!.get(JobRegistry).dispatch(JobName.DigestWeekly, {}, { attempt: 1 });
    await ctx.outboxDelivered();
    const [digest] = await smtp.waitForSubject(w.dsi.email, 'Synthèse hebdomadaire');
    const base = ctx.env.PUBLIC_URL!;
    const linked = new Set<string>();
    for (const mail of smtp.mails) {
      const text = bodyOf(mail.raw);
      expect(text).not.toMatch(/(GET|POST) \/v1\//);
      const paths = [...text.matchAll(new RegExp(`${base.replace(/\W/g, '\\$&')}(/[^\\s?#]*)`, 'g'))].map(([, path]) => path);
      expect({ subject: mail.subject, paths: paths.length > 0 }).toEqual({ subject: mail.subject, paths: true });
      for (const path of paths) expect({ path, page: isConsolePage(path) }).toEqual({ path, page: true });
      const template = /^X-Prestagate-Template: (.*)$/im.exec(mail.raw)?.[1].trim();
      if (template) linked.add(template);
    }
    expect([...linked]).toEqual(expect.arrayContaining(['invitation', 'signature-submitted', 'window-requested', 'weekly-digest', 'account-suspended']));
    const digestText = bodyOf(digest.raw);
    for (const path of ['/approvals', '/interventions#overdue', '/reviews', '/anomalies', '/contractors']) expect(digestText).toContain(`${base}${path}`);
  });

  it('R-L10N R-ART28 the invitation names the establishment and the role, and its expiry as a date in the establishment\'s time zone', async () => {
    const { ctx, smtp } = rig;
    const expiry = async (email: string) => (await ctx.query<{ at: Date }>(
      `SELECT i.expires_at AS at FROM invitations i JOIN users u ON u.id = i.user_id WHERE u.email = $1 ORDER BY i.expires_at DESC LIMIT 1`, [email]))[0].at;
    const shown = (at: Date, locale: string) => new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' }).format(at);
    const establishment = (await home(w.dsi)).establishment;
    const fr = bodyOf((await smtp.waitForSubject('alice.home.home@contractor.test', 'Invitation'))[0].raw);
    expect(fr).toContain(`${establishment} vous a ouvert un compte nominatif sur Prestagate (rôle : intervenant)`);
    expect(fr).toContain(`valable jusqu'au ${shown(await expiry('alice.home.home@contractor.test'), 'fr-FR')} :`);
    expect(fr).toMatch(/valable jusqu'au \d{1,2} \p{L}+ \d{4} à \d{2}:\d{2}/u);
    expect(fr).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    const en = bodyOf((await smtp.waitForSubject('ada.audit@home.test', 'Invitation to'))[0].raw);
    expect(en).toContain(`${establishment} opened a nominative account for you on Prestagate (role: auditor)`);
    expect(en).toContain(`valid until ${shown(await expiry('ada.audit@home.test'), 'en-GB')}:`);
  });
});
