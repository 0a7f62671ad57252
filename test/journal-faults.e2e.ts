import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { Metrics } from '@app/core';
import { SyslogListener } from '@app/journal';
import { eventually, freePort, OwnPostgres, SignedIn, TestContext } from '@app/testing';
import { runMigrations } from '../libs/core/src/database/migrate';
import { MIGRATIONS } from '../migrations';

const OUTAGE_MS = 20_000;
const IDLE_TIMEOUT_MS = 2000;
const MAX_PER_SOURCE = 4;

const escape = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);
const sdParams = (params: Record<string, string>) => Object.entries(params).map(([k, v]) => `${k}="${escape(v)}"`).join(' ');
const frame = (params: Record<string, string>) => `<134>1 ${new Date().toISOString()} bastion-1 sshd - - [conn@32473 ${sdParams(params)}] session\n`;

/** A gateway's rsyslog: frames in order on one connection, waiting whenever the listener stops reading (TCP backpressure). */
async function forward(port: number, frames: string[]): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  for (let i = 0; i < frames.length; i += 100) {
    if (!socket.write(frames.slice(i, i + 100).join(''))) await once(socket, 'drain');
  }
  await new Promise<void>((resolve) => socket.end(resolve));
}

/** A connection that is opened and then says nothing (or what it is given), from `localAddress`. */
async function openConnection(port: number, localAddress = '127.0.0.1'): Promise<{ socket: Socket; closed: () => boolean }> {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  let isClosed = false;
  socket.on('close', () => { isClosed = true; });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return { socket, closed: () => isClosed };
}

/**
 * R-ART41 R-INT: the connection journal under faults, on a PostgreSQL cluster of this file's own that
 * the tests stop and start (the machine's is never touched): nothing accepted from a gateway is lost.
 */
