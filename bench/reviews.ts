import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CoreModule, ManualClock, runMigrations } from '@app/core';
import { presetPolicy } from '@app/identity';
import { ReviewsModule, ReviewsService } from '@app/reviews';
import { MIGRATIONS } from '@app/migrations';
import { ADMIN_URL, urlFor, withDb } from './support';

/**
 * `npm run bench:reviews`: opening every review campaign of a large establishment through ReviewsService.openDue.
 * Prints the time and PASS/FAIL against docs/performance.md, "Access reviews"; drops its database at the end.
 */

const TARGET_MS = 10_000;
const VOLUMES = { contractors: 500, subcontractors: 50, accounts: 10_000, resources: 300, habilitationsPerAccount: 2 };
const DAY = 86_400_000;

/**
 * One tenant, 500 contractors (the last 50 declared as subcontractors of the first ones, reviewed
 * in their prime's campaign), 10,000 active accounts first activated 300 days ago, 300 resources,
 * two habilitations per account (one in twenty already expired, which a campaign must leave out).
 */
async function seed(url: string): Promise<void> {
  await withDb(url, async (sql) => {
    const q = (text: string, params: unknown[] = []) => sql.query(text, params);
    await q('BEGIN');
    const { rows: [{ id: tenantId }] } = await q(`INSERT INTO tenants (name, preset, policy) VALUES ('CH Banc d''essai revues', 'chm', $1) RETURNING id`, [JSON.stringify(presetPolicy('chm'))]);
    const { rows: [{ id: dsiId }] } = await q(
      `WITH i AS (INSERT INTO identities (email) VALUES ('dsi@ch-bench.test') RETURNING id, email)
       INSERT INTO users (identity_id, tenant_id, email, first_name, last_name, roles, status)
       SELECT i.id, $1, i.email, 'Direction', 'Numérique', '{dsi}', 'active' FROM i RETURNING id`,
      [tenantId],
    );
    const primes = VOLUMES.contractors - VOLUMES.subcontractors;
    await q(`CREATE TEMP TABLE b_contractors AS SELECT n, gen_random_uuid() AS id FROM generate_series(0, ${VOLUMES.contractors - 1}) n`);
    await q(
      `INSERT INTO contractors (id, tenant_id, legal_name, siret, address, prime_contractor_id, created_by, created_at, updated_at)
       SELECT c.id, $1, format('Prestataire %s SAS', lpad(c.n::text, 3, '0')), lpad((800000000 + c.n)::text, 9, '0') || '00017', 'Le Mans',
              CASE WHEN c.n >= ${primes} THEN p.id END, $2, now() - interval '2 years', now() - interval '2 years'
         FROM b_contractors c LEFT JOIN b_contractors p ON p.n = c.n - ${primes}
        ORDER BY c.n`,
      [tenantId, dsiId],
    );
    await q(
      `INSERT INTO accounts (tenant_id, contractor_id, first_name, last_name, email, phone, status, requested_at, approved_by, approved_at, activated_at)
       SELECT $1, c.id, 'Prénom' || a, 'Nom' || a, format('intervenant%s@prestataire.test', a), '+33 6 00 00 00 00', 'active',
              now() - interval '310 days', $2, now() - interval '305 days', now() - interval '300 days'
         FROM generate_series(0, ${VOLUMES.accounts - 1}) a JOIN b_contractors c ON c.n = a % ${VOLUMES.contractors}`,
      [tenantId, dsiId],
    );
    await q(
      `INSERT INTO resources (tenant_id, name, kind, criticality, external_id)
       SELECT $1, format('Ressource %s', r), 'application', 'high', format('res-%s', r) FROM generate_series(0, ${VOLUMES.resources - 1}) r`,
      [tenantId],
    );
    await q(
      `INSERT INTO habilitations (tenant_id, account_id, resource_id, access_type, level, ends_on, status, requested_at, decided_by, decided_at)
       SELECT $1, a.id, r.id, 'remote', (ARRAY['read', 'operate', 'admin'])[(a.rn + j) % 3 + 1],
              CASE WHEN (a.rn + j) % 20 = 0 THEN current_date - 10 END, 'approved', now() - interval '299 days', $2, now() - interval '298 days'
         FROM (SELECT id, row_number() OVER (ORDER BY email) AS rn FROM accounts) a
        CROSS JOIN generate_series(0, ${VOLUMES.habilitationsPerAccount - 1}) j
         JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM resources) r ON r.n = (a.rn * 7 + j * 101) % ${VOLUMES.resources}`,
      [tenantId, dsiId],
    );
    await q('COMMIT');
    await q('ANALYZE');
  });
}

