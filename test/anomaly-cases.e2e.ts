import type { QueryRunner } from 'typeorm';
import { Role } from '@app/core';
import { ActiveAccount, SignedIn, TestContext, World } from '@app/testing';
import { AnomalyCases1763900000120 } from '../migrations/1763900000120-anomaly-cases';
import { describeApi } from './support/describe-api';
import { connectionEvent, correlateJournal, ingestEvents } from './support/journal';

interface Case {
  id: string;
  kinds: string[];
  severity: string;
  status: string;
  person: string | null;
  resourceName: string | null;
  contractorName: string | null;
  details: string[];
  assignee: { id: string; name: string } | null;
  closedBy: { id: string; name: string } | null;
  closeComment: string | null;
}

describeApi('R-ART41 the RSSI works the anomalies: one case per connection, severity, triage, and the journal searched', { env: { ACCESS_TOKEN_TTL_SECONDS: '3600' } }, (rig) => {
  const MINUTE = 60_000;
  const DAY = 24 * 60 * MINUTE;
  let ctx: TestContext;
  let w: World;
  let key: string;
  let rssi: SignedIn;
  let rssiId: string;
  let auditor: SignedIn;
  let pacs: string;
  let denis: ActiveAccount;
  let alice: ActiveAccount;

  const at = (offsetMs: number) => new Date(ctx.clock.now().getTime() + offsetMs);
  const event = connectionEvent;
  const ingest = (events: object[]) => ingestEvents(ctx, key, events);
  const correlate = () => correlateJournal(ctx);
  const caseOf = async (gatewayEventId: string): Promise<Case> => {
    const [row] = await ctx.query<{ id: string }>(
      `SELECT c.id FROM anomaly_cases c JOIN connection_events e ON e.id = c.event_id WHERE e.event_id = $1`, [gatewayEventId],
    );
    return (await ctx.http.get(`/v1/anomaly-cases/${row.id}`).set(rssi.auth).expect(200)).body;
  };

  beforeAll(async () => {
    ({ ctx } = rig);
    w = await World.build(ctx, rig.smtp, 'cases');
    key = await w.gatewayKey();
    const rssiUser = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] });
    rssiId = rssiUser.id;
    rssi = await ctx.signIn(rssiUser.email);
    auditor = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Auditor] })).email);
    pacs = await w.resource('PACS', 'pacs');
    alice = await w.activeAccount('Alice', 'Durand');
    await w.habilitate(alice.id, pacs);
    denis = await w.activeAccount('Denis', 'Lefort');
    await ctx.http.post(`/v1/accounts/${denis.id}/suspend`).set(w.dsi.auth).send({ reason: 'Poste compromis' }).expect(200);
    ctx.clock.advance(MINUTE);
    await ingest([
      // Suspended, no habilitation, no window: three anomalies, one connection.
      event('c-three', denis.email, 'pacs', at(0)),
      event('c-outside', alice.email, 'pacs', at(0)),
      event('c-typo', 'inconnu@ailleurs.test', 'pacs', at(0), { outcome: 'failure' }),
    ]);
    await correlate();
  });

  it('R-ART41 a connection with three anomalies is one case listing its kinds, with names, one severity and its details', async () => {
    const three = await caseOf('c-three');
    expect(three).toMatchObject({
      kinds: ['inactive_account', 'out_of_scope', 'outside_window'], severity: 'high', status: 'open', person: 'Denis Lefort',
      resourceName: 'PACS', assignee: null,
    });
    expect(three.contractorName).toEqual(expect.any(String));
    expect(three.details).toHaveLength(3);
    expect((await caseOf('c-outside')).severity).toBe('medium');
    expect(await caseOf('c-typo')).toMatchObject({ kinds: ['unknown_account'], severity: 'low' });
    // The anomalies stay one per kind for integrators, each tied to its case.
    const [{ n }] = await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM anomalies WHERE case_id = $1`, [three.id]);
    expect(n).toBe(3);

    const high = await ctx.http.get('/v1/anomaly-cases?severity=high').set(auditor.auth).expect(200);
    expect(high.body.items.map((c: Case) => c.id)).toEqual([three.id]);
    const byKind = await ctx.http.get('/v1/anomaly-cases?kind=outside_window').set(rssi.auth).expect(200);
    expect(byKind.body.items).toHaveLength(2);
    const counts = await ctx.http.get('/v1/anomaly-cases/counts').set(rssi.auth).expect(200);
    expect(counts.body).toEqual({ open: 3, acknowledged: 0, closed: 0 });
  });

  it('R-ART41 R-AUD acknowledge, assign, close with a comment and reopen: each audited, each refused from the wrong status', async () => {
    const c = await caseOf('c-outside');
    const ack = await ctx.http.post(`/v1/anomaly-cases/${c.id}/acknowledge`).set(rssi.auth).expect(200);
    expect(ack.body.status).toBe('acknowledged');
    const again = await ctx.http.post(`/v1/anomaly-cases/${c.id}/acknowledge`).set(rssi.auth).expect(409);
    expect(again.body).toMatchObject({ code: 'ANOMALY_TRANSITION', currentStatus: 'acknowledged' });

    const assignees = (await ctx.http.get('/v1/anomaly-cases/assignees').set(rssi.auth).expect(200)).body.items;
    expect(assignees.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([rssiId]));
    const dsi = assignees.find((a: { roles: string[] }) => a.roles.includes('dsi'));
    const assigned = await ctx.http.post(`/v1/anomaly-cases/${c.id}/assign`).set(rssi.auth).send({ assigneeId: dsi.id }).expect(200);
    expect(assigned.body.assignee).toEqual({ id: dsi.id, name: dsi.name });
    // A contractor's person or an auditor is not someone to assign.
    const notEligible = await ctx.http.post(`/v1/anomaly-cases/${c.id}/assign`).set(rssi.auth).send({ assigneeId: alice.id }).expect(422);
    expect(notEligible.body.code).toBe('ANOMALY_ASSIGNEE_NOT_ELIGIBLE');
    const mine = await ctx.http.get(`/v1/anomaly-cases?assigneeId=${dsi.id}`).set(w.dsi.auth).expect(200);
    expect(mine.body.items.map((x: Case) => x.id)).toEqual([c.id]);

    await ctx.http.post(`/v1/anomaly-cases/${c.id}/close`).set(w.dsi.auth).send({ comment: '' }).expect(400);
    const closed = await ctx.http.post(`/v1/anomaly-cases/${c.id}/close`).set(w.dsi.auth)
      .send({ comment: 'Intervention urgente confirmée par téléphone' }).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', closeComment: 'Intervention urgente confirmée par téléphone' });
    expect(closed.body.closedBy.name).toBe(dsi.name);
    await ctx.http.post(`/v1/anomaly-cases/${c.id}/assign`).set(rssi.auth).send({ assigneeId: rssiId }).expect(409);
    const reopened = await ctx.http.post(`/v1/anomaly-cases/${c.id}/reopen`).set(rssi.auth).send({ comment: 'Appel non confirmé' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'acknowledged', closedAt: null, closeComment: null });

    const trail = await ctx.http.get(`/v1/audit-events?targetType=anomaly&targetId=${c.id}`).set(auditor.auth).expect(200);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual([
      'anomaly.reopened', 'anomaly.closed', 'anomaly.assigned', 'anomaly.acknowledged',
    ]);
    expect(trail.body.items[1]).toMatchObject({
      // The company is named, so that its evidence pack carries the triage of its anomalies.
      before: { status: 'acknowledged', contractorId: w.contractorId, assigneeId: dsi.id, assignee: dsi.name },
      after: { status: 'closed', assigneeId: dsi.id, assignee: dsi.name, comment: 'Intervention urgente confirmée par téléphone' },
    });
    const counts = await ctx.http.get('/v1/anomaly-cases/counts?kind=outside_window').set(rssi.auth).expect(200);
    expect(counts.body).toEqual({ open: 1, acknowledged: 1, closed: 0 });
  });

  it('R-ART41 R-INT parallel acts on one case: exactly one wins, the others get 409 and one audit event is written', async () => {
    const c = await caseOf('c-typo');
    const acks = await Promise.all(Array.from({ length: 6 }, () => ctx.http.post(`/v1/anomaly-cases/${c.id}/acknowledge`).set(rssi.auth)));
    expect(acks.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const closes = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      ctx.http.post(`/v1/anomaly-cases/${c.id}/close`).set(i % 2 ? rssi.auth : w.dsi.auth).send({ comment: `Faute de frappe ${i}` })));
    expect(closes.filter((r) => r.status === 200)).toHaveLength(1);
    expect(closes.filter((r) => r.status === 409)).toHaveLength(5);
    const events = await ctx.query<{ action: string }>(`SELECT action FROM audit_events WHERE target_id = $1 ORDER BY seq`, [c.id]);
    expect(events.map((e) => e.action)).toEqual(['anomaly.acknowledged', 'anomaly.closed']);
  });

  it('R-ART41 roles and establishments: auditors read only, contractors see nothing, another establishment gets 404', async () => {
    const c = await caseOf('c-three');
    await ctx.http.post(`/v1/anomaly-cases/${c.id}/acknowledge`).set(auditor.auth).expect(403);
    await ctx.http.get('/v1/anomaly-cases').set(w.securityContact.auth).expect(403);
    await ctx.http.get('/v1/connections').set(w.securityContact.auth).expect(403);
    const other = await ctx.tenantWithDsi();
    await ctx.http.get(`/v1/anomaly-cases/${c.id}`).set(other.dsi.auth).expect(404);
    await ctx.http.post(`/v1/anomaly-cases/${c.id}/acknowledge`).set(other.dsi.auth).expect(404);
    expect((await ctx.http.get('/v1/anomaly-cases').set(other.dsi.auth).expect(200)).body.items).toEqual([]);
    expect((await ctx.http.get('/v1/connections').set(other.dsi.auth).expect(200)).body.items).toEqual([]);
    await ctx.http.post(`/v1/anomaly-cases/${c.id}/assign`).set(other.dsi.auth).send({ assigneeId: rssiId }).expect(404);
  });

  it('R-ART41 the journal is searched by person, company, resource and period, newest first, page by page, over 7 days by default', async () => {
    ctx.clock.advance(MINUTE);
    await ingest([event('old-1', alice.email, 'pacs', at(-10 * DAY)), event('recent-1', alice.email, 'pacs', at(-DAY), { recordingRef: 'rec://1' })]);
    const ids = (res: { body: { items: { eventId: string }[] } }) => res.body.items.map((e) => e.eventId);
    const byPerson = await ctx.http.get(`/v1/connections?accountId=${alice.id}`).set(auditor.auth).expect(200);
    expect(ids(byPerson)).toEqual(['c-outside', 'recent-1']);
    expect(byPerson.body.items[1]).toMatchObject({ person: 'Alice Durand', resourceName: 'PACS', recordingRef: 'rec://1', outcome: 'success' });
    const longer = await ctx.http.get(`/v1/connections?accountId=${alice.id}&from=${at(-30 * DAY).toISOString()}`).set(rssi.auth).expect(200);
    expect(ids(longer)).toEqual(['c-outside', 'recent-1', 'old-1']);
    const withTo = `&from=${at(-30 * DAY).toISOString()}&to=${at(MINUTE).toISOString()}`;
    const all = await ctx.http.get(`/v1/connections?resourceId=${pacs}${withTo}`).set(w.dsi.auth).expect(200);
    // The three connections of the same instant come first (in id order), then older ones.
    expect([...ids(all).slice(0, 3)].sort()).toEqual(['c-outside', 'c-three', 'c-typo']);
    expect(ids(all).slice(3)).toEqual(['recent-1', 'old-1']);
    const company = await ctx.http.get(`/v1/connections?contractorId=${w.contractorId}${withTo}`).set(w.dsi.auth).expect(200);
    expect(ids(company)).not.toContain('c-typo');
    const typo = await ctx.http.get(`/v1/connections?account=INCONNU@ailleurs.test`).set(rssi.auth).expect(200);
    expect(ids(typo)).toEqual(['c-typo']);

    const first = await ctx.http.get(`/v1/connections?resourceId=${pacs}&limit=2${withTo}`).set(rssi.auth).expect(200);
    const second = await ctx.http.get(`/v1/connections?resourceId=${pacs}&limit=2&cursor=${first.body.nextCursor}${withTo}`).set(rssi.auth).expect(200);
    expect([...ids(first), ...ids(second)]).toEqual(ids(all).slice(0, 4));

    const tooLong = await ctx.http.get(`/v1/connections?from=${at(-200 * DAY).toISOString()}`).set(rssi.auth).expect(400);
    expect(tooLong.body.code).toBe('JOURNAL_PERIOD_TOO_LONG');
    await ctx.http.get(`/v1/connections?from=${at(0).toISOString()}&to=${at(-DAY).toISOString()}`).set(rssi.auth).expect(400);
  });

  it('R-ART41 migration 120 groups the anomalies stored before it into one case per connection, so that nothing is lost', async () => {
    const migration = new AnomalyCases1763900000120();
    const runner = { query: (sql: string) => ctx.sql.query(sql) } as unknown as QueryRunner;
    const stored = await ctx.query<{ id: string }>(`SELECT id FROM anomalies WHERE tenant_id = $1`, [w.tenantId]);
    await migration.down(runner);
    // An anomaly whose journal entry is gone keeps a case of its own, under its own id.
    const [orphan] = await ctx.query<{ id: string }>(
      `INSERT INTO anomalies (tenant_id, kind, event_id, event_started_at, account_ref, detail, detected_at)
       VALUES ($1, 'unknown_account', NULL, $2, 'ancien@ailleurs.test', 'Compte inconnu', $2) RETURNING id`, [w.tenantId, at(-DAY)],
    );
    await migration.up(runner);

    const cases = await ctx.query<{ id: string; event_id: string | null; kinds: string[]; severity: number; status: string; n: number }>(
      `SELECT c.id, c.event_id, c.kinds, c.severity, c.status, (SELECT count(*)::int FROM anomalies a WHERE a.case_id = c.id) AS n
         FROM anomaly_cases c WHERE c.tenant_id = $1`, [w.tenantId],
    );
    expect(cases.reduce((sum, c) => sum + c.n, 0)).toBe(stored.length + 1);
    expect(await ctx.query(`SELECT id FROM anomalies WHERE case_id IS NULL`)).toEqual([]);
    expect(cases.find((c) => c.kinds.length === 3)).toMatchObject({ kinds: ['inactive_account', 'out_of_scope', 'outside_window'], severity: 3, status: 'open' });
    expect(cases.find((c) => c.id === orphan.id)).toMatchObject({ event_id: null, kinds: ['unknown_account'], severity: 3, n: 1 });
    expect((await caseOf('c-typo')).severity).toBe('low');
    expect((await caseOf('c-outside')).severity).toBe('medium');
    const listed = await ctx.http.get('/v1/anomaly-cases?limit=200').set(rssi.auth).expect(200);
    expect(listed.body.items).toHaveLength(cases.length);
  });
});
