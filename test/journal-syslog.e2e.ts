import { execFile, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { SyslogListener } from '@app/journal';
import { freePort, SignedIn, TestContext } from '@app/testing';

const run = promisify(execFile);
/** util-linux `logger`: a real syslog client. Without it (a minimal machine) the same bytes go through node:net. */
const HAS_LOGGER = spawnSync('logger', ['--help']).status === 0;

/** Writes raw bytes on one TCP connection, in the given pieces, then closes it. */
async function sendRaw(port: number, pieces: (string | Buffer)[]): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (const piece of pieces) {
    await new Promise<void>((resolve, reject) => socket.write(piece, (e) => (e ? reject(e) : resolve())));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise<void>((resolve) => socket.end(resolve));
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/** Polls (network I/O, not a deadline: the listener flushes every 500 ms). */
async function until<T>(probe: () => Promise<T> | T, ok: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const escape = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);
const sdParams = (params: Record<string, string>) => Object.entries(params).map(([k, v]) => `${k}="${escape(v)}"`).join(' ');
const line = (params: Record<string, string>) => `<134>1 ${new Date().toISOString()} bastion-1 sshd - - [conn@32473 ${sdParams(params)}] session`;
const octets = (message: string) => `${Buffer.byteLength(message)} ${message}`;

describe('R-ART41 connection journal over syslog (RFC 5424 over TCP, RFC 6587 framing)', () => {
  let ctx: TestContext;
  let port: number;
  let dsi: SignedIn;
  let tenantId: string;
  let key: string;
  let keyId: string;
  let listener: SyslogListener;

  const newKey = async (scopes: string[]) => (await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: `gw-${scopes.join('-')}`, scopes }).expect(201)).body;
  const startedAt = (minutesAgo: number) => new Date(ctx.clock.now().getTime() - minutesAgo * 60_000).toISOString();
  const event = (eventId: string, over: Record<string, string> = {}) => ({
    apiKey: key, eventId, account: 'jean.dupont@biomed.test', resource: 'pacs-01', sourceIp: '192.0.2.10', startedAt: startedAt(60),
    outcome: 'success', ...over,
  });
  const rows = (ids: string[]) => ctx.query<{ event_id: string; account_ref: string; resource_ref: string; source_ip: string | null; started_at: Date; ended_at: Date | null; outcome: string; recording_ref: string | null; api_key_id: string; source: string }>(
    `SELECT e.event_id, e.account_ref, e.resource_ref, host(e.source_ip) AS source_ip, e.started_at, e.ended_at, e.outcome, e.recording_ref, e.api_key_id, b.source
       FROM connection_events e JOIN journal_batches b ON b.id = e.batch_id WHERE e.tenant_id = $1 AND e.event_id = ANY($2) ORDER BY e.event_id`,
    [tenantId, ids],
  );

  /** One event through `logger` (LF framing by default, RFC 6587 octet counting on request). */
  async function viaLogger(params: Record<string, string>, octetCount = false): Promise<void> {
    if (!HAS_LOGGER) return sendRaw(port, [octetCount ? octets(line(params)) : `${line(params)}\n`]);
    const args = ['--tcp', '--rfc5424', '-n', '127.0.0.1', '-P', String(port), '-t', 'sshd', '--sd-id', 'conn@32473'];
    for (const [k, v] of Object.entries(params)) args.push('--sd-param', `${k}="${escape(v)}"`);
    if (octetCount) args.push('--octet-count');
    await run('logger', [...args, 'session opened']);
  }

  beforeAll(async () => {
    port = await freePort();
    ctx = await TestContext.start({ env: { SYSLOG_PORT: String(port) } });
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
    ({ key, id: keyId } = await newKey(['decisions', 'connections']));
    listener = ctx.api.get(SyslogListener);
  });
  afterAll(() => ctx?.close());

  it('R-ART41 events sent by logger, LF-terminated or octet-counted, land in the journal, sealed as syslog', async () => {
    await viaLogger(event('s-1', { endedAt: startedAt(30), recordingRef: 'rec/2026/s-1.cast' }));
    await viaLogger(event('s-2', { outcome: 'failure', sourceIp: '2001:db8::5' }));
    await viaLogger(event('s-3', { account: 'DOM\\jdupont' }), true);
    const stored = await until(() => rows(['s-1', 's-2', 's-3']), (r) => r.length === 3);
    expect(stored.map((r) => r.event_id)).toEqual(['s-1', 's-2', 's-3']);
    expect(stored[0]).toMatchObject({
      account_ref: 'jean.dupont@biomed.test', resource_ref: 'pacs-01', source_ip: '192.0.2.10', outcome: 'success',
      recording_ref: 'rec/2026/s-1.cast', api_key_id: keyId, source: 'syslog',
    });
    expect(stored[0].ended_at).not.toBeNull();
    expect(stored[1]).toMatchObject({ outcome: 'failure', source_ip: '2001:db8::5', ended_at: null, recording_ref: null });
    expect(stored[2].account_ref).toBe('DOM\\jdupont');
    expect((await ctx.http.get('/v1/connection-events/verify').set(dsi.auth).expect(200)).body.ok).toBe(true);
  });

  it('R-ART41 a duplicate event id is ignored, over syslog and across syslog and the API of the same gateway', async () => {
    const before = listener.stats().duplicates;
    await viaLogger(event('s-1'));
    await until(() => listener.stats().duplicates, (n) => n > before);
    expect(await rows(['s-1'])).toHaveLength(1);
    const { apiKey: _key, ...again } = event('s-2');
    const api = await ctx.http.post('/v1/connection-events').set('X-Api-Key', key).send([again]).expect(200);
    expect(api.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('R-ART41 lines with a wrong, revoked or decisions-only key, or unreadable, are dropped and counted; the key is never logged', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const before = listener.stats().dropped;
    const revoked = await newKey(['connections']);
    await ctx.http.delete(`/v1/api-keys/${revoked.id}`).set(dsi.auth).expect(204);
    const decisionsOnly = await newKey(['decisions']);
    await viaLogger(event('bad-1', { apiKey: 'pgk_wrong_0123456789abcdefghij' }));
    await viaLogger(event('bad-2', { apiKey: revoked.key }));
    await viaLogger(event('bad-3', { apiKey: decisionsOnly.key }));
    await sendRaw(port, ['this is not RFC 5424\n', `${line({ ...event('bad-4'), outcome: 'maybe' })}\n`, `${line({ eventId: 'bad-5', account: 'x', resource: 'y', startedAt: startedAt(1), outcome: 'success' })}\n`]);
    const after = await until(() => listener.stats().dropped, (d) => d.unauthenticated - before.unauthenticated >= 3 && d.unparsable - before.unparsable >= 3);
    expect(after.unauthenticated - before.unauthenticated).toBe(3);
    expect(after.unparsable - before.unparsable).toBe(3);
    expect(await rows(['bad-1', 'bad-2', 'bad-3', 'bad-4', 'bad-5'])).toEqual([]);
    const warned = await until(() => warn.mock.calls.filter((c) => String(c[1] ?? c[0]).includes('dropped')), (c) => c.length > 0);
    expect(warned.length).toBeGreaterThan(0);
    const logged = JSON.stringify(warn.mock.calls);
    for (const secret of [revoked.key, decisionsOnly.key, 'pgk_wrong_0123456789abcdefghij', key]) expect(logged).not.toContain(secret);
    warn.mockRestore();
  });

  it('R-ART41 a plain TCP client may mix framings, cut frames anywhere and escape \\" \\\\ \\] in values', async () => {
    const escaped = line(event('raw-1', { recordingRef: 'a"b]c\\d', resource: 'srv[01]' }));
    const counted = octets(escaped);
    const cut = Math.floor(counted.length / 2);
    await sendRaw(port, [
      counted.slice(0, 2), counted.slice(2, cut), counted.slice(cut),
      `${line(event('raw-2'))}\r\n`,
      `${line(event('raw-3')).slice(0, 20)}`, `${line(event('raw-3')).slice(20)}\n`,
      octets(line(event('raw-4', { account: 'élève@hôpital.test' }))),
      line(event('raw-5')),
    ]);
    const stored = await until(() => rows(['raw-1', 'raw-2', 'raw-3', 'raw-4', 'raw-5']), (r) => r.length === 5);
    expect(stored.map((r) => r.event_id)).toEqual(['raw-1', 'raw-2', 'raw-3', 'raw-4', 'raw-5']);
    expect(stored[0]).toMatchObject({ recording_ref: 'a"b]c\\d', resource_ref: 'srv[01]' });
    expect(stored[3].account_ref).toBe('élève@hôpital.test');
  });

  it('R-ART41 events are ingested in batches of at most 1,000 per gateway', async () => {
    const frames = Array.from({ length: 2500 }, (_, i) => octets(line(event(`many-${i}`, { startedAt: startedAt(120 - i / 100) }))));
    await sendRaw(port, [frames.slice(0, 1200).join(''), frames.slice(1200).join('')]);
    const count = async () => (await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM connection_events WHERE event_id LIKE 'many-%'`))[0].n;
    expect(await until(count, (n) => n === 2500)).toBe(2500);
    const batches = await ctx.query<{ event_count: number }>(
      `SELECT b.event_count FROM journal_batches b WHERE b.source = 'syslog' AND EXISTS (SELECT 1 FROM connection_events e WHERE e.batch_id = b.id AND e.event_id LIKE 'many-%')`,
    );
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...batches.map((b) => b.event_count))).toBeLessThanOrEqual(1000);
  });

  it('R-ART41 the worker never opens the syslog port', async () => {
    const workerPort = await freePort();
    const worker = await ctx.createWorker({ SYSLOG_PORT: String(workerPort) });
    try {
      expect(await refused(workerPort)).toBe(true);
    } finally {
      await worker.close();
    }
  });

  it('R-ART41 shutting the API down waits for the batch being stored (nothing left in the buffer), then closes the port', async () => {
    await sendRaw(port, [`${line(event('head-1'))}\n`]);
    await until(() => rows(['head-1']), (r) => r.length === 1); // the tenant's journal head exists
    // Another transaction holds the tenant's journal head: the batch the timer takes waits for it, in flight.
    const holder = new Client({ connectionString: ctx.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      expect((await holder.query(`SELECT 1 FROM journal_heads WHERE tenant_id = $1 FOR UPDATE`, [tenantId])).rowCount).toBe(1);
      const [{ pid }] = (await holder.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows;
      const blocked = async () => (await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [pid]))[0].n;
      await sendRaw(port, [`${line(event('in-flight-1'))}\n`]);
      expect(await until(blocked, (n) => n > 0)).toBeGreaterThan(0);

      let closed = false;
      const closing = listener.close().then(() => { closed = true; });
      // close() gives the peers 1 s at most, then flushes: it must still be waiting for the held batch.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(closed).toBe(false);
      await holder.query('COMMIT');
      await closing;
    } finally {
      await holder.end();
    }
    expect(await rows(['in-flight-1'])).toHaveLength(1);
    expect(await refused(port)).toBe(true);
  });
});
