import { localDate } from '@app/core';
import { World } from '@app/testing';
import { describeApi } from './support/describe-api';

/**
 * R-INT R-ART42 a report's deadline keeps the instant it was computed for. Stored as a date alone and
 * read in the establishment's current zone, a change of zone to the east made reports overdue at once
 * and refused every new window of the contractor.
 */
describeApi('R-INT R-ART42 report deadlines across a change of time zone', {}, (rig) => {
  const HOUR = 3_600_000;

  it('R-INT R-ART42 moving the establishment to another zone neither makes a report overdue early nor moves its due date', async () => {
    const { ctx, smtp } = rig;
    // 19:00 UTC: evening in Paris (after business hours, the report is due that day), already tomorrow in Kiritimati (UTC+14).
    const evening = new Date(ctx.clock.now().getTime() + 24 * HOUR);
    evening.setUTCHours(19, 0, 0, 0);
    await ctx.setClock(evening);
    const w = await World.build(ctx, smtp, 'zone');
    const account = await w.activeAccount('Zoe', 'Fuseau');
    const ris = await w.resource('RIS');
    await w.habilitate(account.id, ris);
    const request = (startsAt: Date) => ctx.http.post('/v1/interventions').set(w.securityContact.auth).send({
      contractorId: w.contractorId, accountIds: [account.id], resourceIds: [ris], startsAt, endsAt: new Date(startsAt.getTime() + HOUR),
      nature: 'Mise à jour', risks: 'Redémarrage', availabilityImpact: '10 minutes', changesSettings: false, changesData: false,
    });
    const first = (await request(new Date(evening.getTime() + 60_000)).expect(201)).body;
    await ctx.http.post(`/v1/interventions/${first.id}/approve`).set(w.dsi.auth).send({ overrideUsage: true }).expect(200);
    const dueOn = localDate(evening, 'Europe/Paris');
    expect(first).toMatchObject({ outsideBusinessHours: true, reportDueOn: dueOn });
    await ctx.advanceClock(2 * HOUR); // the window is over, its report due tonight, Paris time

    await ctx.http.patch('/v1/tenant/policy').set(w.dsi.auth).send({ businessHours: { timezone: 'Pacific/Kiritimati' } }).expect(200);
    expect(localDate(ctx.clock.now(), 'Pacific/Kiritimati') > dueOn).toBe(true);
    expect((await request(new Date(ctx.clock.now().getTime() + HOUR))).status).toBe(201);
    expect((await ctx.http.get(`/v1/interventions/${first.id}`).set(w.dsi.auth).expect(200)).body.reportDueOn).toBe(dueOn);

    // Past midnight in Paris, the zone the deadline was computed in: now it is overdue.
    await ctx.advanceClock(3 * HOUR);
    const refused = await request(new Date(ctx.clock.now().getTime() + HOUR)).expect(409);
    expect(refused.body).toMatchObject({ code: 'REPORT_OVERDUE', interventionIds: [first.id] });
  });
});
