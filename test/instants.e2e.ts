import { SignedIn, TestContext } from '@app/testing';
import type { Response } from 'supertest';
import { expectProblem } from './support/pages';
import { describeApi } from './support/describe-api';

const NOT_INSTANTS = ["' OR '1'='1", '2001', 'March 7, 2026', '1700000000000', '2026-03-01T08:00:00', '2026-02-30T08:00:00Z'];

/**
 * R-INT R-ART36: every instant a client sends, in a filter or a body, is strict ISO 8601 with its offset.
 * Before, JavaScript's Date read any text it could (`' OR '1'='1` was 2001-01-01, a time without an
 * offset was read in the server's zone): a filter silently answered something else than asked.
 */
describeApi('R-INT strict ISO 8601 instants in every filter and body', { mail: false }, (rig) => {
  let ctx: TestContext;
  let dsi: SignedIn;
  let gatewayKey: string;

  beforeAll(async () => {
    ctx = rig.ctx;
    ({ dsi } = await ctx.tenantWithDsi());
    gatewayKey = (await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'Bastion', scopes: ['decisions', 'connections'] }).expect(201)).body.key;
  });

  const filters: [string, string][] = [
    ['/v1/interventions', 'from'], ['/v1/interventions', 'to'], ['/v1/audit-events', 'from'], ['/v1/audit-events', 'to'],
    ['/v1/anomalies', 'from'], ['/v1/anomalies', 'to'],
  ];
  it.each(filters)('R-INT R-ART36 %s?%s= anything but an ISO 8601 instant is a 400 naming the parameter', async (path, name) => {
    for (const text of NOT_INSTANTS) {
      const res = await ctx.http.get(path).query({ [name]: text }).set(dsi.auth);
      expectProblem(res, 400, name);
    }
    await ctx.http.get(path).query({ [name]: '2026-03-01T09:00:00.5+01:00' }).set(dsi.auth).expect(200);
  });

  const bodies: [string, string][] = [
    ['/v1/connection-exports', 'from'], ['/v1/connection-exports', 'to'], ['/v1/derogations', 'validFrom'], ['/v1/derogations', 'validUntil'],
    ['/v1/interventions', 'startsAt'], ['/v1/interventions', 'endsAt'], ['/v1/connection-events/purge', 'from'], ['/v1/connection-events/purge', 'to'],
  ];
  it.each(bodies)('R-INT R-ART36 POST %s with %s not an ISO 8601 instant is a 400 naming the field', async (path, name) => {
    for (const text of NOT_INSTANTS) {
      const res = await ctx.http.post(path).set(dsi.auth).send({ [name]: text });
      expectProblem(res, 400, name);
    }
  });

  it('R-INT R-ART36 a decision `at`, a blackout and a gateway event take only ISO 8601 instants', async () => {
    for (const text of NOT_INSTANTS) {
      const decision: Response = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', gatewayKey).send({ account: 'a@b.test', resource: 'dpi', at: text });
      expectProblem(decision, 400, 'at');
      const policy: Response = await ctx.http.patch('/v1/tenant/policy').set(dsi.auth).send({ blackouts: [{ from: text, to: '2030-01-02T00:00:00Z', label: 'x' }] });
      expectProblem(policy, 400, 'blackouts.0.from');
      const event = { eventId: `e-${text}`, account: 'a@b.test', resource: 'dpi', startedAt: text, outcome: 'success' };
      const ingested = await ctx.http.post('/v1/connection-events').set('X-Api-Key', gatewayKey).send([event]).expect(200);
      expect(ingested.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, error: expect.stringContaining('startedAt') }] });
    }
    const asked = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', gatewayKey).send({ account: 'a@b.test', resource: 'dpi', at: '2026-03-01T09:00:00+01:00' });
    expect(asked.status).toBe(200);
  });
});
