import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobName } from '@app/core';
import { eventually, freePort } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';
import { makeCertificates, Rsyslogd } from './support/rsyslog';
import { removeGroups, Sshd, unixUser } from './support/sshd';

const dir = mkdtempSync(join(tmpdir(), 'prestagate-openssh-'));
chmodSync(dir, 0o755); // the contractor's session reads its authorized key and validUntil below it
const tls = makeCertificates(join(dir, 'tls'));
/** The API's environment, its TLS port chosen before the rig starts (a top-level beforeAll runs before the describe's). */
const env: Record<string, string> = {
  SYSLOG_TLS_CERT: tls.cert, SYSLOG_TLS_KEY: tls.key, DECISION_CACHE_MS: '0', API_KEY_CACHE_MS: '60000',
};
beforeAll(async () => {
  env.SYSLOG_TLS_PORT = String(await freePort());
});
const tag = Math.random().toString(36).slice(2, 7);
const GROUP = `pgctr${tag}`;
const BREAK_GLASS = `pgbg${tag}`;
const users = { allowed: `pga${tag}`, outside: `pgo${tag}`, glass: `pgb${tag}`, short: `pgs${tag}` };

interface Ssh { code: number | null; out: string; err: string }

describeApi('R-GW R-ART36 R-ART41 R-ART35 an OpenSSH bastion asks Prestagate before and during every contractor session', {
  world: 'openssh', env,
}, (rig) => {
  let key: string;
  let apiUrl: string;
  let rsyslog: Rsyslogd;
  let sshd: Sshd;
  const conf = join(dir, 'gateway.conf');
  const state = join(dir, 'state');
  const removals: (() => void)[] = [];
  const accounts = {} as Record<keyof typeof users, { id: string; email: string }>;
  let windowId: string;

  function configure(url: string): void {
    const shipped = readFileSync(join(__dirname, '../integrations/openssh/gateway.conf'), 'utf8');
    const set: Record<string, string> = {
      PRESTAGATE_URL: url, PRESTAGATE_API_KEY: key, PRESTAGATE_RESOURCE: 'bastion-ssh', PRESTAGATE_TIMEOUT: '5', PRESTAGATE_GROUP: GROUP,
      PRESTAGATE_ACCOUNT_MAP: join(dir, 'accounts'), PRESTAGATE_BREAK_GLASS_GROUP: BREAK_GLASS, PRESTAGATE_RECHECK: '2',
      PRESTAGATE_STATE_DIR: state, PRESTAGATE_SYSLOG_PORT: String(rsyslog.inputPort), PRESTAGATE_RECORDING_DIR: 'rec/bastion',
    };
    const text = shipped.split('\n').map((l) => { const k = l.split('=')[0]; return k in set ? `${k}=${set[k]}` : l; }).join('\n');
    writeFileSync(conf, text, { mode: 0o600 });
  }
  function ssh(user: string, command: string): Promise<Ssh> {
    return new Promise((done) => {
      const child = spawn('ssh', ['-i', join(dir, 'id'), '-p', String(sshd.port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
        '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${user}@127.0.0.1`, command]);
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('close', (code) => done({ code, out, err }));
    });
  }
  const sessions = (account: string) => rig.ctx.query<{ event_id: string; outcome: string; ended_at: Date | null; recording_ref: string | null }>(
    `SELECT event_id, outcome, ended_at, recording_ref FROM connection_sessions WHERE account_ref = $1 ORDER BY started_at`, [account],
  );

  beforeAll(async () => {
    const { ctx, w } = rig;
    key = await w.gatewayKey();
    const server = ctx.api.getHttpServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bastion = await w.resource('Bastion SSH', 'bastion-ssh');
    for (const [name, user] of Object.entries(users) as [keyof typeof users, string][]) {
      const account = await w.activeAccount(name, `Ssh${tag}`);
      accounts[name] = { id: account.id, email: account.email };
      await w.habilitate(account.id, bastion);
      removals.push(unixUser(user, name === 'glass' ? [GROUP, BREAK_GLASS] : [GROUP]));
    }
    // The World's helpers move the test clock (TOTP steps): windows are on it; the wrapper cuts on the host's real time.
    if (ctx.clock.now().getTime() < Date.now()) ctx.clock.set(new Date());
    const now = ctx.clock.now().getTime();
    const from = new Date(Math.min(now, Date.now()) - 300_000); // the sessions start on the host's time
    windowId = await w.approvedWindow([accounts.allowed.id, accounts.glass.id], [bastion], from, new Date(now + 3_600_000));
    await w.approvedWindow([accounts.short.id], [bastion], from, new Date(now + 45_000));
    writeFileSync(join(dir, 'accounts'), Object.entries(users).map(([name, user]) => `${user} ${accounts[name as keyof typeof users].email}`).join('\n'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
    rsyslog = new Rsyslogd(join(dir, 'rsyslog'), await freePort(), Number(env.SYSLOG_TLS_PORT), tls.ca);
    await rsyslog.start();
    configure(apiUrl);
    sshd = new Sshd(join(dir, 'sshd'), await freePort(), { conf, group: GROUP, state });
    for (const user of Object.values(users)) sshd.authorize(user, readFileSync(join(dir, 'id.pub'), 'utf8'));
    await sshd.start();
  }, 300_000);
  afterAll(async () => {
    await sshd?.stop();
    await rsyslog?.stop();
    for (const remove of removals) remove();
    removeGroups([GROUP, BREAK_GLASS]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('R-GW R-ART36 R-ART41 inside an approved window the command runs; its start and end reach the journal, linked to the window', async () => {
    const run = await ssh(users.allowed, 'echo hello-$((6 * 7))');
    expect({ code: run.code, out: run.out.trim() }).toEqual({ code: 0, out: 'hello-42' });
    const [session] = await eventually(() => sessions(accounts.allowed.email), (s) => s.length === 1 && s[0].ended_at !== null, 60_000);
    expect(session).toMatchObject({ outcome: 'success', recording_ref: `rec/bastion/${session.event_id}` });
    await rig.ctx.worker!.get(JobRegistry).dispatch(JobName.JournalCorrelate, {}, { attempt: 1 });
    const linked = await rig.ctx.http.get(`/v1/interventions/${windowId}/connections`).set(rig.w.dsi.auth).expect(200);
    expect(linked.body.items).toEqual([expect.objectContaining({ eventId: session.event_id, endedAt: session.ended_at!.toISOString() })]);
  }, 180_000);

  it('R-GW R-ART36 outside any window the login is refused by PAM; the refusal reaches the journal as a failed attempt', async () => {
    const run = await ssh(users.outside, 'echo should-not-run');
    expect(run.code).not.toBe(0);
    expect(run.out).toBe('');
    const [attempt] = await eventually(() => sessions(accounts.outside.email), (s) => s.length === 1, 60_000);
    expect(attempt).toMatchObject({ outcome: 'failure', ended_at: null });
  }, 180_000);

  it('R-GW R-ART36 Prestagate unreachable: the login is refused (fail closed), except for the break-glass group, whose session is journaled', async () => {
    configure(`http://127.0.0.1:${await freePort()}`);
    try {
      const refused = await ssh(users.allowed, 'echo should-not-run');
      expect({ code: refused.code === 0, out: refused.out }).toEqual({ code: false, out: '' });
      const glass = await ssh(users.glass, 'echo break-glass');
      expect({ code: glass.code, out: glass.out.trim() }).toEqual({ code: 0, out: 'break-glass' });
      const [session] = await eventually(() => sessions(accounts.glass.email), (s) => s[0]?.ended_at !== null && s.length === 1, 60_000);
      expect(session.outcome).toBe('success');
    } finally {
      configure(apiUrl);
    }
  }, 180_000);

  it('R-GW R-ART36 an open session is warned, then ended when its window ends', async () => {
    const started = Date.now();
    const run = await ssh(users.short, 'sleep 300; echo never');
    expect(run.out).not.toContain('never');
    expect(run.err).toContain('Prestagate: the intervention window ends at');
    expect(Date.now() - started).toBeLessThan(Math.max(0, rig.ctx.clock.now().getTime() - started) + 150_000);
    await eventually(() => sessions(accounts.short.email), (s) => s[0]?.ended_at !== null, 60_000);
  }, 600_000);

  /** Opens a session running a long command, does `act` once its start is journaled; answers how long the session outlived it. */
  async function endedBy(who: keyof typeof users, act: () => Promise<unknown>): Promise<number> {
    const before = (await sessions(accounts[who].email)).length;
    const running = ssh(users[who], 'sleep 300; echo never');
    await eventually(() => sessions(accounts[who].email), (s) => s.length === before + 1, 60_000);
    await act();
    const actedAt = Date.now();
    const run = await running;
    expect(run.out).not.toContain('never');
    const last = await eventually(() => sessions(accounts[who].email), (s) => s[s.length - 1].ended_at !== null, 60_000);
    expect(last[last.length - 1].ended_at).not.toBeNull();
    return Date.now() - actedAt;
  }

  it('R-GW R-ART35 an open session is ended within the re-check interval once the account is suspended', async () => {
    const suspend = () => rig.ctx.http.post(`/v1/accounts/${accounts.allowed.id}/suspend`).set(rig.w.dsi.auth)
      .send({ reason: 'Audit en cours' }).expect(200);
    expect(await endedBy('allowed', suspend)).toBeLessThan(60_000);
  }, 240_000);

  it('R-GW R-ART35 an open session is ended within the re-check interval once the contractor records the departure', async () => {
    const { w } = rig;
    const depart = () => rig.ctx.http.post(`/v1/contractors/${w.contractorId}/departures`).set(w.securityContact.auth)
      .send({ firstName: 'glass', lastName: `Ssh${tag}`, accountId: accounts.glass.id, effectiveOn: w.today() }).expect(201);
    expect(await endedBy('glass', depart)).toBeLessThan(60_000);
  }, 240_000);
});
