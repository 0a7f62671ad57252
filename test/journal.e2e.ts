import { JobName, Role } from '@app/core';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';

describeApi('R-ART41 connection journal: ingestion, retention, seals', { world: 'journal' }, (rig) => {
  let key: string;
  const day = 86_400_000;
  const ingest = (body: unknown, contentType = 'application/json') =>
    rig.ctx.http.post('/v1/connection-events').set('X-Api-Key', key).set('content-type', contentType)
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  const event = (eventId: string, startedAt: Date, extra: object = {}) => ({
    eventId, account: 'jean.martin@contractor.test', resource: 'pacs-journal', sourceIp: '192.0.2.10',
    startedAt: startedAt.toISOString(), endedAt: new Date(startedAt.getTime() + 600_000).toISOString(), outcome: 'success', ...extra,
  });

  beforeAll(async () => {
    key = await rig.w.gatewayKey();
  });

  it('R-ART41 a batch with duplicates and bad lines keeps every good event, once', async () => {
    const { ctx } = rig;
    const now = ctx.clock.now();
    const first = await ingest([event('e-1', now), event('e-2', now), event('e-1', now)]).expect(200);
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: [] });
    const ndjson = [
      JSON.stringify(event('e-2', now)),
      'this is not json',
      JSON.stringify(event('e-3', now, { outcome: 'maybe' })),
      JSON.stringify(event('e-4', now, { sourceIp: '10.1.2.3' })),
      JSON.stringify(event('e-5', new Date(now.getTime() + 3600_000))),
    ].join('\n');
    const second = await ingest(ndjson, 'application/x-ndjson').expect(200);
    expect(second.body.accepted).toBe(1);
    expect(second.body.duplicates).toBe(1);
    expect(second.body.rejected).toEqual([
      { index: 1, error: 'the line is not valid JSON' },
      { index: 2, error: 'outcome must be success or failure' },
      { index: 4, error: 'startedAt is in the future' },
    ]);
    const stored = await ctx.query<{ event_id: string; source_ip: string }>(`SELECT event_id, host(source_ip) AS source_ip FROM connection_events ORDER BY event_id`);
    expect(stored.map((r) => r.event_id)).toEqual(['e-1', 'e-2', 'e-4']);
    expect(stored[2].source_ip).toBe('10.1.2.3');
  });

  it('R-ART41 malformed bodies, oversized batches and wrong credentials are clear 4xx', async () => {
    const { ctx, w } = rig;
    await ingest('{"not": "an array"}').expect(400);
    await ingest('[{"eventId": ').expect(400);
    const tooMany = Array.from({ length: 5001 }, (_, i) => event(`big-${i}`, ctx.clock.now()));
    const big = await ingest(tooMany).expect(400);
    expect(big.body.errors[0].field).toBe('events');
    const decisionsOnly = (await ctx.http.post('/v1/api-keys').set(w.dsi.auth).send({ name: 'decisions only', scopes: ['decisions'] }).expect(201)).body.key;
    await ctx.http.post('/v1/connection-events').set('X-Api-Key', decisionsOnly).send([]).expect(403);
    await ctx.http.post('/v1/connection-events').send([]).expect(401);
  });

  it('R-ART41 retention keeps the day before 18 months and removes what is older, decision log included; partitions are dropped whole', async () => {
    const { ctx, w } = rig;
    const now = ctx.clock.now();
    const months = (n: number) => { const d = new Date(now); d.setUTCMonth(d.getUTCMonth() - n); return d; };
    const kept = new Date(months(18).getTime() + day);
    const purged = new Date(months(18).getTime() - day);
    const ancient = months(17);
    ancient.setUTCMonth(ancient.getUTCMonth() - 3);
    // Ingested while the clock was younger: events are refused once older than the retention.
    ctx.clock.set(months(3));
    await ingest([event('old-kept', kept), event('old-purged', purged), event('ancient', ancient)]).expect(200);
    ctx.clock.set(now);
    const refused = await ingest([event('too-old', purged)]).expect(200);
    expect(refused.body.rejected[0].error).toContain('older than the 18-month retention');

    // The gateways' decision log leaves with the same retention.
    for (const [ref, at] of [['decision-kept', kept], ['decision-purged', purged]] as const) {
      await ctx.query(`INSERT INTO access_decisions (tenant_id, decided_at, at, account_ref, resource_ref, decision, reasons)
                       VALUES ($1, $2, $2, $3, 'pacs', 'deny', '{NO_APPROVED_WINDOW}')`, [w.tenantId, at, ref]);
    }

    await ctx.worker!.get(JobRegistry).dispatch(JobName.JournalMaintenance, {}, { attempt: 1 });
    const left = await ctx.query<{ event_id: string }>(`SELECT event_id FROM connection_events WHERE event_id LIKE 'old-%' OR event_id = 'ancient'`);
    expect(left.map((r) => r.event_id)).toEqual(['old-kept']);
    const decisions = await ctx.query<{ account_ref: string }>(`SELECT account_ref FROM access_decisions WHERE account_ref LIKE 'decision-%'`);
    expect(decisions.map((r) => r.account_ref)).toEqual(['decision-kept']);
    const ancientMonth = ancient.toISOString().slice(0, 7).replace('-', 'm');
    const partitions = await ctx.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relname = $1`, [`connection_events_y${ancientMonth}`]);
    expect(partitions).toHaveLength(0);
    const audit = await ctx.query(`SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = 'journal.retention_purged'`, [w.tenantId]);
    expect(audit.length).toBeGreaterThan(0);
    // The purged batches keep their seal: the chain still verifies.
    const verify = await ctx.http.get('/v1/connection-events/verify').set(w.dsi.auth).expect(200);
    expect(verify.body.ok).toBe(true);
  });

  it('R-ART41 R-AUD the seal detects a row changed with plain SQL', async () => {
    const { ctx, w } = rig;
    await ingest([event('seal-1', ctx.clock.now()), event('seal-2', ctx.clock.now())]).expect(200);
    expect((await ctx.http.get('/v1/connection-events/verify').set(w.dsi.auth).expect(200)).body.ok).toBe(true);
    const [row] = await ctx.query<{ batch_id: string }>(`SELECT batch_id FROM connection_events WHERE event_id = 'seal-2'`);
    await ctx.query(`UPDATE connection_events SET source_ip = '203.0.113.66' WHERE event_id = 'seal-2'`);
    const broken = await ctx.http.get('/v1/connection-events/verify').set(w.dsi.auth).expect(200);
    expect(broken.body).toMatchObject({ ok: false, firstBrokenBatchId: row.batch_id });
  });

  it('R-ART41 R-ART16-27 nothing younger than the retention is deleted except under a log-deletion derogation', async () => {
    const { ctx, w } = rig;
    await ingest([event('derog-1', ctx.clock.now())]).expect(200);
    const range = { from: new Date(ctx.clock.now().getTime() - day), to: new Date(ctx.clock.now().getTime() + day), reason: 'Données erronées' };
    const refused = await ctx.http.post('/v1/connection-events/purge').set(w.dsi.auth).send({ ...range, derogationId: '00000000-0000-4000-8000-000000000000' }).expect(409);
    expect(refused.body.code).toBe('DEROGATION_REQUIRED');
    const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] });
    await ctx.http.post('/v1/connection-events/purge').set((await ctx.signIn(rssi.email)).auth).send({ ...range, derogationId: '00000000-0000-4000-8000-000000000000' }).expect(403);
    const derogation = await ctx.http.post('/v1/derogations').set(w.dsi.auth).send({
      kind: 'log_deletion', scope: 'Journal du bastion, événements de test', justification: 'Événements injectés par erreur',
      validFrom: new Date(ctx.clock.now().getTime() - 60_000), validUntil: new Date(ctx.clock.now().getTime() + day),
    }).expect(201);
    const done = await ctx.http.post('/v1/connection-events/purge').set(w.dsi.auth).send({ ...range, derogationId: derogation.body.id }).expect(200);
    expect(done.body.deleted).toBeGreaterThan(0);
    expect(await ctx.query(`SELECT 1 FROM connection_events WHERE event_id = 'derog-1'`)).toHaveLength(0);
    expect(await ctx.query(`SELECT 1 FROM audit_events WHERE action = 'journal.deleted_under_derogation' AND target_id = $1`, [derogation.body.id])).toHaveLength(1);
    expect((await ctx.http.get('/v1/connection-events/verify').set(w.dsi.auth).expect(200)).body.ok).toBe(true);
  });
});
