import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { Response } from 'supertest';
import { TestContext } from '@app/testing';
import { createApiApp } from '../apps/api/src/bootstrap';

function expectProblem(res: Response, status: number, code: string): void {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toContain('application/problem+json');
}

const attempt = { email: 'nobody@example.test', password: 'Wrong-password-1' };

describe('R-ART28 the sign-in rate limit is shared by every API process', () => {
  let ctx: TestContext;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    ctx = await TestContext.start({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '5' } });
    // Another API process on the same database and Redis, as behind a load balancer.
    second = await createApiApp({ env: ctx.env, clock: ctx.clock });
    await second.init();
    await second.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await second?.close();
    await ctx?.close();
  });

  it('R-ART28 five attempts a minute in all, whichever process answers: the sixth is a 429 problem with Retry-After', async () => {
    const through = (i: number) => (i % 2 ? request(second.getHttpServer()) : ctx.http);
    for (let i = 0; i < 5; i++) expectProblem(await through(i).post('/v1/auth/login').send(attempt), 401, 'INVALID_CREDENTIALS');
    for (const i of [5, 6]) {
      const refused = await through(i).post('/v1/auth/login').send(attempt);
      expectProblem(refused, 429, 'RATE_LIMITED');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Routes outside sign-in are not limited by it, on either process.
    await ctx.http.get('/health/live').expect(200);
    await request(second.getHttpServer()).get('/health/live').expect(200);
  });
});
