import { Role } from '@app/core';
import { eventually, REVIEW_STATEMENT, World } from '@app/testing';
import { describeApi } from './support/describe-api';

/**
 * R-INT R-ART34 a review item's last use is what happened: an allow about the present, by the time of
 * the certification. A gateway asking about a future instant (checking a window ahead) is a question,
 * not a use: counted, it put a "last use" after the certification into the evidence.
 */
describeApi('R-INT R-ART34 last use in access reviews', {}, (rig) => {
  const HOUR = 3_600_000;

  it('R-INT R-ART34 a decision asked about a future instant is not a use: the evidence never shows a use after the certification', async () => {
    const { ctx, smtp } = rig;
    const w = await World.build(ctx, smtp, 'lastuse');
    const key = await w.gatewayKey();
    const pacs = await w.resource('PACS');
    const alice = await w.activeAccount('Alice', 'Usage');
    await w.habilitate(alice.id, pacs);
    const now = ctx.clock.now();
    const at = (ms: number) => new Date(now.getTime() + ms);
    await w.approvedWindow([alice.id], [pacs], at(-HOUR), at(2 * HOUR));
    await w.approvedWindow([alice.id], [pacs], at(30 * 24 * HOUR), at(30 * 24 * HOUR + 2 * HOUR));
    const ask = (body: object) => ctx.http.post('/v1/access-decisions').set('X-Api-Key', key).send({ account: alice.id, resource: pacs, ...body }).expect(200);
    expect((await ask({})).body.decision).toBe('allow');
    expect((await ask({ at: at(30 * 24 * HOUR + HOUR).toISOString() })).body.decision).toBe('allow');
    await eventually(() => ctx.query(`SELECT 1 FROM access_decisions WHERE account_id = $1`, [alice.id]), (rows) => rows.length === 2);

    const rssi = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] })).email);
    const id = (await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201)).body.id;
    const review = (await ctx.http.get(`/v1/reviews/${id}`).set(w.securityContact.auth).expect(200)).body;
    const items = review.items.filter((i: { accountId: string }) => i.accountId === alice.id);
    expect(items.map((i: { kind: string; lastUsedAt: string }) => [i.kind, i.lastUsedAt]).sort())
      .toEqual([['account', now.toISOString()], ['habilitation', now.toISOString()]]);

    for (const item of review.items) await ctx.http.post(`/v1/reviews/${id}/items/${item.id}`).set(w.securityContact.auth).send({ decision: 'keep' }).expect(200);
    await ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(200);
    await ctx.http.post(`/v1/reviews/${id}/certify`).set(rssi.auth).expect(200);
    const evidence = (await ctx.http.get(`/v1/reviews/${id}/evidence`).set(rssi.auth).expect(200)).body;
    const rows = evidence.rows.filter((r: { person: string }) => r.person === 'Alice Usage');
    expect(rows.map((r: { lastUsedAt: string }) => r.lastUsedAt)).toEqual([now.toISOString(), now.toISOString()]);
    for (const r of rows) expect(r.lastUsedAt <= r.certifiedAt).toBe(true);
  });
});