describe('R-ART41 R-INT connection journal under faults (PostgreSQL outage, bad lines, hostile connections)', () => {
  let pg: OwnPostgres;
  let ctx: TestContext;
  let port: number;
  let dsi: SignedIn;
  let tenantId: string;
  let key: string;
  let listener: SyslogListener;

  const startedAt = (i: number) => new Date(ctx.clock.now().getTime() - 3_600_000 + i * 10).toISOString();
  const event = (eventId: string, i: number) => ({ eventId, account: `agent${i % 50}@biomed.test`, resource: 'pacs-01', sourceIp: '192.0.2.10', startedAt: startedAt(i), outcome: 'success' });
  const syslogFrames = (from: number, to: number, prefix = 'sys-') => Array.from({ length: to - from }, (_, k) => frame({ apiKey: key, ...event(`${prefix}${from + k}`, from + k) }));
  const ndjson = (batch: number) => Array.from({ length: 20 }, (_, k) => JSON.stringify(event(`http-${batch}-${k}`, 10_000 + batch * 20 + k))).join('\n');
  const stored = async (prefix: string) => (await ctx.query<{ n: number; distinct: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM connection_events WHERE tenant_id = $1 AND event_id LIKE $2`,
    [tenantId, `${prefix}%`],
  ))[0];
  const metric = async (name: string, label: string) => {
    const values = (await ctx.api.get(Metrics).registry.getSingleMetric(name)!.get()).values;
    return Object.fromEntries(values.map((v) => [String(v.labels[label] ?? ''), v.value]));
  };

  /** A gateway over HTTP: a 503 is retried after its Retry-After, as the API asks. Answers the 503s it met. */
  async function post(body: string): Promise<{ status: number; retryAfter: string; code: string; type: string }[]> {
    const unavailable: { status: number; retryAfter: string; code: string; type: string }[] = [];
    for (;;) {
      const res = await ctx.http.post('/v1/connection-events').set('X-Api-Key', key).set('content-type', 'application/x-ndjson').send(body);
      if (res.status === 200) return unavailable;
      if (res.status !== 503) throw new Error(`Unexpected ${res.status}: ${res.text}`);
      unavailable.push({ status: res.status, retryAfter: res.headers['retry-after'], code: res.body.code, type: res.headers['content-type'] });
      await new Promise((resolve) => setTimeout(resolve, Number(res.headers['retry-after']) * 1000));
    }
  }
  const reconnect = async () => {
    ctx.sql = new Client({ connectionString: ctx.env.DATABASE_URL });
    await ctx.sql.connect();
  };
  const postAll = async (batches: number[]) => (await Promise.all(batches.map((b) => post(ndjson(b))))).flat();
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

  beforeAll(async () => {
    pg = await OwnPostgres.start();
    await pg.query('CREATE DATABASE prestagate');
    await runMigrations(pg.urlFor('prestagate'), MIGRATIONS);
    port = await freePort();
    ctx = await TestContext.start({
      databaseUrl: pg.urlFor('prestagate'),
      env: {
        SYSLOG_PORT: String(port), SYSLOG_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS), SYSLOG_MAX_CONNECTIONS_PER_SOURCE: String(MAX_PER_SOURCE),
        // The gateway's key stays trusted through the outage: what is tested here is ingestion, not the key check.
        API_KEY_CACHE_MS: '60000',
      },
    });
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
    key = (await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'Bastion', scopes: ['connections'] }).expect(201)).body.key;
    listener = ctx.api.get(SyslogListener);
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
    await pg?.destroy();
  });

  it('R-ART41 R-INT 10,000 syslog events and 100 HTTP batches sent around a 20-second PostgreSQL outage are all stored, none twice', async () => {
    // Before: a third of each, stored as usual.
    await Promise.all([forward(port, syslogFrames(0, 3000)), postAll(range(0, 30))]);
    expect(await eventually(() => stored('sys-'), (s) => s.n === 3000)).toEqual({ n: 3000, distinct: 3000 });

    // The outage: PostgreSQL gone (as a crash would look), gateways keep sending.
    ctx.sql.on('error', () => undefined);
    await pg.stop();
    const duringSyslog = forward(port, syslogFrames(3000, 7000));
    const duringHttp = postAll(range(30, 70));
    const spooling = await eventually(async () => listener.stats(), (s) => s.spooling);
    expect(spooling.spooling).toBe(true);
    const readWhenPaused = listener.stats().received;
    // More while reading is paused: it waits in the gateway's TCP queue, unread.
    const pausedSyslog = forward(port, syslogFrames(7000, 9000));
    const outageStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)); // the deliberate outage
    expect(listener.stats().received).toBe(readWhenPaused);
    expect(readWhenPaused).toBeLessThanOrEqual(7000);
    expect(await metric('prestagate_syslog_reading_paused', '')).toEqual({ '': 1 });
    const spooled = (await metric('prestagate_journal_spool_events_total', 'outcome')).spooled;
    expect(spooled).toBeGreaterThan(0);
    expect(Date.now() - outageStart).toBeGreaterThanOrEqual(OUTAGE_MS);
    await pg.startServer();

    // After: the rest, without restarting anything.
    const afterSyslog = forward(port, syslogFrames(9000, 10_000));
    const unavailable = [...await duringHttp, ...await postAll(range(70, 100))];
    await Promise.all([duringSyslog, pausedSyslog, afterSyslog]);
    await reconnect();
    expect(await eventually(() => stored('sys-'), (s) => s.n === 10_000, 60_000)).toEqual({ n: 10_000, distinct: 10_000 });
    expect(await stored('http-')).toEqual({ n: 2000, distinct: 2000 });

    // During the outage ingestion said "not now" honestly, with when to come back.
    expect(unavailable.length).toBeGreaterThan(0);
    for (const answer of unavailable) {
      expect(answer).toEqual({ status: 503, retryAfter: '5', code: 'SERVICE_UNAVAILABLE', type: expect.stringContaining('application/problem+json') });
    }
    const spool = await eventually(() => metric('prestagate_journal_spool_events_total', 'outcome'), (m) => m.replayed === m.spooled);
    expect(spool).toEqual({ spooled: spool.replayed, replayed: expect.any(Number), dropped: 0 });
    expect(spool.spooled).toBeGreaterThanOrEqual(spooled);
    expect(listener.stats().spooling).toBe(false);
    expect(await metric('prestagate_syslog_reading_paused', '')).toEqual({ '': 0 });
    expect((await ctx.http.get('/v1/connection-events/verify').set(dsi.auth).expect(200)).body.ok).toBe(true);
  }, 240_000);

  it('R-ART41 R-INT a listener stopped during an outage leaves its spool on disk; started again, it replays it before reading', async () => {
    const before = await metric('prestagate_journal_spool_events_total', 'outcome');
    ctx.sql.on('error', () => undefined);
    await pg.stop();
    await forward(port, syslogFrames(0, 500, 'restart-'));
    await eventually(async () => listener.stats(), (s) => s.spooling);
    await listener.close(); // what was still unread or in memory goes to the spool too
    const spoolDir = ctx.env.JOURNAL_SPOOL_DIR!;
    const spools = readdirSync(spoolDir).filter((f) => f.endsWith('.ndjson'));
    expect(spools).toHaveLength(1);
    expect(readFileSync(join(spoolDir, spools[0]), 'utf8').trim().split('\n')).toHaveLength(500);
    expect(readFileSync(join(spoolDir, spools[0]), 'utf8')).not.toContain(key); // the key's keyed hash, never the key

    await pg.startServer();
    await reconnect();
    await listener.listen(port);
    expect(await eventually(() => stored('restart-'), (s) => s.n === 500)).toEqual({ n: 500, distinct: 500 });
    expect(await eventually(async () => readdirSync(spoolDir), (files) => files.length === 0)).toEqual([]);
    const after = await metric('prestagate_journal_spool_events_total', 'outcome');
    expect({ spooled: after.spooled - before.spooled, replayed: after.replayed - before.replayed, dropped: after.dropped }).toEqual({ spooled: 500, replayed: 500, dropped: 0 });
    expect(listener.stats().spooling).toBe(false);
  });

  it('R-ART41 R-INT a line with a NUL character is rejected alone, with its index; the other lines of the batch are stored', async () => {
    const lines = [
      JSON.stringify(event('nul-0', 1)),
      JSON.stringify({ ...event('nul-1', 2), account: 'jean\u0000dupont@biomed.test' }),
      JSON.stringify(event('nul-2', 3)).replace('pacs-01', 'pacs-\u000001'), // a raw NUL byte inside a string
      JSON.stringify({ ...event('nul-3', 4), recordingRef: 'rec-\ud800' }),
      JSON.stringify(event('nul-4', 5)),
    ];
    const res = await ctx.http.post('/v1/connection-events').set('X-Api-Key', key).set('content-type', 'application/x-ndjson').send(lines.join('\n')).expect(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(res.body.rejected[0].error).toContain('account contains a NUL character');
    expect(await stored('nul-')).toEqual({ n: 2, distinct: 2 });
    expect((await metric('prestagate_journal_spool_events_total', 'outcome')).dropped).toBe(0);
  });

  it('R-INT a silent connection, and one dripping half a frame, are closed after SYSLOG_IDLE_TIMEOUT_MS and counted', async () => {
    const before = (await metric('prestagate_syslog_connections_closed_total', 'reason')).idle_timeout;
    const silent = await openConnection(port);
    const drip = await openConnection(port);
    const half = frame({ apiKey: key, ...event('drip-1', 1) });
    let sent = 0;
    const dripping = setInterval(() => { if (!drip.closed() && sent < half.length - 1) drip.socket.write(half[sent++]); }, IDLE_TIMEOUT_MS / 4);
    try {
      expect(await eventually(async () => silent.closed() && drip.closed(), Boolean, 30_000)).toBe(true);
    } finally {
      clearInterval(dripping);
    }
    expect((await metric('prestagate_syslog_connections_closed_total', 'reason')).idle_timeout - before).toBe(2);
    expect(await stored('drip-')).toEqual({ n: 0, distinct: 0 });
  });

  it('R-INT one source holds SYSLOG_MAX_CONNECTIONS_PER_SOURCE connections at most: the others are closed, counted, logged once; another gateway still gets through', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const before = (await metric('prestagate_syslog_connections_closed_total', 'reason')).source_limit;
    const flood = await Promise.all(range(0, MAX_PER_SOURCE + 3).map(() => openConnection(port)));
    try {
      const refused = async () => (await metric('prestagate_syslog_connections_closed_total', 'reason')).source_limit - before;
      expect(await eventually(refused, (n) => n >= 3)).toBe(3);
      expect(flood.filter((c) => c.closed()).length).toBeGreaterThanOrEqual(3);
      expect(warn.mock.calls.filter((c) => JSON.stringify(c).includes('per-source limit'))).toHaveLength(1);
      // A real gateway, on another address, is not starved by the flood.
      const gateway = await openConnection(port, '127.0.0.2');
      gateway.socket.end(frame({ apiKey: key, ...event('gw-1', 1) }));
      expect(await eventually(() => stored('gw-'), (s) => s.n === 1)).toEqual({ n: 1, distinct: 1 });
    } finally {
      for (const c of flood) c.socket.destroy();
      warn.mockRestore();
    }
  });
});
