import { ChildProcess, spawn } from 'node:child_process';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { QueueName, Role, SCHEDULES } from '@app/core';
import { freePort, TestContext } from '@app/testing';

describe('R-NOT the API without Redis, and the worker\'s schedules', () => {
  it('R-NOT the API starts and serves with Redis unreachable; readiness says so; writes still succeed', async () => {
    const ctx = await TestContext.start({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      await ctx.http.get('/health/live').expect(200);
      const ready = await ctx.http.get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({ status: 503, details: { database: { status: 'up' }, redis: { status: 'down' } } });
      const { dsi } = await ctx.tenantWithDsi();
      await ctx.http.post('/v1/users').set(dsi.auth).send({ email: 'waiting@hospital.test', firstName: 'A', lastName: 'B', roles: [Role.Rssi] }).expect(201);
      const pending = await ctx.query(`SELECT 1 FROM outbox WHERE payload->'to' ? 'waiting@hospital.test' AND delivered_at IS NULL`);
      expect(pending).toHaveLength(1);
    } finally {
      await ctx.close();
    }
  });

  it('R-ART2 R-ART10 recurring jobs are registered once, however many workers start', async () => {
    const ctx = await TestContext.start({ worker: true });
    const second = await ctx.createWorker();
    try {
      const queue = ctx.worker!.get<Queue>(getQueueToken(QueueName.Scheduler));
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual(SCHEDULES.map((s) => s.job).sort());
      expect(Object.fromEntries(schedulers.map((s) => [s.key, Number(s.every)]))).toEqual(Object.fromEntries(SCHEDULES.map((s) => [s.job, s.everyMs])));
    } finally {
      await second.close();
      await ctx.close();
    }
  });

  it('R-ART2 R-ART10 a worker started while Redis is down registers the recurring jobs once Redis is back', async () => {
    const port = await freePort();
    const ctx = await TestContext.start();
    let redis: ChildProcess | undefined;
    // The worker starts first; Redis comes up after it (a machine's services starting in the wrong order).
    const starting = ctx.createWorker({ REDIS_URL: `redis://127.0.0.1:${port}` });
    let queue: Queue | undefined;
    let worker: Awaited<typeof starting> | undefined;
    try {
      await new Promise((r) => setTimeout(r, 1500));
      redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      worker = await starting;
      queue = new Queue(QueueName.Scheduler, { connection: { host: '127.0.0.1', port }, prefix: ctx.env.QUEUE_PREFIX });
      const deadline = Date.now() + 30_000;
      let keys: string[] = [];
      while (Date.now() < deadline) {
        keys = (await queue.getJobSchedulers()).map((s) => s.key).sort();
        if (keys.length === SCHEDULES.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(keys).toEqual(SCHEDULES.map((s) => s.job).sort());
    } finally {
      await queue?.close();
      await worker?.close();
      await ctx.close();
      redis?.kill();
    }
  });
});

