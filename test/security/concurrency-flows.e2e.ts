import { BURST_TIMEOUT, concurrencyTests } from './concurrency-run';
import { SecurityWorld, useSecurityWorld } from './security-world';

describe('Concurrency suite from the OpenAPI document: windows, reviews, charters and companies (R-INT)', () => {
  let sw: SecurityWorld;
  useSecurityWorld({ others: false }, (started) => {
    sw = started;
  });

  concurrencyTests('flows', () => sw);

  it('R-INT R-ART35 a departure and the DSI\'s cancellations of the person\'s only window at once: the window is cancelled once', async () => {
    const { world: w, ctx } = sw;
    const person = await w.activeAccount('Remi', 'Depart');
    await w.habilitate(person.id, sw.references.resourceId);
    const startsAt = new Date(ctx.clock.now().getTime() + 5 * 86_400_000);
    const window = await w.approvedWindow([person.id], [sw.references.resourceId], startsAt, new Date(startsAt.getTime() + 3_600_000));
    const [departure, ...cancels] = await Promise.all([
      ctx.http.post(`/v1/contractors/${w.contractorId}/departures`).set(w.securityContact.auth)
        .send({ firstName: 'Remi', lastName: 'Depart', accountId: person.id, effectiveOn: w.today() }),
      ...Array.from({ length: 5 }, () => ctx.http.post(`/v1/interventions/${window}/cancel`).set(w.dsi.auth).send({ reason: 'Annulée par la DSI' })),
    ]);
    expect(departure.status).toBe(201);
    expect(cancels.filter((r) => r.status !== 200).map((r) => [r.status, r.body.currentStatus]))
      .toEqual(cancels.filter((r) => r.status !== 200).map(() => [409, 'cancelled']));
    expect(await ctx.query(`SELECT 1 FROM audit_events WHERE action = 'intervention.cancelled' AND target_id = $1`, [window])).toHaveLength(1);
  }, BURST_TIMEOUT);
});
