import { randomBytes } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import { addDays, localDate, QueueName, Role, SCHEDULES } from '@app/core';
import { pdf, SmtpReceiver, TestContext, World } from '@app/testing';
import { eventually, ProductProcess } from './support/processes';

const DAY = 86_400_000;
const TIMEZONE = 'Europe/Paris';
const template = (raw: string) => /^X-Prestagate-Template: *(\S+)/im.exec(raw)?.[1];

/**
 * Two worker processes on one Redis and one database: each recurring job's period produces one job, run by one worker,
 * and its work happens once. The world is prepared 340 days ago, so on the first period everything comes due at once.
 */
describe('Two workers run every scheduled job once per period (R-ART2, R-ART10, R-ART34, R-ART35, R-ART41, R-ART42, R-DIG)', () => {
  jest.setTimeout(240_000);
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;
  let queue: Queue;
  let notifications: Queue;
  let workers: ProductProcess[];
  let firstMail = 0;
  const people: Record<'dsi' | 'rssi' | 'alice' | 'contact' | 'legal' | 'deputy', string> = {} as never;
  const ids: Record<'alice' | 'bob' | 'audit', string> = {} as never;

  /** What the workers sent: per recipient, per template. */
  function mailsSent(): Record<string, Record<string, number>> {
    const sent: Record<string, Record<string, number>> = {};
    for (const mail of smtp.mails.slice(firstMail)) {
      for (const to of mail.to) {
        const t = template(mail.raw) ?? 'unknown';
        sent[to] = { ...sent[to], [t]: (sent[to]?.[t] ?? 0) + 1 };
      }
    }
    return sent;
  }

  /** Everything due in the outbox delivered (the workers relay and send it). */
  const outboxDrained = () => eventually('the outbox to be delivered', async () => {
    const [row] = await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE delivered_at IS NULL AND available_at <= now()`);
    return row.n === 0 ? true : undefined;
  }, 60_000, 200);

  async function effects() {
    const count = async (sql: string, params: unknown[]) => (await ctx.query<{ n: number }>(sql, params))[0].n;
    return {
      campaigns: await count(`SELECT count(*)::int AS n FROM review_campaigns WHERE contractor_id = $1`, [w.contractorId]),
      reviewOpened: await count(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'review.opened'`, [w.tenantId]),
      bobDeactivated: await count(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'account.deactivated' AND target_id = $1`, [ids.bob]),
      departureApplied: await count(`SELECT count(*)::int AS n FROM departures WHERE account_id = $1 AND applied_at IS NOT NULL`, [ids.bob]),
      auditEnded: await count(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'prestation.ended' AND target_id = $1`, [ids.audit]),
      anomalies: await count(`SELECT count(*)::int AS n FROM anomalies WHERE tenant_id = $1`, [w.tenantId]),
      gateClosures: await count(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'contractor.gate_closed' AND tenant_id = $1`, [w.tenantId]),
    };
  }

  async function finishedJobs(): Promise<Job[]> {
    return queue.getJobs(['completed', 'failed'], 0, -1);
  }

  /** The scheduler a job came from and the instant of its period (its id is "repeat:<scheduler>:<millis>"). */
  const slotOf = (job: Job) => {
    const [, scheduler, millis] = /^repeat:(.+):(\d+)$/.exec(job.id!)!;
    return { scheduler, millis: Number(millis) };
  };

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    ctx = await TestContext.start({ env: { SMTP_URL: smtp.url }, worker: true });
    const now = Date.now();
    const today = localDate(new Date(now), TIMEZONE);
    ctx.clock.set(new Date(now - 340 * DAY));

    // 340 days ago: a contractor whose first account became active then (its annual review comes due in 25 days),
    // a window nobody reported on, a second prestation ending yesterday, a new charter version to sign within 5 days,
    // and a departure declared for today.
    w = await World.build(ctx, smtp, 'sched');
    people.dsi = w.dsi.email;
    people.contact = w.contacts.securityContact.email;
    people.legal = w.contacts.legalRepresentative.email;
    people.deputy = w.contacts.securityDeputy.email;
    people.rssi = (await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] })).email;
    const alice = await w.activeAccount('Alice', 'Sched');
    const bob = await w.activeAccount('Bob', 'Sched');
    ids.alice = alice.id;
    ids.bob = bob.id;
    people.alice = alice.email;
    const pacs = await w.resource('PACS Sched', 'pacs-sched');
    await w.habilitate(alice.id, pacs);
    const startsAt = new Date(ctx.clock.now().getTime() + 3600_000);
    await w.approvedWindow([alice.id], [pacs], startsAt, new Date(startsAt.getTime() + 3600_000));
    ids.audit = (await ctx.http.post(`/v1/contractors/${w.contractorId}/prestations`).set(w.dsi.auth)
      .send({ title: 'Audit', accessMode: 'remote', rgpdSubcontractor: false, startsOn: w.today(), endsOn: addDays(today, -1) }).expect(201)).body.id;
    await w.upload(w.dsi.auth, '/v1/documents', { kind: 'charter', versionLabel: 'v2.1', effectiveOn: w.today(), resignDeadline: addDays(today, 5) }, pdf('charter-v2.1-sched'))
      .expect(201);
    await ctx.http.post(`/v1/contractors/${w.contractorId}/departures`).set(w.securityContact.auth)
      .send({ firstName: 'Bob', lastName: 'Sched', accountId: bob.id, effectiveOn: today }).expect(201);
    await outboxDrained();
    // The in-process worker stops before the journal gets an event nobody knows (correlation runs every 30 s).
    await ctx.stopWorker();
    const key = await w.gatewayKey();
    await ctx.http.post('/v1/connection-events').set('X-Api-Key', key)
      .send([{ eventId: 'ghost-1', account: 'ghost@nowhere.test', resource: 'pacs-sched', startedAt: ctx.clock.now().toISOString(), outcome: 'success' }])
      .expect(200);
    firstMail = smtp.mails.length;
    expect(await effects()).toMatchObject({ campaigns: 0, departureApplied: 0, auditEnded: 0, anomalies: 0 });

    // Two workers of their own on a queue prefix nobody else uses.
    const env = { ...ctx.env, QUEUE_PREFIX: `mp${randomBytes(4).toString('hex')}` };
    const connection = { url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
    queue = new Queue(QueueName.Scheduler, { connection, prefix: env.QUEUE_PREFIX });
    notifications = new Queue(QueueName.Notifications, { connection, prefix: env.QUEUE_PREFIX });
    workers = await Promise.all([ProductProcess.start('worker', env), ProductProcess.start('worker', env)]);
  });

  afterAll(async () => {
    await ProductProcess.stopAll();
    // This run's keys leave the machine's Redis with it.
    for (const q of [queue, notifications]) {
      await q?.obliterate({ force: true }).catch(() => undefined);
      await q?.close();
    }
    await ctx?.close();
    await smtp?.stop();
  });

  function expectOneProcessEach(jobs: Job[]): void {
    const names = workers.map((p) => p.workerName);
    for (const job of jobs) {
      expect({ id: job.id, processedBy: names.includes(job.processedBy!), attempts: job.attemptsStarted, stalled: job.stalledCounter })
        .toEqual({ id: job.id, processedBy: true, attempts: 1, stalled: 0 });
    }
  }

  const expectedMails = {
    dsi: { 'weekly-digest': 1, 'account-deactivated': 1, 'report-overdue': 1 },
    rssi: { 'weekly-digest': 1, 'anomalies-detected': 1 },
    alice: { 'report-overdue': 1 },
    // The security contact requested the window (its author) and is a contact: two steps of the escalation.
    contact: { 'report-overdue': 2, 'resign-reminder': 1, 'attestation-required': 1 },
    legal: { 'attestation-required': 1 },
    deputy: { 'attestation-required': 1 },
  };
  const expectedEffects = { campaigns: 1, reviewOpened: 1, bobDeactivated: 1, departureApplied: 1, auditEnded: 1, anomalies: 1, gateClosures: 0 };

  function expectMailsOnce(): void {
    const sent = mailsSent();
    for (const [who, templates] of Object.entries(expectedMails)) {
      const email = people[who as keyof typeof people];
      expect({ who, sent: Object.fromEntries(Object.keys(templates).map((t) => [t, sent[email]?.[t] ?? 0])) }).toEqual({ who, sent: templates });
    }
    // No e-mail was sent twice: each carries the id of its outbox row.
    const ids = smtp.mails.slice(firstMail).map((m) => m.messageId);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  }

  it('R-ART34 R-ART35 R-ART10 R-ART2 R-ART42 R-ART41 R-DIG both register the schedules; the first period runs each job once, in one process, and its work happens once', async () => {
    const first = await eventually('the first period of every schedule', async () => {
      const jobs = await finishedJobs();
      return jobs.length >= SCHEDULES.length ? jobs : undefined;
    }, 60_000, 200);
    await outboxDrained();

    expect((await queue.getJobSchedulers()).map((s) => s.key).sort()).toEqual(SCHEDULES.map((s) => s.job).sort());
    expect((await finishedJobs()).map((j) => slotOf(j).scheduler).sort()).toEqual(SCHEDULES.map((s) => s.job).sort());
    expect(await queue.getJobs(['failed'])).toEqual([]);
    expectOneProcessEach(first);
    // The next period of each is waiting, once.
    expect((await queue.getJobs(['delayed'])).map((j) => slotOf(j).scheduler).sort()).toEqual(SCHEDULES.map((s) => s.job).sort());

    expect(await effects()).toEqual(expectedEffects);
    expectMailsOnce();
  });

  it('R-ART34 R-ART35 R-ART10 R-ART2 R-ART42 R-ART41 R-DIG over many periods: one job per period, each in one of the two processes, and nothing is done again', async () => {
    // Shorter periods (as an operator could set them), to see several in a few seconds.
    const everyMs = 2000;
    const before = new Set((await finishedJobs()).map((j) => j.id));
    const changedAt = Date.now();
    for (const s of SCHEDULES) {
      await queue.upsertJobScheduler(s.job, { every: everyMs }, { name: s.job, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } } });
    }
    const later = await eventually('three more periods of every schedule', async () => {
      const jobs = (await finishedJobs()).filter((j) => !before.has(j.id));
      const perScheduler = SCHEDULES.map((s) => jobs.filter((j) => slotOf(j).scheduler === s.job).length);
      return Math.min(...perScheduler) >= 3 ? jobs : undefined;
    }, 90_000, 250);
    await outboxDrained();

    expect(await queue.getJobs(['failed'])).toEqual([]);
    expectOneProcessEach(later);
    for (const s of SCHEDULES) {
      const slots = later.filter((j) => slotOf(j).scheduler === s.job).map((j) => slotOf(j).millis).sort((x, y) => x - y);
      expect(slots[0]).toBeGreaterThanOrEqual(changedAt - 1000);
      // One job per period: no two in the same period (a loaded machine may skip one, never double it).
      for (let i = 1; i < slots.length; i++) expect(slots[i] - slots[i - 1]).toBeGreaterThanOrEqual(everyMs);
    }
    // Both processes took their share.
    expect(new Set([...later, ...(await finishedJobs())].map((j) => j.processedBy)).size).toBe(2);

    expect(await effects()).toEqual(expectedEffects);
    expectMailsOnce();
  });
});
