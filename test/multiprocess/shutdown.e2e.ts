import { randomBytes } from 'node:crypto';
import { ClientRequest, IncomingMessage, request as httpRequest } from 'node:http';
import { Job, Queue } from 'bullmq';
import request from 'supertest';
import { QueueName, Role } from '@app/core';
import { EXPORT_COLUMNS } from '@app/journal';
import { SignedIn, SmtpReceiver, TestContext } from '@app/testing';
import { eventually, ProductProcess, refusesConnections, sleep } from './support/processes';

interface Reply {
  status: number;
  body: string;
}

/** Collects a response that the test may pause and resume. */
function collect(res: IncomingMessage): Promise<Reply> {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((done, fail) => {
    res.once('end', () => done({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
    res.once('error', fail);
  });
}

function responseOf(req: ClientRequest): Promise<IncomingMessage> {
  return new Promise((done, fail) => {
    req.once('response', done);
    req.once('error', fail);
  });
}

/**
 * A request the server has received and is handling ("Expect: 100-continue": the server answers 100
 * once it has the request), whose body the test sends when it wants.
 */
async function underWay(api: ProductProcess, apiKey: string, path: string, contentType: string, length: number) {
  const req = httpRequest(`${api.url}${path}`, {
    method: 'POST', headers: { 'X-Api-Key': apiKey, 'content-type': contentType, 'content-length': length, expect: '100-continue' },
  });
  const answered = responseOf(req).then(collect);
  await new Promise((r) => req.once('continue', r));
  return { req, answered };
}

/** SIGTERM, then: nothing new is accepted, and the process waits until it is no longer listening. */
async function terminateAndWaitUntilRefusing(proc: ProductProcess): Promise<void> {
  proc.signal('SIGTERM');
  await eventually('the process to stop listening', async () => ((await refusesConnections(proc.port!)) ? true : undefined), 30_000, 50);
}

/**
 * SIGTERM, as Docker and Kubernetes send it: an API finishes the requests under way, refuses new ones and exits 0; a
 * worker finishes its job, takes no other and exits 0 while the other goes on. Nothing lost, nothing done twice.
 */
describe('SIGTERM: processes stop without losing or repeating work (R-ART41, R-NOT)', () => {
  jest.setTimeout(240_000);
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let dsi: SignedIn;
  let key: string;
  /** A gateway's event; the recording reference makes each line of an export about 350 bytes. */
  const event = (tag: string, i: number, startedAt: Date) => ({
    eventId: `${tag}-${String(i).padStart(6, '0')}`, account: `person${i % 50}@contractor.test`, resource: 'pacs',
    sourceIp: '10.1.2.3', startedAt: startedAt.toISOString(), outcome: 'success', recordingRef: `rec/${'r'.repeat(180)}/${i}`,
  });
  const ndjson = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n');

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    ctx = await TestContext.start({ env: { SMTP_URL: smtp.url } });
    ({ dsi } = await ctx.tenantWithDsi());
    key = (await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'bastion', scopes: ['connections', 'decisions'] }).expect(201)).body.key;
  });

  afterAll(async () => {
    await ProductProcess.stopAll();
    await ctx?.close();
    await smtp?.stop();
  });

  it('R-ART41 an export being downloaded when the API gets SIGTERM is delivered whole; new connections are refused; the process exits 0', async () => {
    const api = await ProductProcess.start('api', ctx.env);
    // About 10 MB of CSV (30,000 lines): far more than the socket buffers hold, so the server is still writing while the client waits.
    const total = 30_000;
    const base = new Date(Date.now() - 3600_000);
    for (let from = 0; from < total; from += 5000) {
      const batch = Array.from({ length: 5000 }, (_, i) => event('dl', from + i, new Date(base.getTime() + (from + i) * 100)));
      const sent = await request(api.url).post('/v1/connection-events').set('X-Api-Key', key).set('content-type', 'application/x-ndjson').send(ndjson(batch));
      expect(sent.body.accepted).toBe(5000);
    }
    const exported = (await request(api.url).post('/v1/connection-exports').set(dsi.auth)
      .send({ from: base.toISOString(), to: new Date().toISOString(), reason: 'Arrêt pendant un export', format: 'csv' }).expect(201)).body;

    const download = httpRequest(`${api.url}${exported.downloadUrl}`, { headers: dsi.auth });
    download.end();
    const res = await responseOf(download);
    expect(res.statusCode).toBe(200);
    const reply = collect(res);
    res.pause();

    await terminateAndWaitUntilRefusing(api);
    await sleep(1000);
    // Still there: it waits for the client to read the rest.
    expect(api.alive).toBe(true);
    res.resume();
    const { status, body } = await reply;
    expect(status).toBe(200);
    const [header, ...rows] = body.split('\r\n').filter(Boolean);
    expect(header).toBe(EXPORT_COLUMNS.join(','));
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.split(',')[0])).size).toBe(total);
    expect(await api.waitForExit()).toEqual({ code: 0, signal: null });
  });

  it('R-ART41 R-ART36 a batch being uploaded and a decision being asked when the API gets SIGTERM are answered and kept whole; the process exits 0', async () => {
    // Decisions are written in batches every DECISION_FLUSH_MS: a long interval, so that the last one waits for the shutdown.
    const api = await ProductProcess.start('api', { ...ctx.env, DECISION_FLUSH_MS: '10000' });
    const count = 5000;
    const base = new Date(Date.now() - 1800_000);
    const batch = Buffer.from(ndjson(Array.from({ length: count }, (_, i) => event('up', i, new Date(base.getTime() + i * 10)))));
    const question = Buffer.from(JSON.stringify({ account: 'late.question@contractor.test', resource: 'pacs' }));
    const upload = await underWay(api, key, '/v1/connection-events', 'application/x-ndjson', batch.length);
    const decision = await underWay(api, key, '/v1/access-decisions', 'application/json', question.length);
    // Half of the batch, then SIGTERM, then the rest.
    upload.req.write(batch.subarray(0, batch.length / 2));
    await sleep(200);
    await terminateAndWaitUntilRefusing(api);
    expect(api.alive).toBe(true);
    upload.req.end(batch.subarray(batch.length / 2));
    const uploaded = await upload.answered;
    expect(uploaded.status).toBe(200);
    const result = JSON.parse(uploaded.body);
    expect(result).toMatchObject({ accepted: count, duplicates: 0, rejected: [] });
    // The last request the process answers: its decision must still reach the decision log (R-ART36, every decision is kept).
    decision.req.end(question);
    const decided = await decision.answered;
    expect(decided.status).toBe(200);
    expect(JSON.parse(decided.body)).toMatchObject({ decision: 'deny', reasons: expect.arrayContaining(['UNKNOWN_ACCOUNT']) });

    expect(await api.waitForExit()).toEqual({ code: 0, signal: null });
    const [stored] = await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM connection_events WHERE batch_id = $1`, [result.batchId]);
    expect(stored.n).toBe(count);
    const logged = await ctx.query(`SELECT decision FROM access_decisions WHERE account_ref = 'late.question@contractor.test'`);
    expect(logged).toEqual([{ decision: 'deny' }]);
  });

  it('R-NOT a worker stopped while it sends an e-mail finishes that one and takes no other; the other worker sends the next; each once', async () => {
    const env = { ...ctx.env, QUEUE_PREFIX: `mp${randomBytes(4).toString('hex')}` };
    const queue = new Queue(QueueName.Notifications, { connection: { url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix: env.QUEUE_PREFIX });
    try {
      const workers = await Promise.all([ProductProcess.start('worker', env), ProductProcess.start('worker', env)]);
      // The mail server keeps the first message waiting until the test lets it through.
      let arrived!: () => void;
      let release!: () => void;
      const firstArrived = new Promise<void>((r) => { arrived = r; });
      const released = new Promise<void>((r) => { release = r; });
      smtp.hold = async (raw) => {
        if (!/^To: first\.stop@hospital\.test/im.test(raw)) return;
        smtp.hold = undefined;
        arrived();
        await released;
      };
      // The workers run on the real clock: the outbox rows written here must be due at once.
      ctx.clock.set(new Date());
      const invite = (email: string) => ctx.http.post('/v1/users').set(dsi.auth).send({ email, firstName: 'A', lastName: 'B', roles: [Role.Rssi] }).expect(201);
      await invite('first.stop@hospital.test');
      await firstArrived;
      const active = (await queue.getJobs(['active'])).find((j) => j.data.payload.to.includes('first.stop@hospital.test'))!;
      const holder = workers.find((p) => p.workerName === active.processedBy)!;
      const other = workers.find((p) => p !== holder)!;
      expect(holder).toBeDefined();

      holder.signal('SIGTERM');
      await sleep(1500);
      expect(holder.alive).toBe(true);
      // Meanwhile another e-mail: the stopping worker must leave it to the other one.
      await invite('second.stop@hospital.test');
      await smtp.waitFor('second.stop@hospital.test', 1, 30_000);
      release();
      await smtp.waitFor('first.stop@hospital.test', 1, 30_000);
      expect(await holder.waitForExit()).toEqual({ code: 0, signal: null });
      expect(other.alive).toBe(true);

      // The receiver holds a message before its sender hears the 250, then marks the outbox row delivered,
      // then BullMQ the job finished: both are waited for (they were read at once, and a loaded machine
      // showed the second row not yet delivered).
      await ctx.outboxDelivered();
      const jobs = new Map<string, Job>();
      for (const to of ['first.stop@hospital.test', 'second.stop@hospital.test']) {
        const rows = await ctx.query<{ id: string; delivered_at: Date | null }>(`SELECT id, delivered_at FROM outbox WHERE payload->'to' ? $1`, [to]);
        expect(rows).toHaveLength(1);
        const [row] = rows;
        expect(row.delivered_at).not.toBeNull();
        jobs.set(to, await eventually(`the job of ${to} to be finished`, async () => {
          const job = await queue.getJob(row.id);
          return job?.finishedOn ? job : undefined;
        }));
        // Sent once: the message carries its outbox row's id.
        expect(smtp.mails.filter((m) => m.messageId === `<${row.id}@prestagate>`)).toHaveLength(1);
      }
      expect(jobs.get('first.stop@hospital.test')).toMatchObject({ processedBy: holder.workerName, attemptsStarted: 1, finishedOn: expect.any(Number) });
      expect(jobs.get('second.stop@hospital.test')).toMatchObject({ processedBy: other.workerName, attemptsStarted: 1, finishedOn: expect.any(Number) });
      await sleep(1000);
      expect(smtp.to('first.stop@hospital.test')).toHaveLength(1);
      expect(smtp.to('second.stop@hospital.test')).toHaveLength(1);
    } finally {
      await ProductProcess.stopAll();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });
});