/** What the campaigns must hold, counted from the seed independently of the service's query. */
async function expected(url: string): Promise<{ campaigns: number; accounts: number; habilitations: number }> {
  return withDb(url, async (sql) => (await sql.query(
    `SELECT (SELECT count(*)::int FROM contractors WHERE prime_contractor_id IS NULL) AS campaigns,
            (SELECT count(*)::int FROM accounts WHERE status = 'active') AS accounts,
            (SELECT count(*)::int FROM habilitations WHERE status = 'approved' AND (ends_on IS NULL OR ends_on >= current_date + 60)) AS habilitations`,
  )).rows[0]);
}

async function created(url: string): Promise<{ campaigns: number; accounts: number; habilitations: number; audit: number }> {
  return withDb(url, async (sql) => (await sql.query(
    `SELECT (SELECT count(*)::int FROM review_campaigns) AS campaigns,
            (SELECT count(*)::int FROM review_items WHERE kind = 'account') AS accounts,
            (SELECT count(*)::int FROM review_items WHERE kind = 'habilitation') AS habilitations,
            (SELECT count(*)::int FROM audit_events WHERE action = 'review.opened') AS audit`,
  )).rows[0]);
}

async function main(): Promise<void> {
  const database = `bench_reviews_${randomBytes(4).toString('hex')}`;
  const url = urlFor(database);
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`bench:reviews on ${database} (load average ${load()})`);
  await withDb(ADMIN_URL, (sql) => sql.query(`CREATE DATABASE ${database}`));
  let pass = false;
  try {
    await runMigrations(url, MIGRATIONS);
    let t = performance.now();
    await seed(url);
    const want = await expected(url);
    console.log(`seeded ${VOLUMES.contractors} contractors (${VOLUMES.subcontractors} subcontractors), ${want.accounts} active accounts, ` +
      `${want.habilitations} habilitations in force at the campaign date, in ${Math.round(performance.now() - t)} ms`);

    const clock = new ManualClock(new Date());
    const env = { DATABASE_URL: url, DATABASE_POOL_SIZE: '5', APP_SECRET: 'bench-secret-that-is-long-enough-0123456789', LOG_LEVEL: 'silent', NODE_ENV: 'production' };
    @Module({ imports: [CoreModule.forRoot({ env, clock }), ReviewsModule] })
    class BenchModule {}
    const app = await NestFactory.createApplicationContext(BenchModule, { logger: false, abortOnError: false });
    try {
      const reviews = app.get(ReviewsService);
      const early = await reviews.openDue();
      if (early !== 0) throw new Error(`${early} campaign(s) opened before the anniversary came near`);
      // First activations were 300 days ago: 60 days later the anniversary is 5 days away, inside the 30-day lead.
      clock.advance(60 * DAY);
      t = performance.now();
      const opened = await reviews.openDue();
      const ms = performance.now() - t;
      const again = await reviews.openDue();
      const got = await created(url);
      const right = opened === want.campaigns && got.campaigns === want.campaigns && got.audit === want.campaigns && again === 0 &&
        got.accounts === want.accounts && got.habilitations === want.habilitations;
      pass = right && ms < TARGET_MS;
      console.log(`opened ${opened} campaigns with ${got.accounts + got.habilitations} items (${got.accounts} accounts, ${got.habilitations} habilitations; ` +
        `expected ${want.accounts} and ${want.habilitations}) and ${got.audit} audit events in ${Math.round(ms)} ms; a second run opened ${again}`);
      console.log(`reviews.openDue: ${Math.round(ms)} ms (target < ${TARGET_MS} ms) ${right ? '' : '[WRONG RESULT] '}${pass ? 'PASS' : 'FAIL'} (load average ${load()})`);
    } finally {
      await app.close();
    }
  } finally {
    await withDb(ADMIN_URL, (sql) => sql.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
  process.exitCode = pass ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
