import { describeApi } from './support/describe-api';

type Session = { eventId: string; endedAt: string | null; outcome: string; recordingRef: string | null; batchId: string };

describeApi('R-GW R-ART41 R-ART44 a session reported at its opening and at its close', { world: 'journal' }, (rig) => {
  let key: string;
  const ingest = (body: unknown[]) => rig.ctx.http.post('/v1/connection-events').set('X-Api-Key', key).send(body).expect(200);
  const opening = (eventId: string, startedAt: Date) => ({
    eventId, account: 'jean.martin@contractor.test', resource: 'pacs-journal', sourceIp: '192.0.2.10', startedAt: startedAt.toISOString(),
    outcome: 'success',
  });
  const closing = (eventId: string, startedAt: Date, minutes = 25) => ({
    ...opening(eventId, startedAt), endedAt: new Date(startedAt.getTime() + minutes * 60_000).toISOString(),
    recordingRef: `rec/${eventId}.cast`,
  });
  const rows = (prefix: string) => rig.ctx.query<{ event_id: string; n: number; completions: number }>(
    `SELECT event_id, count(*)::int AS n, count(completes)::int AS completions FROM connection_events
      WHERE event_id LIKE $1 GROUP BY event_id ORDER BY event_id`, [`${prefix}%`],
  );
  /** The sessions as an RSSI's export reads them (JSON). */
  async function exported(prefix: string): Promise<Session[]> {
    const { ctx, w } = rig;
    const from = new Date(ctx.clock.now().getTime() - 86_400_000).toISOString();
    const created = await ctx.http.post('/v1/connection-exports').set(w.dsi.auth)
      .send({ from, to: new Date(ctx.clock.now().getTime() + 60_000).toISOString(), reason: 'Contrôle des sessions', format: 'json' })
      .expect(201);
    const file = await ctx.http.get(`/v1/connection-exports/${created.body.id}/download`).set(w.dsi.auth).buffer(true)
      .parse((res, done) => { let s = ''; res.on('data', (c: Buffer) => (s += c)); res.on('end', () => done(null, s)); }).expect(200);
    return (JSON.parse(file.body as string) as Session[]).filter((s) => s.eventId.startsWith(prefix));
  }
  const verified = async () => (await rig.ctx.http.get('/v1/connection-events/verify').set(rig.w.dsi.auth).expect(200)).body.ok;

  beforeAll(async () => {
    key = await rig.w.gatewayKey();
  });

  it('R-GW R-ART44 the close completes the stored opening, once, whichever report is repeated; the chain verifies', async () => {
    const start = new Date(rig.ctx.clock.now().getTime() - 30 * 60_000);
    expect((await ingest([opening('two-1', start)])).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await ingest([opening('two-1', start)])).body).toMatchObject({ accepted: 0, duplicates: 1 });
    const close = await ingest([closing('two-1', start)]);
    expect(close.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await ingest([closing('two-1', start), opening('two-1', start)])).body).toMatchObject({ accepted: 0, duplicates: 2 });
    // A close reported for a session the gateway already reported closed is a repeat too.
    expect((await ingest([closing('two-1', start, 40)])).body).toMatchObject({ accepted: 0, duplicates: 1 });

    expect(await rows('two-')).toEqual([{ event_id: 'two-1', n: 2, completions: 1 }]);
    const [session] = await exported('two-');
    expect(session).toMatchObject({
      eventId: 'two-1', endedAt: new Date(start.getTime() + 25 * 60_000).toISOString(), outcome: 'success', recordingRef: 'rec/two-1.cast',
    });
    expect(await exported('two-')).toHaveLength(1);
    expect(await verified()).toBe(true);
    // The completion is sealed: changed with plain SQL, its batch no longer verifies.
    await rig.ctx.query(`UPDATE connection_events SET recording_ref = 'rec/forged.cast' WHERE event_id = 'two-1' AND completes IS NOT NULL`);
    const broken = await rig.ctx.http.get('/v1/connection-events/verify').set(rig.w.dsi.auth).expect(200);
    expect(broken.body).toMatchObject({ ok: false, firstBrokenBatchId: close.body.batchId });
    await rig.ctx.query(`UPDATE connection_events SET recording_ref = 'rec/two-1.cast' WHERE event_id = 'two-1' AND completes IS NOT NULL`);
    expect(await verified()).toBe(true);
  });

  it('R-GW an opening and its close in one batch, or the close alone, store one complete session', async () => {
    const start = new Date(rig.ctx.clock.now().getTime() - 20 * 60_000);
    expect((await ingest([opening('one-1', start), closing('one-1', start)])).body).toMatchObject({ accepted: 1, duplicates: 1 });
    expect((await ingest([closing('one-2', start)])).body).toMatchObject({ accepted: 1 });
    expect((await ingest([opening('one-2', start)])).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await rows('one-')).toEqual([{ event_id: 'one-1', n: 1, completions: 0 }, { event_id: 'one-2', n: 1, completions: 0 }]);
    const sessions = await exported('one-');
    // Same start: the export's order between them is their row ids'.
    expect(sessions.map((s) => [s.eventId, s.recordingRef]).sort()).toEqual([['one-1', 'rec/one-1.cast'], ['one-2', 'rec/one-2.cast']]);
  });

  it('R-GW R-ART41 openings, closes and their repeats sent in parallel leave one complete session each', async () => {
    const start = new Date(rig.ctx.clock.now().getTime() - 10 * 60_000);
    const ids = Array.from({ length: 12 }, (_, i) => `par-${String(i).padStart(2, '0')}`);
    const reports = ids.flatMap((id) => [opening(id, start), closing(id, start), opening(id, start), closing(id, start)]);
    // Every report in its own request, all at once, in an order that puts some closes before their openings.
    const order = reports.map((r, i) => ({ r, k: (i * 7) % reports.length })).sort((a, b) => a.k - b.k).map((x) => x.r);
    const answers = await Promise.all(order.map((r) => ingest([r])));
    const accepted = answers.reduce((n, a) => n + (a.body.accepted as number), 0);
    const stored = await rows('par-');
    expect(stored.map((r) => r.event_id)).toEqual(ids);
    for (const r of stored) expect(r.n - r.completions).toBe(1);
    expect(accepted).toBe(stored.reduce((n, r) => n + r.n, 0));
    const sessions = await exported('par-');
    expect(sessions).toHaveLength(ids.length);
    for (const s of sessions) expect(s).toMatchObject({ endedAt: closing(s.eventId, start).endedAt, recordingRef: `rec/${s.eventId}.cast` });
    expect(await verified()).toBe(true);
  });
});
