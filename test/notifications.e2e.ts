import { ChildProcess, spawn } from 'node:child_process';
import { Role } from '@app/core';
import { bodyOf, freePort, SignedIn, SmtpReceiver, TestContext } from '@app/testing';

/** A Redis of this test's own, so it can be stopped and restarted without touching the machine's. */
class OwnRedis {
  private process?: ChildProcess;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitUntil(async () => canConnect(this.port), 10_000);
  }

  async stop(): Promise<void> {
    const p = this.process;
    this.process = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise((resolve) => { p.once('exit', resolve); p.kill('SIGKILL'); });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = require('node:net').createConnection(port, '127.0.0.1');
    socket.once('connect', () => { socket.end(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached in time');
}

const person = (n: string, locale?: 'fr' | 'en') => ({
  email: `${n}@hospital.test`, firstName: 'Camille', lastName: n, roles: [Role.Referent], ...(locale ? { locale } : {}),
});

describe('R-NOT e-mails through the outbox, a real SMTP receiver and BullMQ', () => {
  let smtp: SmtpReceiver;
  let redis: OwnRedis;
  let ctx: TestContext;
  let dsi: SignedIn;

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    redis = new OwnRedis(await freePort());
    await redis.start();
    ctx = await TestContext.start({ env: { SMTP_URL: smtp.url, REDIS_URL: redis.url }, worker: true });
    ({ dsi } = await ctx.tenantWithDsi());
  });
  afterAll(async () => {
    await ctx?.close();
    await redis?.stop();
    await smtp?.stop();
  });

  const invite = (body: object) => ctx.http.post('/v1/users').set(dsi.auth).send(body);

  it('R-NOT an invitation e-mail arrives in French with a one-time link that sets the password', async () => {
    await invite(person('martin')).expect(201);
    const [mail] = await smtp.waitFor('martin@hospital.test');
    expect(mail.subject).toMatch(/^Invitation à CH Test/);
    const body = bodyOf(mail.raw);
    expect(body).toContain('Bonjour Camille');
    const token = /accept-invitation\?token=([\w-]+)/.exec(body)?.[1];
    expect(token).toBeDefined();

    await ctx.http.post('/v1/auth/invitations/accept').send({ token, password: 'weak' }).expect(400);
    await ctx.http.post('/v1/auth/invitations/accept').send({ token, password: 'Referent-Strong-Pass-1' }).expect(200);
    await ctx.http.post('/v1/auth/invitations/accept').send({ token, password: 'Referent-Strong-Pass-1' }).expect(400);
    const signedIn = await ctx.signIn('martin@hospital.test', 'Referent-Strong-Pass-1');
    expect(signedIn.userId).toBeDefined();
  });

  it('R-NOT a person who reads English gets the English template', async () => {
    await invite(person('smith', 'en')).expect(201);
    const [mail] = await smtp.waitFor('smith@hospital.test');
    expect(mail.subject).toMatch(/^Invitation to CH Test/);
    expect(bodyOf(mail.raw)).toContain('Hello Camille');
  });

  it('R-NOT with SMTP down for a while, the e-mail arrives once it is back, exactly once', async () => {
    await smtp.stop();
    await invite(person('durand')).expect(201);
    // The worker tries, fails, and records the failure on the outbox row.
    await waitUntil(async () => {
      const [row] = await ctx.query<{ attempts: number }>(`SELECT attempts FROM outbox WHERE payload->'to' ? 'durand@hospital.test'`);
      return (row?.attempts ?? 0) >= 2;
    });
    await smtp.listen();
    const mails = await smtp.waitFor('durand@hospital.test');
    // The receiver holds the mail before the worker hears its 250 and marks the row delivered: the row is
    // read once delivered, not after a fixed pause (which a loaded machine can outlast).
    await ctx.outboxDelivered();
    await new Promise((r) => setTimeout(r, 1500)); // any duplicate would arrive within the retry backoff
    expect(smtp.to('durand@hospital.test')).toHaveLength(1);
    expect(mails[0].subject).toMatch(/^Invitation à/);
    const [row] = await ctx.query<{ delivered_at: Date | null }>(`SELECT delivered_at FROM outbox WHERE payload->'to' ? 'durand@hospital.test'`);
    expect(row.delivered_at).not.toBeNull();
  });

  it('R-NOT with Redis down the API call still succeeds, and the e-mail goes out after Redis returns', async () => {
    await redis.stop();
    const response = await invite(person('bernard'));
    expect(response.status).toBe(201);
    const [pending] = await ctx.query<{ relayed_at: Date | null; delivered_at: Date | null }>(
      `SELECT relayed_at, delivered_at FROM outbox WHERE payload->'to' ? 'bernard@hospital.test'`,
    );
    expect(pending).toMatchObject({ relayed_at: null, delivered_at: null });
    const ready = await ctx.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details.redis.status).toBe('down');

    await new Promise((r) => setTimeout(r, 500));
    await redis.start();
    await smtp.waitFor('bernard@hospital.test', 1, 30_000);
    expect(smtp.to('bernard@hospital.test')).toHaveLength(1);
  });

  it('R-NOT a job lost with a Redis that restarted empty is offered again, and sent once', async () => {
    // Relayed to Redis, but Redis dies before the worker picks it up: stop the worker first.
    await ctx.stopWorker();
    const petit = await invite(person('petit'));
    expect(petit.body).toMatchObject({ email: 'petit@hospital.test' });
    await ctx.query(`UPDATE outbox SET relayed_at = $1 WHERE payload->'to' ? 'petit@hospital.test'`, [ctx.clock.now()]);
    await redis.stop();
    await redis.start();
    await ctx.startWorker();
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.to('petit@hospital.test')).toHaveLength(0);
    ctx.clock.advance(6 * 60_000); // past the re-offer delay
    await smtp.waitFor('petit@hospital.test', 1, 20_000);
    expect(smtp.to('petit@hospital.test')).toHaveLength(1);
  });

  it('R-NOT two workers relaying the same outbox never send an e-mail twice', async () => {
    const second = await ctx.createWorker({ SMTP_URL: smtp.url });
    try {
      const names = Array.from({ length: 12 }, (_, i) => `dup${i}`);
      await Promise.all(names.map((n) => invite(person(n)).expect(201)));
      for (const n of names) await smtp.waitFor(`${n}@hospital.test`);
      await new Promise((r) => setTimeout(r, 1000));
      for (const n of names) expect(smtp.to(`${n}@hospital.test`)).toHaveLength(1);
      const ids = smtp.mails.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await second.close();
    }
  });
});
