import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/bootstrap';
import { dropTestDatabase, SmtpReceiver, TestContext, urlFor, withAdmin, World } from '@app/testing';
import { describeApi } from './support/describe-api';

/**
 * docs/operations.md "Backup and restore" and "Key rotation", done as an operator would: pg_dump -Fc,
 * pg_restore into a new database, an API started on it, the verify endpoints called.
 */
describeApi('Backup and restore (docs/operations.md)', {}, (rig) => {
  const work = mkdtempSync(join(tmpdir(), 'prestagate-backup-'));
  const restored = `pgr_${randomBytes(6).toString('hex')}`;
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;
  let key: string;
  const apps: NestFastifyApplication[] = [];

  /** An API process on the restored database, with the original environment but what `env` changes. */
  async function apiOnRestored(env: Record<string, string> = {}) {
    const app = await createApiApp({ env: { ...ctx.env, DATABASE_URL: urlFor(restored), ...env }, clock: ctx.clock });
    apps.push(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return request(app.getHttpServer());
  }

  const chains = async (http: ReturnType<typeof request>) => ({
    audit: (await http.get('/v1/audit-events/verify').set(w.dsi.auth).expect(200)).body,
    journal: (await http.get('/v1/connection-events/verify').set(w.dsi.auth).expect(200)).body,
  });

  const decide = (http: ReturnType<typeof request>) =>
    http.post('/v1/access-decisions').set('X-Api-Key', key).send({ account: 'nobody@contractor.test', resource: 'pacs-01' });

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    w = await World.build(ctx, smtp, 'restore');
    key = await w.gatewayKey();
    // Event ids that sort differently under different collations (the seals hash them ordered in SQL).
    const startedAt = new Date(ctx.clock.now().getTime() - 3600_000).toISOString();
    const events = ['S-8', 's-10', 's_9', 's9', 'sA'].map((eventId) => ({ eventId, account: 'someone@contractor.test', resource: 'pacs-01', startedAt, outcome: 'success' }));
    await ctx.http.post('/v1/connection-events').set('X-Api-Key', key).send(events).expect(200);

    const dump = join(work, 'prestagate.dump');
    execFileSync('pg_dump', ['-Fc', '-f', dump, ctx.env.DATABASE_URL!], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Restored on a server of another locale (ICU en-US, where those ids sort otherwise than in the test database).
    await withAdmin((c) => c.query(`CREATE DATABASE ${restored} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`));
    execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '-d', urlFor(restored), dump], { stdio: ['ignore', 'ignore', 'pipe'] });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await ctx?.close();
    await smtp?.stop();
    await dropTestDatabase(restored);
    rmSync(work, { recursive: true, force: true });
  });

  it('R-AUD R-ART41 a pg_dump -Fc restored with pg_restore, even on a server of another locale, keeps the audit chain, the journal seals and the files verifiable', async () => {
    const before = await chains(ctx.http);
    expect(before.audit).toMatchObject({ ok: true });
    expect(before.audit.checked).toBeGreaterThan(5);
    expect(before.journal).toMatchObject({ ok: true, checkedBatches: 1 });

    const http = await apiOnRestored();
    expect(await chains(http)).toEqual(before);

    const sql = new Client({ connectionString: urlFor(restored) });
    await sql.connect();
    try {
      const [files] = (await sql.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE encode(sha256(content), 'hex') <> sha256)::int AS altered FROM files`)).rows;
      expect(files.n).toBeGreaterThanOrEqual(2); // the charter and its signed copy, at least
      expect(files.altered).toBe(0);
    } finally {
      await sql.end();
    }
    // With the same APP_SECRET the gateways' keys and people's sessions still work.
    expect((await decide(http).expect(200)).body.decision).toBe('deny');
    await http.get('/v1/me').set(w.dsi.auth).expect(200);
  });

  it('R-AUD the restored database under another APP_SECRET refuses every gateway key and every session (docs/operations.md "Key rotation")', async () => {
    const http = await apiOnRestored({ APP_SECRET: randomBytes(32).toString('hex') });
    await decide(http).expect(401);
    await http.get('/v1/me').set(w.dsi.auth).expect(401);
  });
});
