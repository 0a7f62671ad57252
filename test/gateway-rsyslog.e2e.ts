import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SyslogListener } from '@app/journal';
import { eventually, freePort, SignedIn, TestContext } from '@app/testing';
import { makeCertificates, Rsyslogd } from './support/rsyslog';

const run = promisify(execFile);
const escape = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);

describe('R-GW R-ART41 R-ART44 rsyslog forwards the journal over TLS (RFC 5425) through a disk queue', () => {
  let ctx: TestContext;
  let dsi: SignedIn;
  let tenantId: string;
  let key: string;
  let listener: SyslogListener;
  let rsyslog: Rsyslogd;
  let dir: string;

  const params = (eventId: string, over: Record<string, string> = {}): Record<string, string> => ({
    apiKey: key, eventId, account: 'jean.dupont@biomed.test', resource: 'pacs-01', sourceIp: '192.0.2.10',
    startedAt: new Date(ctx.clock.now().getTime() - 60_000).toISOString(), outcome: 'success', ...over,
  });
  const line = (p: Record<string, string>) => `<134>1 ${new Date().toISOString()} bastion-1 sshd - - [conn@32473 ${
    Object.entries(p).map(([k, v]) => `${k}="${escape(v)}"`).join(' ')}] session`;
  /** Many events on one connection to rsyslog's local input (LF framing), as a busy gateway writes them. */
  async function send(prefix: string, count: number): Promise<void> {
    const socket = connect(rsyslog.inputPort, '127.0.0.1');
    await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
    const text = Array.from({ length: count }, (_, i) => `${line(params(`${prefix}${String(i).padStart(4, '0')}`))}\n`).join('');
    await new Promise<void>((done) => socket.end(text, done));
  }
  /** One event through util-linux `logger` to rsyslog's input, as the OpenSSH integration sends it. */
  async function viaLogger(p: Record<string, string>, text: string): Promise<void> {
    const args = ['--tcp', '--rfc5424', '-n', '127.0.0.1', '-P', String(rsyslog.inputPort), '-t', 'sshd', '--sd-id', 'conn@32473'];
    for (const [k, v] of Object.entries(p)) args.push('--sd-param', `${k}="${escape(v)}"`);
    await run('logger', [...args, text]);
  }
  const stored = async (prefix: string) => (await ctx.query<{ n: number; distinct: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM connection_events
      WHERE tenant_id = $1 AND event_id LIKE $2 AND completes IS NULL`, [tenantId, `${prefix}%`],
  ))[0];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prestagate-rsyslog-'));
    const tls = makeCertificates(join(dir, 'tls'));
    const tlsPort = await freePort();
    ctx = await TestContext.start({
      env: { SYSLOG_TLS_PORT: String(tlsPort), SYSLOG_TLS_CERT: tls.cert, SYSLOG_TLS_KEY: tls.key, API_KEY_CACHE_MS: '60000' },
    });
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
    key = (await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'Bastion', scopes: ['connections'] }).expect(201)).body.key;
    listener = ctx.api.get(SyslogListener);
    rsyslog = new Rsyslogd(join(dir, 'rsyslog'), await freePort(), tlsPort, tls.ca);
    await rsyslog.start();
  }, 120_000);
  afterAll(async () => {
    await rsyslog?.stop();
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('R-GW R-ART41 1,000 events around a Prestagate outage and a SIGKILL of rsyslogd are all stored, none twice', async () => {
    await send('gw1-', 500);
    expect(await eventually(() => stored('gw1-'), (s) => s.n === 500, 120_000)).toEqual({ n: 500, distinct: 500 });

    await listener.close();
    await send('gw2-', 500);
    // On disk before the crash: the queue holds them all (read, not assumed).
    const queued = (text: string) => new Set(text.match(/gw2-\d{4}/g) ?? []).size;
    expect(await eventually(async () => queued(rsyslog.queued()), (n) => n === 500, 60_000)).toBe(500);
    await rsyslog.crash();
    await rsyslog.start();
    await listener.open();
    expect(await eventually(() => stored('gw2-'), (s) => s.n === 500, 180_000)).toEqual({ n: 500, distinct: 500 });
    expect(await stored('gw')).toEqual({ n: 1000, distinct: 1000 });
    expect((await ctx.http.get('/v1/connection-events/verify').set(dsi.auth).expect(200)).body.ok).toBe(true);
  }, 400_000);

  it('R-GW R-ART41 the listener stopped and restarted while rsyslog forwards 1,000 events: all stored, none twice', async () => {
    const sending = send('gw3-', 1000);
    await eventually(() => stored('gw3-'), (s) => s.n > 0, 60_000);
    await listener.close(); // as soon as the first are stored: the rest are on their way
    await sending;
    await listener.open();
    expect(await eventually(() => stored('gw3-'), (s) => s.n === 1000, 180_000)).toEqual({ n: 1000, distinct: 1000 });
  }, 400_000);

  it('R-GW R-ART44 a session reported by logger at its opening and at its close is stored once, complete', async () => {
    const open = params('ssh-42');
    await viaLogger(open, 'session opened');
    await eventually(() => stored('ssh-42'), (s) => s.n === 1, 60_000);
    const endedAt = new Date(ctx.clock.now().getTime()).toISOString();
    await viaLogger({ ...open, endedAt, recordingRef: 'rec/ssh-42.cast' }, 'session closed');
    const session = await eventually(
      () => ctx.query<{ ended_at: Date | null; recording_ref: string | null }>(
        `SELECT ended_at, recording_ref FROM connection_sessions WHERE tenant_id = $1 AND event_id = 'ssh-42'`, [tenantId],
      ),
      (rows) => rows[0]?.recording_ref !== null && rows[0]?.recording_ref !== undefined, 60_000,
    );
    expect(session).toEqual([{ ended_at: new Date(endedAt), recording_ref: 'rec/ssh-42.cast' }]);
  }, 180_000);
});
