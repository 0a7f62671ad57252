import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { Actor, Db, JobName, Role, Secrets } from '@app/core';
import { WebhookEvent, WebhookJobPayload, WebhooksService } from '@app/notifications';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { describeApi } from './support/describe-api';
import { HttpReceiver, Received, SignedIn, signedBy, TestContext, waitUntil } from '@app/testing';

/**
 * The receiver of docs/guide.md "Webhooks" since secret rotation: X-Prestagate-Signature may hold several
 * comma-separated values (two during a rotation's grace period); the delivery is genuine when one of
 * them is the signature with the secret this receiver holds.
 */
function customerAccepts(secret: string, req: Received, nowMs: number): boolean {
  const values = String(req.headers['x-prestagate-signature'] ?? '').split(',');
  return values.some((value) => signedBy(secret, { ...req, headers: { ...req.headers, 'x-prestagate-signature': value.trim() } }, nowMs));
}

function expectProblem(res: Response, status: number, code?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  if (code) expect(res.body.code).toBe(code);
}

describeApi('R-NOT webhooks: signed deliveries to a real receiver, retried by the worker', { mail: false, worker: true }, (rig) => {
  let ctx: TestContext;
  let receiver: HttpReceiver;
  let tenantId: string;
  let dsi: SignedIn;

  beforeAll(async () => {
    ctx = rig.ctx;
    receiver = await HttpReceiver.start();
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
  });
  afterAll(() => receiver?.stop());

  /** How the accounts module (and others) raise an event: inside their own transaction. */
  const publish = (tenant: string, event: WebhookEvent, data: Record<string, unknown>) =>
    ctx.api.get(Db).transaction(() => ctx.api.get(WebhooksService).publish(tenant, event, data));

  const subscribe = (path: string, events: string[], auth = dsi.auth) =>
    ctx.http.post('/v1/webhooks').set(auth).send({ url: receiver.url(path), events }).expect(201).then((r) => r.body);

  /** The delivery (outbox row) made for one webhook among those `publish` returned. */
  const deliveryFor = async (ids: string[], webhookId: string): Promise<string> => {
    const [row] = await ctx.query<{ id: string }>(`SELECT id FROM outbox WHERE id = ANY($1) AND payload->>'webhookId' = $2`, [ids, webhookId]);
    if (!row) throw new Error(`no delivery for webhook ${webhookId}`);
    return row.id;
  };

  const outboxRows = (ids: string[]) =>
    ctx.query<{ id: string; delivered_at: Date | null; attempts: number; last_error: string | null }>(
      `SELECT id, delivered_at, attempts, last_error FROM outbox WHERE id = ANY($1)`, [ids],
    );

  const untilClosed = (ids: string[]) =>
    waitUntil(async () => (await outboxRows(ids)).every((r) => r.delivered_at !== null), 15_000, `outbox rows ${ids.join(', ')} closed`);

  const deliveries = (id: string, query: Record<string, unknown> = {}) =>
    ctx.http.get(`/v1/webhooks/${id}/deliveries`).query(query).set(dsi.auth).expect(200).then((r) => r.body);

  it('R-NOT a webhook receiver gets a correctly signed event', async () => {
    const hook = await subscribe('/signed', ['account.suspended', 'account.deactivated']);
    expect(hook).toMatchObject({
      id: expect.any(String), url: receiver.url('/signed'), events: ['account.suspended', 'account.deactivated'],
      createdBy: dsi.userId, revokedAt: null, secret: expect.stringMatching(/^whsec_[\w-]{40,}$/),
    });

    const data = { accountId: '2b1a7c1e-4c1d-4d3f-9c55-0f1f8f6d0a11', reason: 'compromise reported' };
    const [deliveryId, ...more] = await publish(tenantId, 'account.suspended', data);
    expect(more).toHaveLength(0);

    const [req] = await receiver.waitFor('/signed');
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-prestagate-event']).toBe('account.suspended');
    expect(req.headers['x-prestagate-delivery']).toBe(deliveryId);
    expect(Number(req.headers['x-prestagate-timestamp'])).toBe(Math.floor(ctx.clock.now().getTime() / 1000));
    expect(signedBy(hook.secret, req, ctx.clock.now().getTime())).toBe(true);
    expect(signedBy(`${hook.secret}x`, req, ctx.clock.now().getTime())).toBe(false);
    expect(signedBy(hook.secret, { ...req, rawBody: req.rawBody.replace('compromise', 'nothing') }, ctx.clock.now().getTime())).toBe(false);
    expect(JSON.parse(req.rawBody)).toEqual({
      id: deliveryId, event: 'account.suspended', occurredAt: ctx.clock.now().toISOString(), tenantId, data,
    });

    await untilClosed([deliveryId]);
    // The same job run again (a crash before BullMQ recorded its completion) sends nothing twice.
    const [row] = await ctx.query<{ payload: WebhookJobPayload }>(`SELECT payload FROM outbox WHERE id = $1`, [deliveryId]);
    await ctx.worker!.get(JobRegistry).dispatch(JobName.WebhookDeliver, row.payload, { outboxId: deliveryId, attempt: 2 });
    expect(receiver.on('/signed')).toHaveLength(1);

    const log = await deliveries(hook.id);
    expect(log).toEqual({
      items: [expect.objectContaining({ deliveryId, event: 'account.suspended', attempt: 1, ok: true, statusCode: 200, error: null, durationMs: expect.any(Number) })],
      nextCursor: null,
    });
  });

  it('R-NOT a receiver answering 500 twice then 200 gets the event after retries; the log shows both failures then the success', async () => {
    const hook = await subscribe('/flaky', ['account.deactivated']);
    receiver.answer('/flaky', 500, 500);
    const deliveryId = await deliveryFor(await publish(tenantId, 'account.deactivated', { accountId: 'a-1', effectiveOn: '2026-11-23' }), hook.id);

    const requests = await receiver.waitFor('/flaky', 3);
    await untilClosed([deliveryId]);
    await new Promise((r) => setTimeout(r, 500)); // a 4th attempt would come within the backoff
    expect(receiver.on('/flaky')).toHaveLength(3);
    for (const req of requests) {
      expect(req.headers['x-prestagate-delivery']).toBe(deliveryId);
      expect(JSON.parse(req.rawBody).id).toBe(deliveryId);
      expect(signedBy(hook.secret, req, ctx.clock.now().getTime())).toBe(true);
    }
    const [row] = await outboxRows([deliveryId]);
    expect(row).toMatchObject({ attempts: 2, last_error: null });

    const log = await deliveries(hook.id);
    expect(log.items.map((d: { attempt: number; ok: boolean; statusCode: number }) => [d.attempt, d.ok, d.statusCode])).toEqual([
      [3, true, 200], [2, false, 500], [1, false, 500],
    ]);
    expect(log.items[1].error).toBe('HTTP 500: receiver is broken');
    expect(log.items.every((d: { deliveryId: string }) => d.deliveryId === deliveryId)).toBe(true);

    const first = await deliveries(hook.id, { limit: 2 });
    expect(first.items.map((d: { attempt: number }) => d.attempt)).toEqual([3, 2]);
    const second = await deliveries(hook.id, { limit: 2, cursor: first.nextCursor });
    expect(second).toMatchObject({ items: [expect.objectContaining({ attempt: 1 })], nextCursor: null });
  });

  it('R-NOT an unreachable receiver: each attempt is logged with its error and retried; revoking the webhook ends the retries', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise((resolve) => closed.close(resolve));
    const hook = await ctx.http.post('/v1/webhooks').set(dsi.auth).send({ url, events: ['account.resumed'] }).expect(201).then((r) => r.body);
    const deliveryId = await deliveryFor(await publish(tenantId, 'account.resumed', { accountId: 'a-2' }), hook.id);

    await waitUntil(async () => (await deliveries(hook.id)).items.length >= 2, 15_000, 'two failed attempts');
    const log = await deliveries(hook.id);
    for (const attempt of log.items) {
      expect(attempt).toMatchObject({ deliveryId, ok: false, statusCode: null, error: 'connection failed: ECONNREFUSED' });
    }
    await ctx.http.delete(`/v1/webhooks/${hook.id}`).set(dsi.auth).expect(204);
    await untilClosed([deliveryId]);
    const [row] = await outboxRows([deliveryId]);
    expect(row.last_error).toBe('skipped: webhook revoked');
    const settled = (await deliveries(hook.id)).items.length;
    await new Promise((r) => setTimeout(r, 500));
    expect((await deliveries(hook.id)).items).toHaveLength(settled);
  });

  it('R-NOT a revoked webhook receives nothing further, not even a delivery already queued', async () => {
    const hook = await subscribe('/revoked', ['incident.reported']);
    const delivered = await deliveryFor(await publish(tenantId, 'incident.reported', { incidentId: 'i-1' }), hook.id);
    await receiver.waitFor('/revoked');
    await untilClosed([delivered]);

    await ctx.stopWorker();
    const queued = await deliveryFor(await publish(tenantId, 'incident.reported', { incidentId: 'i-2' }), hook.id);
    await ctx.http.delete(`/v1/webhooks/${hook.id}`).set(dsi.auth).expect(204);
    await ctx.http.delete(`/v1/webhooks/${hook.id}`).set(dsi.auth).expect(204); // revoking again changes nothing
    const afterRevoke = await publish(tenantId, 'incident.reported', { incidentId: 'i-3' });
    expect((await ctx.query(`SELECT id FROM outbox WHERE id = ANY($1) AND payload->>'webhookId' = $2`, [afterRevoke, hook.id]))).toEqual([]);
    await ctx.startWorker();

    await untilClosed([queued]);
    const [row] = await outboxRows([queued]);
    expect(row.last_error).toBe('skipped: webhook revoked');
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.on('/revoked')).toHaveLength(1);
    expect(JSON.parse(receiver.on('/revoked')[0].rawBody).data).toEqual({ incidentId: 'i-1' });

    const list = await ctx.http.get('/v1/webhooks').set(dsi.auth).expect(200);
    expect(list.body.items.find((w: { id: string }) => w.id === hook.id).revokedAt).toEqual(expect.any(String));
    const audit = await ctx.http.get('/v1/audit-events').query({ targetType: 'webhook', targetId: hook.id }).set(dsi.auth).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['webhook.revoked', 'webhook.created']);
    expect(audit.body.items[1].actor).toMatchObject({ type: 'user', id: dsi.userId });
  });

  it('R-NOT only subscribed events are delivered, and only to the tenant that raised them', async () => {
    const anomalies = await subscribe('/anomalies', ['anomaly.detected']);
    const both = await subscribe('/both', ['incident.reported', 'anomaly.detected']);
    const other = await ctx.tenantWithDsi();
    await subscribe('/other-tenant', ['anomaly.detected', 'incident.reported'], other.dsi.auth);

    const incident = await publish(tenantId, 'incident.reported', { incidentId: 'i-9' });
    const resumed = await publish(tenantId, 'account.resumed', { accountId: 'a-9' });
    const anomaly = await publish(tenantId, 'anomaly.detected', { anomalyId: 'n-9' });
    expect(resumed).toEqual([]);
    expect(await deliveryFor(anomaly, anomalies.id)).not.toBe(await deliveryFor(anomaly, both.id));
    await untilClosed([...incident, ...anomaly]);

    const events = (path: string) => receiver.on(path).map((r) => r.headers['x-prestagate-event']);
    expect(events('/anomalies')).toEqual(['anomaly.detected']);
    expect(events('/both').sort()).toEqual(['anomaly.detected', 'incident.reported']);
    expect(events('/other-tenant')).toEqual([]);
    for (const req of receiver.on('/anomalies')) expect(signedBy(anomalies.secret, req, ctx.clock.now().getTime())).toBe(true);
    for (const req of receiver.on('/both')) expect(signedBy(both.secret, req, ctx.clock.now().getTime())).toBe(true);
  });

  it('R-NOT only the DSI manages webhooks (RSSI reads the list); another tenant\'s DSI gets 404', async () => {
    const hook = await subscribe('/guarded', ['account.suspended']);
    const rssi = await ctx.signIn((await ctx.createUser({ tenantId, roles: [Role.Rssi] })).email);
    const auditor = await ctx.signIn((await ctx.createUser({ tenantId, roles: [Role.Auditor] })).email);
    const other = await ctx.tenantWithDsi();

    expectProblem(await ctx.http.post('/v1/webhooks').set(rssi.auth).send({ url: receiver.url('/x'), events: ['account.suspended'] }), 403);
    expectProblem(await ctx.http.delete(`/v1/webhooks/${hook.id}`).set(rssi.auth), 403);
    expectProblem(await ctx.http.get(`/v1/webhooks/${hook.id}/deliveries`).set(rssi.auth), 403);
    expectProblem(await ctx.http.get('/v1/webhooks').set(auditor.auth), 403);
    expectProblem(await ctx.http.get('/v1/webhooks'), 401);
    const seen = await ctx.http.get('/v1/webhooks').set(rssi.auth).expect(200);
    expect(seen.body.items.map((w: { id: string }) => w.id)).toContain(hook.id);

    expectProblem(await ctx.http.delete(`/v1/webhooks/${hook.id}`).set(other.dsi.auth), 404, 'NOT_FOUND');
    expectProblem(await ctx.http.get(`/v1/webhooks/${hook.id}/deliveries`).set(other.dsi.auth), 404, 'NOT_FOUND');
    const theirs = await ctx.http.get('/v1/webhooks').set(other.dsi.auth).expect(200);
    expect(theirs.body).toEqual({ items: [], nextCursor: null });
    expectProblem(await ctx.http.delete('/v1/webhooks/00000000-0000-4000-8000-000000000000').set(dsi.auth), 404);

    const [row] = await ctx.query<{ revoked_at: Date | null }>(`SELECT revoked_at FROM webhooks WHERE id = $1`, [hook.id]);
    expect(row.revoked_at).toBeNull();

    const docs = (await ctx.http.get('/docs-json').expect(200)).body;
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/v1/webhooks', '/v1/webhooks/{id}', '/v1/webhooks/{id}/deliveries']));
    expect(docs.components.schemas.CreateWebhookDto.properties.events.items.enum).toContain('account.deactivated');
  });

  it('R-NOT bad input is a 400 problem+json naming the field, and nothing is stored', async () => {
    const count = async () => (await ctx.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM webhooks)::int + (SELECT count(*) FROM audit_events)::int AS n`,
    ))[0].n;
    const before = await count();
    const post = (body: unknown) => ctx.http.post('/v1/webhooks').set(dsi.auth).send(body as object);
    const cases: [unknown, string][] = [
      [{ url: 'ftp://files.example.test/hook', events: ['account.suspended'] }, 'url'],
      [{ url: 'javascript:alert(1)', events: ['account.suspended'] }, 'url'],
      [{ url: 'not a url', events: ['account.suspended'] }, 'url'],
      [{ url: 'https://user:pass@siem.example.test/hook', events: ['account.suspended'] }, 'url'],
      [{ url: `https://siem.example.test/${'a'.repeat(2100)}`, events: ['account.suspended'] }, 'url'],
      [{ url: receiver.url('/bad'), events: ['account.exploded'] }, 'events'],
      [{ url: receiver.url('/bad'), events: [] }, 'events'],
      [{ url: receiver.url('/bad'), events: 'account.suspended' }, 'events'],
      [{ url: receiver.url('/bad'), events: ['account.suspended', 'account.suspended'] }, 'events'],
      [{ url: receiver.url('/bad') }, 'events'],
      [{ events: ['account.suspended'] }, 'url'],
      [{ url: receiver.url('/bad'), events: ['account.suspended'], secret: 'mine' }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expectProblem(await ctx.http.post('/v1/webhooks').set(dsi.auth).set('content-type', 'application/json').send('{"url":'), 400);
    expectProblem(await ctx.http.delete('/v1/webhooks/not-a-uuid').set(dsi.auth), 400);
    expectProblem(await ctx.http.get('/v1/webhooks').query({ cursor: 'garbage' }).set(dsi.auth), 400);
    expectProblem(await ctx.http.get('/v1/webhooks').query({ limit: 0 }).set(dsi.auth), 400);
    // The service keeps the same rules for callers that do not come through the HTTP DTO.
    const actor: Actor = { type: 'user', id: dsi.userId };
    const service = ctx.api.get(WebhooksService);
    await expect(service.create(actor, { tenantId }, 'ftp://files.example.test/hook', ['account.suspended'])).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    await expect(service.create(actor, { tenantId }, receiver.url('/bad'), [])).rejects.toMatchObject({ status: 400 });
    await expect(service.create(actor, { tenantId }, receiver.url('/bad'), ['account.exploded'])).rejects.toMatchObject({ status: 400 });
    await expect(service.publish(tenantId, 'account.exploded' as WebhookEvent, {})).rejects.toThrow(/WEBHOOK_EVENTS/);
    expect(await count()).toBe(before);

    await subscribe('/twice', ['account.suspended']);
    const again = await post({ url: receiver.url('/twice'), events: ['anomaly.detected'] });
    expectProblem(again, 409, 'WEBHOOK_URL_TAKEN');
    const hook = (await ctx.http.get('/v1/webhooks').query({ limit: 200 }).set(dsi.auth)).body.items
      .find((w: { url: string }) => w.url === receiver.url('/twice'));
    expectProblem(await ctx.http.get(`/v1/webhooks/${hook.id}/deliveries`).query({ cursor: 'garbage' }).set(dsi.auth), 400);
  });

  it('R-NOT the signing secret is shown only at creation: never in lists, the audit trail, the outbox or in clear in the database', async () => {
    const hook = await subscribe('/secret', ['anomaly.detected']);
    const deliveryId = await deliveryFor(await publish(tenantId, 'anomaly.detected', { anomalyId: 'n-1' }), hook.id);
    await receiver.waitFor('/secret');
    await untilClosed([deliveryId]);

    const list = await ctx.http.get('/v1/webhooks').query({ limit: 200 }).set(dsi.auth).expect(200);
    const listed = list.body.items.find((w: { id: string }) => w.id === hook.id);
    expect(Object.keys(listed).sort()).toEqual(['createdAt', 'createdBy', 'events', 'id', 'previousSecretValidUntil', 'revokedAt', 'secretRotatedAt', 'url']);
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);
    expect(JSON.stringify(await deliveries(hook.id))).not.toContain(hook.secret);
    const audit = await ctx.http.get('/v1/audit-events').query({ limit: 200 }).set(dsi.auth).expect(200);
    expect(JSON.stringify(audit.body)).not.toContain(hook.secret);
    expect(audit.body.items.find((e: { targetId: string; target: { id: string } }) => e.target.id === hook.id).after)
      .toEqual({ url: receiver.url('/secret'), events: ['anomaly.detected'] });
    expect(JSON.stringify(await ctx.query(`SELECT * FROM outbox`))).not.toContain(hook.secret);
    expect(JSON.stringify(await ctx.query(`SELECT * FROM webhook_deliveries`))).not.toContain(hook.secret);

    const [row] = await ctx.query<{ secret_enc: string }>(`SELECT secret_enc FROM webhooks WHERE id = $1`, [hook.id]);
    expect(row.secret_enc).not.toContain(hook.secret);
    expect(ctx.api.get(Secrets).decrypt(row.secret_enc)).toBe(hook.secret);

    const page = await ctx.http.get('/v1/webhooks').query({ limit: 2 }).set(dsi.auth).expect(200);
    expect(page.body.items).toHaveLength(2);
    const rest = await ctx.http.get('/v1/webhooks').query({ limit: 200, cursor: page.body.nextCursor }).set(dsi.auth).expect(200);
    expect([...page.body.items, ...rest.body.items].map((w: { id: string }) => w.id)).toEqual(list.body.items.map((w: { id: string }) => w.id));
  });

  const HOUR = 3_600_000;
  const rotate = (id: string, body: object = {}, auth = dsi.auth) => ctx.http.post(`/v1/webhooks/${id}/rotate-secret`).set(auth).send(body);

  it('R-NOT rotating the signing secret: shown once; during the grace period deliveries carry both signatures, then the new one alone; audited', async () => {
    const hook = await subscribe('/rotate', ['incident.reported']);
    const s1 = hook.secret as string;
    const deliver = async (incidentId: string): Promise<Received> => {
      const before = receiver.on('/rotate').length;
      await untilClosed(await publish(tenantId, 'incident.reported', { incidentId }));
      return (await receiver.waitFor('/rotate', before + 1))[before];
    };
    const now = () => ctx.clock.now().getTime();

    // Default grace period: 24 hours, both signatures, the new secret first.
    const rotatedAt = ctx.clock.now();
    const first = (await rotate(hook.id).expect(200)).body;
    const s2 = first.secret as string;
    expect(first).toMatchObject({
      id: hook.id, url: receiver.url('/rotate'), secretRotatedAt: rotatedAt.toISOString(),
      previousSecretValidUntil: new Date(rotatedAt.getTime() + 24 * HOUR).toISOString(), revokedAt: null,
      secret: expect.stringMatching(/^whsec_[\w-]{40,}$/),
    });
    expect(s2).not.toBe(s1);
    const during = await deliver('r-1');
    const values = String(during.headers['x-prestagate-signature']).split(',');
    expect(values).toHaveLength(2);
    expect(values.every((v) => /^sha256=[0-9a-f]{64}$/.test(v))).toBe(true);
    expect(signedBy(s2, { ...during, headers: { ...during.headers, 'x-prestagate-signature': values[0] } }, now())).toBe(true);
    expect(signedBy(s1, { ...during, headers: { ...during.headers, 'x-prestagate-signature': values[1] } }, now())).toBe(true);
    expect(customerAccepts(s1, during, now())).toBe(true); // a receiver not switched yet
    expect(customerAccepts(s2, during, now())).toBe(true); // a receiver already switched
    expect(customerAccepts(`${s1}x`, during, now())).toBe(false);

    // Still both a second before the end of the grace period; the new one alone after it.
    await ctx.advanceClock(24 * HOUR - 1000);
    expect(String((await deliver('r-2')).headers['x-prestagate-signature']).split(',')).toHaveLength(2);
    await ctx.advanceClock(1000);
    const after = await deliver('r-3');
    expect(String(after.headers['x-prestagate-signature']).split(',')).toHaveLength(1);
    expect(customerAccepts(s2, after, now())).toBe(true);
    expect(customerAccepts(s1, after, now())).toBe(false);

    // A leaked secret: no grace period, the old one stops at once.
    const leaked = (await rotate(hook.id, { gracePeriodHours: 0 }).expect(200)).body;
    const s3 = leaked.secret as string;
    expect(leaked.previousSecretValidUntil).toBeNull();
    const atOnce = await deliver('r-4');
    expect(customerAccepts(s3, atOnce, now())).toBe(true);
    expect(customerAccepts(s2, atOnce, now())).toBe(false);

    // Two rotations in a row: two secrets at most are in force, the oldest is dropped at once.
    const s4 = (await rotate(hook.id, { gracePeriodHours: 2 }).expect(200)).body.secret as string;
    const latest = (await rotate(hook.id, { gracePeriodHours: 2 }).expect(200)).body;
    const s5 = latest.secret as string;
    expect(latest.previousSecretValidUntil).toBe(new Date(now() + 2 * HOUR).toISOString());
    const twice = await deliver('r-5');
    expect(String(twice.headers['x-prestagate-signature']).split(',')).toHaveLength(2);
    expect([s5, s4, s3].map((s) => customerAccepts(s, twice, now()))).toEqual([true, true, false]);

    // Stored encrypted, shown in no later answer, audited without any secret.
    const secrets = [s1, s2, s3, s4, s5];
    const [row] = await ctx.query<{ secret_enc: string; previous_secret_enc: string }>(`SELECT secret_enc, previous_secret_enc FROM webhooks WHERE id = $1`, [hook.id]);
    expect([ctx.api.get(Secrets).decrypt(row.secret_enc), ctx.api.get(Secrets).decrypt(row.previous_secret_enc)]).toEqual([s5, s4]);
    const list = JSON.stringify((await ctx.http.get('/v1/webhooks').query({ limit: 200 }).set(dsi.auth).expect(200)).body);
    const audit = (await ctx.http.get('/v1/audit-events').query({ targetId: hook.id, action: 'webhook.secret_rotated' }).set(dsi.auth).expect(200)).body;
    const stored = JSON.stringify([row, await ctx.query(`SELECT * FROM outbox`), audit]);
    for (const secret of secrets) expect([list.includes(secret), stored.includes(secret)]).toEqual([false, false]);
    expect(audit.items.map((e: { after: { gracePeriodHours: number } }) => e.after.gracePeriodHours)).toEqual([2, 2, 0, 24]);
    expect(audit.items[0]).toMatchObject({ actor: { type: 'user', id: dsi.userId }, target: { type: 'webhook', id: hook.id } });
    expect((await ctx.http.get('/v1/audit-events/verify').set(dsi.auth).expect(200)).body.ok).toBe(true);
  });

  it('R-NOT only the DSI rotates a secret (403), another tenant\'s webhook is 404, a bad grace period 400, a revoked webhook 409; nothing changes', async () => {
    const hook = await subscribe('/rotate-guarded', ['account.suspended']);
    const rssi = await ctx.signIn((await ctx.createUser({ tenantId, roles: [Role.Rssi] })).email);
    const other = await ctx.tenantWithDsi();
    const state = () => ctx.query(`SELECT secret_enc, previous_secret_enc, secret_rotated_at FROM webhooks WHERE id = $1`, [hook.id]);
    const before = await state();

    expectProblem(await rotate(hook.id, {}, rssi.auth), 403);
    expectProblem(await ctx.http.post(`/v1/webhooks/${hook.id}/rotate-secret`).send({}), 401);
    expectProblem(await rotate(hook.id, {}, other.dsi.auth), 404, 'NOT_FOUND');
    expectProblem(await rotate('00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    expectProblem(await rotate('not-a-uuid'), 400);
    for (const gracePeriodHours of [-1, 169, 1.5, '24', null, 1e9]) {
      const res = await rotate(hook.id, { gracePeriodHours });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('gracePeriodHours');
    }
    expectProblem(await rotate(hook.id, { secret: 'whsec_mine' }), 400, 'VALIDATION_FAILED');
    await expect(ctx.api.get(WebhooksService).rotateSecret({ type: 'user', id: dsi.userId }, { tenantId }, hook.id, 500))
      .rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await state()).toEqual(before);

    await ctx.http.delete(`/v1/webhooks/${hook.id}`).set(dsi.auth).expect(204);
    expectProblem(await rotate(hook.id), 409, 'WEBHOOK_REVOKED');
    expect(await state()).toEqual(before);
  });

  it('R-NOT a webhook whose secret this server can no longer decrypt (APP_SECRET changed) gets a new one by rotation, and deliveries resume signed with it', async () => {
    const hook = await subscribe('/rekeyed', ['account.resumed']);
    // Sealed under another key: same format, another authentication tag (docs/operations.md "Key rotation").
    await ctx.query(`UPDATE webhooks SET secret_enc = regexp_replace(secret_enc, '^(v1\\.[^.]+\\.)[^.]+', '\\1AAAAAAAAAAAAAAAAAAAAAA') WHERE id = $1`, [hook.id]);
    const [sealed] = await ctx.query<{ secret_enc: string }>(`SELECT secret_enc FROM webhooks WHERE id = $1`, [hook.id]);
    expect(() => ctx.api.get(Secrets).decrypt(sealed.secret_enc)).toThrow();
    const rotated = (await rotate(hook.id, { gracePeriodHours: 24 }).expect(200)).body;
    const ids = await publish(tenantId, 'account.resumed', { accountId: 'a-rekeyed' });
    await untilClosed(ids);
    const [req] = await receiver.waitFor('/rekeyed');
    expect(String(req.headers['x-prestagate-signature']).split(',')).toHaveLength(1);
    expect(customerAccepts(rotated.secret, req, ctx.clock.now().getTime())).toBe(true);
    expect(customerAccepts(hook.secret, req, ctx.clock.now().getTime())).toBe(false);
    expect((await deliveries(hook.id)).items.map((d: { ok: boolean }) => d.ok)).toEqual([true]);
  });

  it('R-NOT a rotation retried with the same Idempotency-Key answers the same secret and rotates once; a bare POST uses the 24-hour default', async () => {
    const hook = await subscribe('/rotate-retried', ['account.suspended']);
    const retry = () => ctx.http.post(`/v1/webhooks/${hook.id}/rotate-secret`).set(dsi.auth).set('Idempotency-Key', 'rotate-1').send({ gracePeriodHours: 1 });
    const first = await retry().expect(200);
    const again = await retry().expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.secret).toBe(first.body.secret);
    expect(await ctx.query(`SELECT id FROM audit_events WHERE target_id = $1 AND action = 'webhook.secret_rotated'`, [hook.id])).toHaveLength(1);
    const [row] = await ctx.query<{ secret_enc: string }>(`SELECT secret_enc FROM webhooks WHERE id = $1`, [hook.id]);
    expect(ctx.api.get(Secrets).decrypt(row.secret_enc)).toBe(first.body.secret);

    // No body at all (curl -X POST): the default grace period.
    const bare = await ctx.http.post(`/v1/webhooks/${hook.id}/rotate-secret`).set(dsi.auth).expect(200);
    expect(bare.body.previousSecretValidUntil).toBe(new Date(ctx.clock.now().getTime() + 24 * HOUR).toISOString());
  });
});
