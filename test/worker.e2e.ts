import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { QueueName, Role, SCHEDULES } from '@app/core';
import { TestContext } from '@app/testing';

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
});
