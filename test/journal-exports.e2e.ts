import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Role } from '@app/core';
import { EXPORT_COLUMNS } from '@app/journal';
import { eventually, nextSiret, SignedIn, SmtpReceiver, TestContext, World } from '@app/testing';
import type { Response } from 'supertest';
import { describeApi } from './support/describe-api';

type Cells = Record<string, string>;

/** RFC 4180 read back independently of the writer: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field); records.push(record); record = []; field = ''; i++;
    } else field += c;
  }
  if (field || record.length) throw new Error('the CSV does not end with CRLF');
  return records;
}

function csvObjects(text: string): Cells[] {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual([...EXPORT_COLUMNS]);
  for (const r of rows) expect(r).toHaveLength(EXPORT_COLUMNS.length);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** The problem+json contract for bad input. */
function expectProblem(res: Response, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
}

interface Sent {
  eventId: string;
  account: string;
  resource: string;
  sourceIp?: string;
  startedAt: string;
  endedAt?: string;
  outcome: 'success' | 'failure';
  recordingRef?: string;
}

describeApi('R-ART41 connection journal exports (Art. 41)', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;
  let key: string;
  let rssi: SignedIn;
  const accounts: Record<'a1' | 'a2' | 'b1', { id: string; email: string; contractorId: string }> = {} as never;
  let otherContractorId: string;
  let pacsId: string;
  let base: Date;
  const sent: Sent[] = [];
  const BULK = 6000;
  const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000).toISOString();

  const ingest = (events: Sent[]) => ctx.http.post('/v1/connection-events').set('X-Api-Key', key).send(events).expect(200);
  const requestExport = (who: SignedIn, body: object) => ctx.http.post('/v1/connection-exports').set(who.auth).send(body);
  const download = (who: SignedIn, id: string) => ctx.http.get(`/v1/connection-exports/${id}/download`).set(who.auth);
  const stored = () => ctx.query<Record<string, string | Date | null>>(
    `SELECT event_id, account_id, contractor_id, resource_id, host(source_ip) AS source_ip, intervention_id, batch_id, ingested_at
       FROM connection_events WHERE tenant_id = $1`, [w.tenantId],
  );

  /** What an export line must hold for an event that was sent, from the request and the database. */
  async function expected(events: Sent[], csv: boolean): Promise<Cells[]> {
    const rows = new Map((await stored()).map((r) => [r.event_id as string, r]));
    const cell = (v: string | null | undefined) => (v === undefined || v === null ? (csv ? '' : null) : csv && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    return [...events].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).map((e) => {
      const db = rows.get(e.eventId)!;
      expect(db).toBeDefined();
      return {
        eventId: cell(e.eventId), account: cell(e.account), accountId: cell(db.account_id as string | null),
        contractorId: cell(db.contractor_id as string | null), resource: cell(e.resource), resourceId: cell(db.resource_id as string | null),
        sourceIp: cell(e.sourceIp), startedAt: new Date(e.startedAt).toISOString(), endedAt: cell(e.endedAt && new Date(e.endedAt).toISOString()),
        outcome: e.outcome, recordingRef: cell(e.recordingRef), interventionId: cell(db.intervention_id as string | null),
        batchId: db.batch_id as string, ingestedAt: (db.ingested_at as Date).toISOString(),
      } as Cells;
    });
  }

  /** Rows with the same start may come in any order of their ids: compare on the event id within the time order. */
  const byTimeThenId = (rows: Cells[]) => [...rows].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.eventId.localeCompare(b.eventId));

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    w = await World.build(ctx, smtp, 'exports');
    key = await w.gatewayKey();
    rssi = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] })).email);
    pacsId = await w.resource('PACS', 'pacs');
    otherContractorId = (await ctx.http.post('/v1/contractors').set(w.dsi.auth)
      .send({ legalName: 'Autre Maintenance SAS', siret: nextSiret(), address: 'Laval' }).expect(201)).body.id;
    const account = async (contractorId: string, first: string) => {
      const email = `${first}.exports@contractor.test`;
      const created = await ctx.http.post(`/v1/contractors/${contractorId}/accounts`).set(w.dsi.auth)
        .send({ firstName: first, lastName: 'Export', email, phone: '+33 6 00 00 00 00' }).expect(201);
      return { id: created.body.id as string, email, contractorId };
    };
    accounts.a1 = await account(w.contractorId, 'anne');
    accounts.a2 = await account(w.contractorId, 'bruno');
    accounts.b1 = await account(otherContractorId, 'chloe');

    base = new Date(ctx.clock.now().getTime() - 30 * 86_400_000);
    base.setUTCSeconds(0, 0);
    // Hand-made events, one every 10 minutes, covering every kind of value an export must carry back.
    const detailed: Sent[] = [
      { eventId: 'd-01', account: accounts.a1.email, resource: 'pacs', sourceIp: '192.0.2.10', startedAt: at(0), endedAt: at(30), outcome: 'success', recordingRef: 'rec/d-01.cast' },
      { eventId: 'd-02', account: accounts.a2.email.toUpperCase(), resource: 'pacs', sourceIp: '2001:db8::17', startedAt: at(10), outcome: 'failure' },
      { eventId: 'd-03', account: accounts.b1.id, resource: 'unknown-app', sourceIp: '198.51.100.7', startedAt: at(20), endedAt: at(21), outcome: 'success' },
      { eventId: 'd-04', account: '=HYPERLINK("http://evil.test","clic")', resource: '+cmd|calc', startedAt: at(30), outcome: 'failure', recordingRef: '@SUM(1+1)' },
      { eventId: 'd-05', account: accounts.a1.email, resource: 'pacs', sourceIp: '192.0.2.10', startedAt: at(40), outcome: 'success', recordingRef: 'enregistrement "session", partie 1\r\nsuite' },
      { eventId: 'd-06', account: accounts.a2.email, resource: '-rm', startedAt: at(50), endedAt: at(55), outcome: 'success' },
      { eventId: 'd-07', account: accounts.b1.email, resource: 'pacs', startedAt: at(60), outcome: 'success' },
      { eventId: 'd-08', account: accounts.a1.email, resource: 'pacs', startedAt: at(70), outcome: 'failure', recordingRef: 'sans accent: élève, ünïcode ✓' },
    ];
    sent.push(...detailed);
    await ingest(detailed);
    // Bulk events a day later, seven per second (ties on the start across page boundaries), in two batches.
    const bulk: Sent[] = Array.from({ length: BULK }, (_, i) => ({
      eventId: `bulk-${String(i).padStart(5, '0')}`, account: [accounts.a1.email, accounts.a2.email, accounts.b1.email, 'inconnu@ailleurs.test'][i % 4],
      resource: 'pacs', sourceIp: '10.0.0.1', startedAt: new Date(base.getTime() + 86_400_000 + Math.floor(i / 7) * 1000).toISOString(), outcome: 'success',
    }));
    sent.push(...bulk);
    await ingest(bulk.slice(0, 3000));
    await ingest(bulk.slice(3000));
  });

  it('R-ART41 only the DSI and the RSSI request an export; only its requester downloads it (others 404)', async () => {
    const body = { from: at(0), to: at(120), reason: 'Contrôle trimestriel des accès', format: 'csv' };
    for (const role of [Role.Referent, Role.Auditor]) {
      const person = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [role] })).email);
      expectProblem(await requestExport(person, body), 403);
    }
    expectProblem(await requestExport(w.securityContact, body), 403);
    expect(await ctx.query(`SELECT 1 FROM connection_exports`)).toHaveLength(0);

    const mine = await requestExport(w.dsi, body).expect(201);
    expect(mine.body).toMatchObject({ requestedBy: w.dsi.userId, reason: body.reason, format: 'csv', downloads: 0, from: body.from, to: body.to });
    const otherDsi = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Dsi] })).email);
    expectProblem(await download(otherDsi, mine.body.id), 404);
    expectProblem(await download(rssi, mine.body.id), 404);
    const elsewhere = await ctx.tenantWithDsi();
    expectProblem(await download(elsewhere.dsi, mine.body.id), 404);
    const auditor = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Auditor] })).email);
    expectProblem(await download(auditor, mine.body.id), 403);
    expectProblem(await download(w.dsi, '00000000-0000-4000-8000-000000000000'), 404);
    const [row] = await ctx.query<{ downloads: number }>(`SELECT downloads FROM connection_exports WHERE id = $1`, [mine.body.id]);
    expect(row.downloads).toBe(0);

    const byRssi = await requestExport(rssi, { ...body, format: 'json' }).expect(201);
    await download(rssi, byRssi.body.id).expect(200);
    await download(w.dsi, mine.body.id).expect(200);
  });

  it('R-ART41 the CSV export holds what was ingested, field by field, and filters by period, contractor and account', async () => {
    const detailed = sent.filter((e) => e.eventId.startsWith('d-'));
    const csvOf = async (filter: object) => {
      const created = await requestExport(rssi, { reason: 'Enquête incident 2026-114', format: 'csv', ...filter }).expect(201);
      const res = await download(rssi, created.body.id).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="connection-journal-\d{8}-\d{8}-[0-9a-f]{8}\.csv"$/);
      expect(res.headers['transfer-encoding']).toBe('chunked');
      return csvObjects(res.text);
    };

    // The period of the hand-made events: every field comes back as sent (formulas neutralised, quotes and line breaks kept).
    const all = await csvOf({ from: at(0), to: at(120) });
    expect(all).toEqual(await expected(detailed, true));
    const formula = all.find((r) => r.eventId === 'd-04')!;
    expect([formula.account, formula.resource, formula.recordingRef]).toEqual(['\'=HYPERLINK("http://evil.test","clic")', "'+cmd|calc", "'@SUM(1+1)"]);
    expect(all.find((r) => r.eventId === 'd-05')!.recordingRef).toBe('enregistrement "session", partie 1\r\nsuite');
    expect(all.find((r) => r.eventId === 'd-01')).toMatchObject({ accountId: accounts.a1.id, contractorId: w.contractorId, resourceId: pacsId });
    expect(all.find((r) => r.eventId === 'd-03')).toMatchObject({ accountId: accounts.b1.id, contractorId: otherContractorId, resourceId: '' });

    // Period: from inclusive, to exclusive.
    const period = await csvOf({ from: at(10), to: at(40) });
    expect(period).toEqual(await expected(detailed.filter((e) => e.startedAt >= at(10) && e.startedAt < at(40)), true));
    expect(period.map((r) => r.eventId)).toEqual(['d-02', 'd-03', 'd-04']);

    // Contractor: its accounts only (another company's and unknown accounts left out).
    const contractor = await csvOf({ from: at(0), to: at(120), contractorId: w.contractorId });
    expect(contractor.map((r) => r.eventId)).toEqual(['d-01', 'd-02', 'd-05', 'd-06', 'd-08']);
    expect(contractor).toEqual(await expected(detailed.filter((e) => ['d-01', 'd-02', 'd-05', 'd-06', 'd-08'].includes(e.eventId)), true));

    // Account (by id, whatever reference the gateway used: e-mail in capitals, id...).
    const account = await csvOf({ from: at(0), to: at(120), accountId: accounts.a2.id });
    expect(account.map((r) => r.eventId)).toEqual(['d-02', 'd-06']);
    const both = await csvOf({ from: at(0), to: at(120), contractorId: otherContractorId, accountId: accounts.b1.id });
    expect(both.map((r) => r.eventId)).toEqual(['d-03', 'd-07']);
    expect(await csvOf({ from: at(0), to: at(120), contractorId: otherContractorId, accountId: accounts.a1.id })).toEqual([]);
  });

  it('R-ART41 a large export is read in keyset pages: every event once, in time order, also across equal start times', async () => {
    const bulk = sent.filter((e) => e.eventId.startsWith('bulk-'));
    const from = new Date(base.getTime() + 86_400_000).toISOString();
    const to = new Date(base.getTime() + 2 * 86_400_000).toISOString();
    const created = await requestExport(w.dsi, { from, to, reason: 'Archive mensuelle', format: 'csv' }).expect(201);
    const rows = csvObjects((await download(w.dsi, created.body.id).expect(200)).text);
    expect(rows).toHaveLength(BULK);
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(BULK);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].startedAt <= rows[i].startedAt).toBe(true);
    expect(byTimeThenId(rows)).toEqual(byTimeThenId(await expected(bulk, true)));

    const filtered = await requestExport(w.dsi, { from, to, reason: 'Archive mensuelle', format: 'csv', accountId: accounts.a2.id }).expect(201);
    const mine = csvObjects((await download(w.dsi, filtered.body.id).expect(200)).text);
    expect(mine.map((r) => r.eventId).sort()).toEqual(bulk.filter((_, i) => i % 4 === 1).map((e) => e.eventId));
  });

  it('R-ART41 a download dropped half-way holds no database connection, and the next download is whole', async () => {
    const from = new Date(base.getTime() + 86_400_000).toISOString();
    const to = new Date(base.getTime() + 2 * 86_400_000).toISOString();
    const created = await requestExport(w.dsi, { from, to, reason: 'Archive mensuelle', format: 'csv' }).expect(201);
    const server = ctx.api.getHttpServer();
    if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    const { port } = server.address() as AddressInfo;
    // The first bytes of two pages of events, then the client hangs up.
    const first = await new Promise<Buffer>((done, fail) => {
      const req = get({ host: '127.0.0.1', port, path: `/v1/connection-exports/${created.body.id}/download`, headers: w.dsi.auth }, (res) => {
        res.once('data', (chunk: Buffer) => {
          req.destroy();
          done(chunk);
        });
      });
      req.on('error', (error) => (req.destroyed ? undefined : fail(error)));
    });
    expect(first.toString('utf8', 0, 8)).toBe('eventId,');
    const copying = () => ctx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND query LIKE 'COPY%'`);
    await eventually(copying, ([row]) => row.n === 0, 5000);
    expect(csvObjects((await download(w.dsi, created.body.id).expect(200)).text)).toHaveLength(BULK);
  });

  it('R-ART41 the JSON export is a streamed array of the same events', async () => {
    const detailed = sent.filter((e) => e.eventId.startsWith('d-'));
    const created = await requestExport(rssi, { from: at(0), to: at(120), reason: 'Demande de la direction', format: 'json' }).expect(201);
    const res = await download(rssi, created.body.id).expect(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="connection-journal-\d{8}-\d{8}-[0-9a-f]{8}\.json"$/);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.body).toEqual(await expected(detailed, false));
    expect(res.body.find((r: Cells) => r.eventId === 'd-04').account).toBe('=HYPERLINK("http://evil.test","clic")');

    const empty = await requestExport(rssi, { from: at(-120), to: at(-60), reason: 'Rien à voir', format: 'json' }).expect(201);
    expect((await download(rssi, empty.body.id).expect(200)).body).toEqual([]);
  });

  it('R-ART41 R-AUD the request (who, why, range, filters) and each download are in the audit trail', async () => {
    const body = { from: at(0), to: at(60), contractorId: w.contractorId, reason: 'Réquisition judiciaire n° 42', format: 'csv' };
    const created = await requestExport(rssi, body).expect(201);
    await download(rssi, created.body.id).expect(200);
    await download(rssi, created.body.id).expect(200);

    const [row] = await ctx.query<Record<string, unknown>>(`SELECT * FROM connection_exports WHERE id = $1`, [created.body.id]);
    expect(row).toMatchObject({ requested_by: rssi.userId, reason: body.reason, contractor_id: w.contractorId, account_id: null, format: 'csv', downloads: 2 });
    expect((row.range_from as Date).toISOString()).toBe(body.from);

    const auditor = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Auditor] })).email);
    const audit = (action: string) => ctx.http.get('/v1/audit-events').query({ action, targetId: created.body.id }).set(auditor.auth).expect(200);
    const requested = (await audit('journal.export_requested')).body.items;
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({
      actor: { type: 'user', id: rssi.userId }, target: { type: 'connection_export', id: created.body.id },
      after: { reason: body.reason, from: body.from, to: body.to, contractorId: w.contractorId, accountId: null, format: 'csv' },
    });
    const downloads = (await audit('journal.export_downloaded')).body.items;
    expect(downloads.map((e: { after: { downloads: number } }) => e.after.downloads).sort()).toEqual([1, 2]);
    expect(downloads.every((e: { actor: { id: string } }) => e.actor.id === rssi.userId)).toBe(true);
    expect((await ctx.http.get('/v1/audit-events/verify').set(auditor.auth).expect(200)).body.ok).toBe(true);
  });

  it('R-ART41 issue 16: the file is named by the establishment\'s days (Europe/Paris), not by UTC\'s', async () => {
    // 00:30 in Paris on 1 April and on 1 May: still 31 March and 30 April in UTC.
    const body = { from: '2026-03-31T22:30:00Z', to: '2026-04-30T22:30:00Z', reason: 'Contrôle du nommage', format: 'csv' };
    const created = await requestExport(rssi, body).expect(201);
    const res = await download(rssi, created.body.id).expect(200);
    expect(res.headers['content-disposition']).toContain(`filename="connection-journal-20260401-20260501-${created.body.id.slice(0, 8)}.csv"`);
  });

  it('R-ART41 bad export requests are a 400 problem+json naming the field, and nothing is stored', async () => {
    const before = (await ctx.query(`SELECT 1 FROM connection_exports`)).length;
    const good = { from: at(0), to: at(60), reason: 'Contrôle', format: 'csv' };
    const cases: [object, string][] = [
      [{ ...good, to: good.from }, 'to'],
      [{ ...good, to: at(-10) }, 'to'],
      [{ ...good, format: 'xml' }, 'format'],
      [{ ...good, reason: undefined }, 'reason'],
      [{ ...good, reason: 'x' }, 'reason'],
      [{ ...good, from: 'yesterday' }, 'from'],
      [{ ...good, to: '+275760-09-13T00:00:00.000Z' }, 'to'],
      [{ ...good, from: undefined }, 'from'],
      [{ ...good, contractorId: 'acme' }, 'contractorId'],
      [{ ...good, accountId: 42 }, 'accountId'],
      [{ ...good, tenantId: w.tenantId }, 'tenantId'],
    ];
    for (const [body, field] of cases) {
      const res = await requestExport(w.dsi, body);
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    for (const raw of ['{"from": ', '[]', 'null', '"csv"']) {
      expectProblem(await ctx.http.post('/v1/connection-exports').set(w.dsi.auth).set('content-type', 'application/json').send(raw), 400);
    }
    const text = await ctx.http.post('/v1/connection-exports').set(w.dsi.auth).set('content-type', 'text/plain').send('from=now');
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    expect(text.headers['content-type']).toContain('application/problem+json');
    // Another tenant's contractor is not found, like any other of its objects.
    const elsewhere = await ctx.tenantWithDsi();
    const theirs = (await ctx.http.post('/v1/contractors').set(elsewhere.dsi.auth).send({ legalName: 'Ailleurs SAS', siret: nextSiret(), address: 'Nantes' }).expect(201)).body.id;
    expectProblem(await requestExport(w.dsi, { ...good, contractorId: theirs }), 404);
    expectProblem(await requestExport(w.dsi, { ...good, accountId: '00000000-0000-4000-8000-000000000000' }), 404);
    expectProblem(await download(w.dsi, 'not-a-uuid'), 400);
    expect(await ctx.query(`SELECT 1 FROM connection_exports`)).toHaveLength(before);
  });
});
