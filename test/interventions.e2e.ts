import { JobName, Role } from '@app/core';
import { addBusinessDays, zonedInstant } from '@app/interventions';
import { bodyOf, nextSiret, SmtpReceiver, TestContext, World } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';

describeApi('R-ART36 R-ART42 intervention windows and reports', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;
  let referent: { email: string; auth: Record<string, string> };
  let gatewayKey: string;
  const day = 86_400_000;
  const runJob = (job: JobName) => ctx.worker!.get(JobRegistry).dispatch(job, {}, { attempt: 1 });
  /** A Paris wall-clock instant, `days` after today. */
  const paris = (days: number, time: string) => zonedInstant(new Date(ctx.clock.now().getTime() + days * day).toISOString().slice(0, 10), time, 'Europe/Paris');
  /** The next Tuesday-to-Thursday day at least `min` days ahead, so business hours apply. */
  const weekdayAhead = (min: number) => {
    for (let d = min; ; d++) {
      const wd = new Date(ctx.clock.now().getTime() + d * day).getUTCDay();
      if (wd >= 2 && wd <= 4) return d;
    }
  };
  const windowBody = (extra: object) => ({
    contractorId: w.contractorId, nature: 'Mise à jour du PACS', risks: 'Redémarrage du service', availabilityImpact: 'PACS indisponible 15 min',
    changesSettings: true, changesData: false, ...extra,
  });
  const decide = (account: string, resource: string, at: Date) =>
    ctx.http.post('/v1/access-decisions').set('X-Api-Key', gatewayKey).send({ account, resource, at }).expect(200);

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    w = await World.build(ctx, smtp, 'interv');
    const user = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Referent] });
    referent = { email: user.email, auth: (await ctx.signIn(user.email)).auth };
    await ctx.http.put(`/v1/contractors/${w.contractorId}/referents`).set(w.dsi.auth).send({ userIds: [user.id] }).expect(200);
    await ctx.http.patch('/v1/tenant/policy').set(w.dsi.auth).send({ reportEmail: 'cr-interventions@ch-lemans.test' }).expect(200);
    gatewayKey = await w.gatewayKey();
  });

  it('R-ART36 R-ART42 request, referent informed, approval, allow inside the window, deny a minute after, report and its versions', async () => {
    const { id: accountId, email } = await w.activeAccount('Nora', 'Petit');
    const pacs = await w.resource('PACS Story', 'pacs-story');
    await w.habilitate(accountId, pacs);
    const startsAt = paris(1, '20:00');
    const endsAt = paris(1, '22:00');

    const requested = await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(windowBody({ accountIds: [accountId], resourceIds: [pacs], startsAt, endsAt })).expect(201);
    expect(requested.body).toMatchObject({ status: 'requested', usageConflict: false, outsideBusinessHours: true, changesSettings: true });
    const id = requested.body.id;
    const [informed] = await smtp.waitForSubject(referent.email, "Demande d'intervention à approuver");
    expect(bodyOf(informed.raw)).toContain('Mise à jour du PACS');

    // Not approved yet: no access.
    expect((await decide(email, 'pacs-story', new Date(startsAt.getTime() + 600_000))).body.reasons).toEqual(['NO_APPROVED_WINDOW']);
    // The contractor cannot approve its own window; a hospital person who is not its referent neither.
    await ctx.http.post(`/v1/interventions/${id}/approve`).set(w.securityContact.auth).send({}).expect(403);
    const stranger = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Referent] });
    await ctx.http.post(`/v1/interventions/${id}/approve`).set((await ctx.signIn(stranger.email)).auth).send({}).expect(403);
    const approved = await ctx.http.post(`/v1/interventions/${id}/approve`).set(referent.auth).send({}).expect(200);
    expect(approved.body.status).toBe('approved');

    const inside = await decide(email, 'pacs-story', new Date(startsAt.getTime() + 600_000));
    expect(inside.body).toMatchObject({ decision: 'allow', reasons: [], interventionId: id, validUntil: endsAt.toISOString() });
    const after = await decide(email, 'pacs-story', new Date(endsAt.getTime() + 60_000));
    expect(after.body).toMatchObject({ decision: 'deny', reasons: ['NO_APPROVED_WINDOW'] });

    // The report, after hours: e-mailed the same day to the referents and to the address registered beforehand (Art. 43).
    await ctx.setClock(new Date(endsAt.getTime() + 30 * 60_000));
    const report = await ctx.http.post(`/v1/interventions/${id}/report`).set(w.securityContact.auth).send({
      operations: 'Mise à jour 7.2 du PACS', intervenants: ['Nora Petit'], actions: 'Arrêt, mise à jour, relance', difficulties: 'Aucune',
    }).expect(201);
    expect(report.body).toMatchObject({ version: 1, referentsInformed: [referent.email] });
    const [toRegistered] = await smtp.waitForSubject('cr-interventions@ch-lemans.test', "Compte rendu d'intervention (v1)");
    expect(bodyOf(toRegistered.raw)).toContain('Arrêt, mise à jour, relance');
    await smtp.waitForSubject(referent.email, "Compte rendu d'intervention (v1)");

    // A report is never changed: a correction is a new version, and both stay.
    const corrected = await ctx.http.post(`/v1/interventions/${id}/report`).set(w.securityContact.auth).send({
      operations: 'Mise à jour 7.2.1 du PACS', intervenants: ['Nora Petit'], actions: 'Arrêt, mise à jour, relance', difficulties: 'Relance lente',
    }).expect(201);
    expect(corrected.body.version).toBe(2);
    const versions = await ctx.http.get(`/v1/interventions/${id}/reports`).set(referent.auth).expect(200);
    expect(versions.body.map((r: { version: number; operations: string }) => [r.version, r.operations]))
      .toEqual([[1, 'Mise à jour 7.2 du PACS'], [2, 'Mise à jour 7.2.1 du PACS']]);
    await expect(ctx.query(`UPDATE intervention_reports SET operations = 'rewritten' WHERE intervention_id = $1`, [id])).rejects.toThrow(/immutable/);
  });

  it('R-ART42 an overdue report is reminded, escalated to the contacts then the DSI, and blocks new windows until filed', async () => {
    const { id: accountId, email } = await w.activeAccount('Omar', 'Lambert');
    const ris = await w.resource('RIS Overdue', 'ris-overdue');
    await w.habilitate(accountId, ris);
    const d = weekdayAhead(1);
    const startsAt = paris(d, '10:00');
    const endsAt = paris(d, '11:00');
    const window = await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(windowBody({ accountIds: [accountId], resourceIds: [ris], startsAt, endsAt })).expect(201);
    expect(window.body).toMatchObject({ usageConflict: true, outsideBusinessHours: false });
    const usage = await ctx.http.post(`/v1/interventions/${window.body.id}/approve`).set(w.dsi.auth).send({}).expect(409);
    expect(usage.body.code).toBe('USAGE_OVERRIDE_REQUIRED');
    await ctx.http.post(`/v1/interventions/${window.body.id}/approve`).set(w.dsi.auth).send({ overrideUsage: true }).expect(200);
    const dueOn = addBusinessDays(startsAt.toISOString().slice(0, 10), 2, [1, 2, 3, 4, 5]);
    expect(window.body.reportDueOn).toBe(dueOn);
    await decide(email, 'ris-overdue', new Date(startsAt.getTime() + 60_000));

    // The day after the due date: the authors are reminded and new windows are refused.
    await ctx.setClock(zonedInstant(addBusinessDays(dueOn, 0, [1, 2, 3, 4, 5]), '09:00', 'Europe/Paris'));
    await ctx.advanceClock(day);
    await runJob(JobName.InterventionsDaily);
    await runJob(JobName.InterventionsDaily);
    await smtp.waitForSubject(email, 'Compte rendu en retard');
    const refused = await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(windowBody({ accountIds: [accountId], resourceIds: [ris], startsAt: paris(3, '20:00'), endsAt: paris(3, '21:00') })).expect(409);
    expect(refused.body).toMatchObject({ code: 'REPORT_OVERDUE', interventionIds: [window.body.id] });

    // Later: the security contacts, then the DSI; each once.
    await ctx.advanceClock(3 * day);
    await runJob(JobName.InterventionsDaily);
    await runJob(JobName.InterventionsDaily);
    await smtp.waitForSubject(w.contacts.securityDeputy.email, 'Compte rendu en retard');
    await smtp.waitForSubject(w.dsi.email, 'Compte rendu en retard');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.to(email).filter((m) => m.subject.startsWith('Compte rendu en retard'))).toHaveLength(1);
    expect(smtp.to(w.dsi.email).filter((m) => m.subject.startsWith('Compte rendu en retard'))).toHaveLength(1);

    await ctx.http.post(`/v1/interventions/${window.body.id}/report`).set(w.securityContact.auth)
      .send({ operations: 'Maintenance RIS', intervenants: ['Omar Lambert'], actions: 'Patch', difficulties: 'Aucune' }).expect(201);
    await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(windowBody({ accountIds: [accountId], resourceIds: [ris], startsAt: paris(3, '20:00'), endsAt: paris(3, '21:00') })).expect(201);
  });

  it('R-ART36 an emergency starts without approval, is flagged, and the DSI confirms it afterwards', async () => {
    const { id: accountId, email } = await w.activeAccount('Lina', 'Garcia');
    const lab = await w.resource('Labo Emergency', 'labo-emergency');
    await w.habilitate(accountId, lab);
    const noReason = await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(windowBody({ accountIds: [accountId], resourceIds: [lab], endsAt: new Date(ctx.clock.now().getTime() + 2 * 3600_000), emergency: true })).expect(400);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('justification');
    const emergency = await ctx.http.post('/v1/interventions').set(w.securityContact.auth).send(windowBody({
      accountIds: [accountId], resourceIds: [lab], endsAt: new Date(ctx.clock.now().getTime() + 2 * 3600_000), emergency: true,
      justification: 'Automate du laboratoire à l’arrêt',
    })).expect(201);
    expect(emergency.body).toMatchObject({ status: 'approved', emergency: true, emergencyReview: 'pending' });
    await smtp.waitForSubject(w.dsi.email, 'Intervention en urgence déclarée');
    expect((await decide(email, 'labo-emergency', ctx.clock.now())).body.decision).toBe('allow');
    const confirmed = await ctx.http.post(`/v1/interventions/${emergency.body.id}/approve`).set(w.dsi.auth).send({}).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'approved', emergencyReview: 'confirmed' });
  });

  it('R-ART36 R-L10N a window in a blackout needs an explicit override; bad windows are refused with clear 4xx naming the resource and the person', async () => {
    const { id: accountId } = await w.activeAccount('Yann', 'Fabre');
    const dpi = await w.resource('DPI Blackout', 'dpi-blackout');
    const other = await w.resource('Other Resource', 'other-resource');
    await w.habilitate(accountId, dpi);
    const from = paris(5, '00:00');
    const to = paris(6, '00:00');
    await ctx.http.patch('/v1/tenant/policy').set(w.dsi.auth).send({ blackouts: [{ from: from.toISOString(), to: to.toISOString(), label: 'Migration DPI' }] }).expect(200);
    const inBlackout = await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(windowBody({ accountIds: [accountId], resourceIds: [dpi], startsAt: paris(5, '21:00'), endsAt: paris(5, '22:00') })).expect(201);
    expect(inBlackout.body.usageConflict).toBe(true);
    await ctx.http.post(`/v1/interventions/${inBlackout.body.id}/approve`).set(w.dsi.auth).send({}).expect(409);
    const overridden = await ctx.http.post(`/v1/interventions/${inBlackout.body.id}/approve`).set(w.dsi.auth).send({ overrideUsage: true }).expect(200);
    expect(overridden.body).toMatchObject({ status: 'approved', usageOverride: true });

    const before = await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM interventions`);
    const reversed = await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(windowBody({ accountIds: [accountId], resourceIds: [dpi], startsAt: paris(2, '22:00'), endsAt: paris(2, '21:00') })).expect(400);
    expect(reversed.body.errors.map((e: { field: string }) => e.field)).toContain('endsAt');
    const outOfScope = await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(windowBody({ accountIds: [accountId], resourceIds: [other], startsAt: paris(2, '21:00'), endsAt: paris(2, '22:00') })).expect(400);
    // R-L10N the message names the resource and the person, in French by default, never their ids.
    expect(outOfScope.body.errors[0]).toEqual({
      field: 'resourceIds', message: 'La ressource « Other Resource » est hors des habilitations du compte de Yann Fabre (R-ART31).',
    });
    const unknownAccount = await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(windowBody({ accountIds: ['00000000-0000-4000-8000-000000000000'], resourceIds: [dpi], startsAt: paris(2, '21:00'), endsAt: paris(2, '22:00') })).expect(400);
    expect(unknownAccount.body.errors[0].field).toBe('accountIds');
    expect(await ctx.query(`SELECT count(*)::int AS n FROM interventions`)).toEqual(before);
  });

  it('R-ART4 R-ART36 a prime\'s security contact asking for its subcontractor\'s windows gets the subcontractor\'s, not its own', async () => {
    const account = await w.activeAccount('Prime', 'Intervenant');
    const resource = await w.resource('PACS prime', 'pacs-prime');
    await w.habilitate(account.id, resource);
    const own = await w.approvedWindow([account.id], [resource], paris(weekdayAhead(3), '10:00'), paris(weekdayAhead(3), '11:00'));
    const sub = (await ctx.http.post('/v1/contractors').set(w.securityContact.auth)
      .send({ legalName: 'Sous-traitant SAS', siret: nextSiret(), address: 'Le Mans', primeContractorId: w.contractorId }).expect(201)).body.id;

    const ids = async (auth: Record<string, string>, query: Record<string, string>) =>
      (await ctx.http.get('/v1/interventions').query({ limit: 200, ...query }).set(auth).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(await ids(w.securityContact.auth, {})).toContain(own);
    expect(await ids(w.securityContact.auth, { contractorId: sub })).toEqual([]);
    expect(await ids(w.dsi.auth, { contractorId: sub })).toEqual([]);
    expect(await ids(w.securityContact.auth, { contractorId: w.contractorId })).toContain(own);
  });

  it('R-ART35 R-ART36 a departure takes the person out of future windows; a window left empty is cancelled', async () => {
    const a = await w.activeAccount('Iris', 'Noel');
    const b = await w.activeAccount('Hugo', 'Perrin');
    const srv = await w.resource('Server Departure', 'srv-departure');
    await w.habilitate(a.id, srv);
    await w.habilitate(b.id, srv);
    const solo = await w.approvedWindow([a.id], [srv], paris(4, '20:00'), paris(4, '21:00'));
    const shared = await w.approvedWindow([a.id, b.id], [srv], paris(4, '21:00'), paris(4, '22:00'));
    await ctx.http.post(`/v1/contractors/${w.contractorId}/departures`).set(w.securityContact.auth)
      .send({ firstName: 'Iris', lastName: 'Noel', effectiveOn: w.today() }).expect(201);
    expect((await ctx.http.get(`/v1/interventions/${solo}`).set(w.dsi.auth).expect(200)).body.status).toBe('cancelled');
    const kept = await ctx.http.get(`/v1/interventions/${shared}`).set(w.dsi.auth).expect(200);
    expect(kept.body).toMatchObject({ status: 'approved', accountIds: [b.id] });
  });
});
