import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { JobName, Metrics, MetricsServer, parseConfig, QueueName, Role } from '@app/core';
import { ANOMALY_KINDS } from '@app/journal';
import { eventually, freePort, SmtpReceiver, TestContext, World } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';

/** One exposition, parsed: `name{k="v",...}` (labels sorted) -> value. */
type Exposition = Map<string, number>;

function seriesKey(name: string, labels: Record<string, string> = {}): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}="${v}"`);
  return pairs.length ? `${name}{${pairs.join(',')}}` : name;
}

function parseExposition(text: string): Exposition {
  const series: Exposition = new Map();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    series.set(seriesKey(m[1], labels), Number(m[3]));
  }
  return series;
}

/**
 * Observability: the Prometheus exposition on its own port, scraped like Prometheus would
 * after real work through the API (decisions, a journal batch, e-mails through the outbox and
 * BullMQ, correlation in the worker).
 */
describe('Metrics: Prometheus /metrics on its own port, protected by a token', () => {
  const TOKEN = 'metrics-scraper-token-0123456789';
  const MINUTE = 60_000;
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;
  let key: string;
  let metricsUrl: string;

  const scrapeRaw = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, path = '/metrics', method = 'GET') =>
    fetch(`${metricsUrl}${path}`, { method, headers });
  async function scrape(): Promise<Exposition> {
    const res = await scrapeRaw();
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  }
  const value = (e: Exposition, name: string, labels: Record<string, string> = {}) => e.get(seriesKey(name, labels));
  const at = (offsetMs: number) => new Date(ctx.clock.now().getTime() + offsetMs);
  const undelivered = async () => Number((await ctx.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL`))[0].n);

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    const port = await freePort();
    ctx = await TestContext.start({
      env: { SMTP_URL: smtp.url, ACCESS_TOKEN_TTL_SECONDS: '3600', METRICS_HOST: '127.0.0.1', METRICS_PORT: String(port), METRICS_TOKEN: TOKEN },
      worker: true,
    });
    const address = await ctx.api.get(MetricsServer).listen();
    expect(address?.port).toBe(port);
    metricsUrl = `http://127.0.0.1:${port}`;
    w = await World.build(ctx, smtp, 'metrics');
    key = await w.gatewayKey();
  });
  afterAll(async () => {
    await ctx?.close();
    await smtp?.stop();
  });

  it('the metrics are not on the public API port; the metrics port refuses a missing or wrong token and serves only /metrics', async () => {
    const publicApi = await ctx.http.get('/metrics');
    expect(publicApi.status).toBe(404);
    expect(publicApi.text).not.toContain('prestagate_');

    const anonymous = await scrapeRaw({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await scrapeRaw({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrapeRaw({ authorization: TOKEN })).status).toBe(401);

    const ok = await scrapeRaw();
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await ok.text();
    expect(text).toContain('# TYPE prestagate_http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');

    expect((await scrapeRaw(undefined, '/health')).status).toBe(404);
    const post = await scrapeRaw(undefined, '/metrics', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('a metrics port of 0 serves nothing', async () => {
    const disabled = new MetricsServer(parseConfig({ ...ctx.env, METRICS_PORT: '0' }), ctx.api.get(Metrics));
    expect(await disabled.listen()).toBeNull();
  });

  it('R-ART36 every access decision is counted by outcome, and a deny counts each of its reasons once', async () => {
    const account = await w.activeAccount('Jean', 'Dupont');
    const pacs = await w.resource('PACS', 'pacs-metrics');
    await w.habilitate(account.id, pacs);
    await w.approvedWindow([account.id], [pacs], at(-5 * MINUTE), at(2 * 60 * MINUTE));
    const before = await scrape();

    const allow = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', key).send({ account: account.email, resource: 'pacs-metrics' }).expect(200);
    expect(allow.body).toMatchObject({ decision: 'allow', reasons: [] });
    const deny = await ctx.http.post('/v1/access-decisions').set('X-Api-Key', key).send({ account: account.email, resource: 'no-such-server' }).expect(200);
    expect({ decision: deny.body.decision, reasons: [...deny.body.reasons].sort() }).toEqual({ decision: 'deny', reasons: ['NO_APPROVED_WINDOW', 'UNKNOWN_RESOURCE'] });

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => (value(after, name, labels) ?? NaN) - (value(before, name, labels) ?? 0);
    expect(delta('prestagate_access_decisions_total', { decision: 'allow' })).toBe(1);
    expect(delta('prestagate_access_decisions_total', { decision: 'deny' })).toBe(1);
    expect(delta('prestagate_access_denial_reasons_total', { reason: 'UNKNOWN_RESOURCE' })).toBe(1);
    expect(delta('prestagate_access_denial_reasons_total', { reason: 'NO_APPROVED_WINDOW' })).toBe(1);
    // Reasons that did not apply are exposed (at 0 from the start) and did not move.
    expect(delta('prestagate_access_denial_reasons_total', { reason: 'ACCOUNT_SUSPENDED' })).toBe(0);
    expect(delta('prestagate_http_request_duration_seconds_count', { method: 'POST', route: '/v1/access-decisions', status_class: '2xx' })).toBe(2);
  });

  it('HTTP latency is labelled by the route pattern, never by the URL with its ids; unknown paths share one label', async () => {
    const account = await w.activeAccount('Lea', 'Martin');
    const missing = randomUUID();
    const before = await scrape();
    await ctx.http.get(`/v1/accounts/${account.id}`).set(w.dsi.auth).expect(200);
    await ctx.http.get(`/v1/accounts/${missing}`).set(w.dsi.auth).expect(404);
    await ctx.http.get(`/v1/no-such-collection/${missing}`).set(w.dsi.auth).expect(404);

    const res = await scrapeRaw();
    const text = await res.text();
    const after = parseExposition(text);
    const count = (e: Exposition, labels: Record<string, string>) => value(e, 'prestagate_http_request_duration_seconds_count', labels) ?? 0;
    expect(count(after, { method: 'GET', route: '/v1/accounts/:id', status_class: '2xx' }) - count(before, { method: 'GET', route: '/v1/accounts/:id', status_class: '2xx' })).toBe(1);
    expect(count(after, { method: 'GET', route: '/v1/accounts/:id', status_class: '4xx' }) - count(before, { method: 'GET', route: '/v1/accounts/:id', status_class: '4xx' })).toBe(1);
    expect(count(after, { method: 'GET', route: 'unmatched', status_class: '4xx' }) - count(before, { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBe(1);
    expect(text).not.toContain(account.id);
    expect(text).not.toContain(missing);
    expect(text).not.toContain('no-such-collection');
    // Buckets are cumulative: the +Inf bucket holds every request the count does.
    const inf = value(after, 'prestagate_http_request_duration_seconds_bucket', { method: 'GET', route: '/v1/accounts/:id', status_class: '2xx', le: '+Inf' });
    expect(inf).toBe(count(after, { method: 'GET', route: '/v1/accounts/:id', status_class: '2xx' }));
  });

  it('R-ART41 ingested events are counted: accepted, duplicates (in the batch and already received) and rejected; anomalies stored by the worker are counted by kind', async () => {
    const before = await scrape();
    const event = { eventId: 'm-1', account: 'intruder@elsewhere.test', resource: 'pacs-metrics', sourceIp: '192.0.2.7', startedAt: at(-MINUTE).toISOString(), outcome: 'success' };
    const first = await ctx.http.post('/v1/connection-events').set('X-Api-Key', key)
      .send([event, event, { eventId: 'm-2', account: 'someone@elsewhere.test', outcome: 'success' }]).expect(200);
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 1, rejected: [{ index: 2 }] });
    const again = await ctx.http.post('/v1/connection-events').set('X-Api-Key', key).send([event]).expect(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1, rejected: [] });

    await ctx.worker!.get(JobRegistry).dispatch(JobName.JournalCorrelate, {}, { attempt: 1 });
    const after = await scrape();
    const delta = (result: string) => (value(after, 'prestagate_connection_events_total', { via: 'api', result }) ?? NaN)
      - (value(before, 'prestagate_connection_events_total', { via: 'api', result }) ?? 0);
    expect({ accepted: delta('accepted'), duplicate: delta('duplicate'), rejected: delta('rejected') }).toEqual({ accepted: 1, duplicate: 2, rejected: 1 });

    // The worker stored the anomaly; this process counts it from the table.
    const stored = await ctx.query<{ kind: string }>(`SELECT kind FROM anomalies`);
    expect(stored.map((a) => a.kind)).toEqual(['unknown_account']);
    expect(value(after, 'prestagate_anomalies_total', { kind: 'unknown_account' })).toBe(1);
    for (const kind of ANOMALY_KINDS.filter((k) => k !== 'unknown_account')) expect(value(after, 'prestagate_anomalies_total', { kind })).toBe(0);
    expect(value(after, 'prestagate_metrics_source_up', { source: 'anomalies' })).toBe(1);
  });

  it('R-NOT outbox lag and queue depth show the e-mail not yet delivered, and fall back to zero once it is', async () => {
    const jobs = (e: Exposition, state: string) => value(e, 'prestagate_queue_jobs', { queue: QueueName.Notifications, state });
    await eventually(undelivered, (n) => n === 0);
    await ctx.stopWorker();
    const queue = new Queue(QueueName.Notifications, { connection: { url: ctx.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix: ctx.env.QUEUE_PREFIX });
    try {
      const idle = await scrape();
      expect(value(idle, 'prestagate_outbox_pending')).toBe(0);
      expect(value(idle, 'prestagate_outbox_lag_seconds')).toBe(0);
      expect(jobs(idle, 'waiting')).toBe(0);

      // The DSI invites a referent: an invitation e-mail enters the outbox; no worker runs.
      const email = `referent.${randomUUID().slice(0, 8)}@hospital.test`;
      await ctx.http.post('/v1/users').set(w.dsi.auth).send({ email, firstName: 'Rene', lastName: 'Referent', roles: [Role.Referent] }).expect(201);
      const [row] = await ctx.query<{ created_at: Date }>(`SELECT created_at FROM outbox WHERE delivered_at IS NULL`);
      // 90 seconds (at least) after the row was written, on the test clock, which only moves forward.
      const target = new Date(Math.max(ctx.clock.now().getTime(), row.created_at.getTime()) + 90_000);
      ctx.clock.set(target);
      const waiting = await scrape();
      expect(value(waiting, 'prestagate_outbox_pending')).toBe(1);
      expect(value(waiting, 'prestagate_outbox_lag_seconds')).toBeCloseTo((target.getTime() - row.created_at.getTime()) / 1000, 2);
      expect(value(waiting, 'prestagate_outbox_lag_seconds')).toBeGreaterThanOrEqual(90);

      // The worker comes back while its queue is paused: the relay hands the row to BullMQ, where the job waits.
      await queue.pause();
      await ctx.startWorker();
      const queued = await eventually(scrape, (e) => jobs(e, 'waiting') === 1);
      expect(jobs(queued, 'waiting')).toBe(1);
      expect(value(queued, 'prestagate_outbox_pending')).toBe(1);
      expect(value(queued, 'prestagate_metrics_source_up', { source: 'queues' })).toBe(1);

      await queue.resume();
      await smtp.waitForSubject(email, 'Invitation');
      const done = await eventually(scrape, (e) => value(e, 'prestagate_outbox_pending') === 0 && jobs(e, 'waiting') === 0);
      expect({ pending: value(done, 'prestagate_outbox_pending'), lag: value(done, 'prestagate_outbox_lag_seconds'), waiting: jobs(done, 'waiting') })
        .toEqual({ pending: 0, lag: 0, waiting: 0 });
      expect(jobs(done, 'completed')).toBeGreaterThanOrEqual(1);
    } finally {
      await queue.resume().catch(() => undefined);
      await queue.close();
    }
  });

  it('a scrape never hangs on a blocked database: the source is reported down and its values are absent, the others still answer', async () => {
    await ctx.sql.query('BEGIN');
    try {
      await ctx.sql.query('LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const blocked = await scrape();
      const took = Date.now() - started;
      expect(took).toBeLessThan(5000);
      expect(value(blocked, 'prestagate_metrics_source_up', { source: 'outbox' })).toBe(0);
      expect(value(blocked, 'prestagate_outbox_lag_seconds')).toBeUndefined();
      expect(value(blocked, 'prestagate_outbox_pending')).toBeUndefined();
      expect(value(blocked, 'prestagate_metrics_source_up', { source: 'anomalies' })).toBe(1);
    } finally {
      await ctx.sql.query('ROLLBACK');
    }
    const back = await scrape();
    expect(value(back, 'prestagate_metrics_source_up', { source: 'outbox' })).toBe(1);
    expect(value(back, 'prestagate_outbox_pending')).toBe(0);
  });
});
