import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { parseConfig } from '../libs/core/src/config/app-config';
import { randomToken, Secrets } from '../libs/core/src/crypto/secrets';
import { runMigrations } from '../libs/core/src/database/migrate';
import { presetPolicy } from '../libs/identity/src/policy/tenant-policy';
import { MIGRATIONS } from '../migrations';
import { ADMIN_URL, freePort, prng, stopApi, urlFor, whenLive, withDb } from './support';

/**
 * `npm run bench:decisions`: POST /v1/access-decisions under load against GET /health/live measured in the same run.
 * Every answer is checked; exits 1 on a missed target or a wrong answer. Options: docs/performance.md, "Access decisions".
 */

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 15;

const VOLUMES = { contractors: 500, accounts: 5000, resources: 2000, habilitationsPerAccount: 4, windows: 10_000, openWindows: 400 };
/** How the load mixes the pairs asked about (shares of the precomputed list). */
const MIX = { inWindow: 0.55, inScopeNoWindow: 0.25, outOfScope: 0.1, unknownAccount: 0.05, unknownResource: 0.05 };
const PAIRS = 5000;

/** The built API next to this file (dist/bench -> dist/apps/api/src/main.js). */
const API_MAIN = resolve(__dirname, '..', 'apps', 'api', 'src', 'main.js');

function option(name: string, env: string, fallback: number): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const raw = flag ? flag.split('=')[1] : process.env[env];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} / ${env} must be a positive number (got ${raw})`);
  return value;
}

const settings = {
  duration: option('duration', 'BENCH_DURATION', 20),
  warmup: option('warmup', 'BENCH_WARMUP', 5),
  connections: option('connections', 'BENCH_CONNECTIONS', 100),
  keepDb: process.argv.includes('--keep-db') || process.env.BENCH_KEEP_DB === '1',
};

async function admin(sql: string): Promise<void> {
  await withDb(ADMIN_URL, (client) => client.query(sql));
}

/** A small but real PDF, different for each label (so each file has its own SHA-256). */
function pdf(label: string): Buffer {
  return Buffer.from([
    '%PDF-1.4', '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj', '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj', `% ${label}`, 'trailer << /Root 1 0 R >>', '%%EOF',
  ].join('\n'), 'latin1');
}

// ---------------------------------------------------------------------------------------------
// Seed: set-based SQL only (generate_series, INSERT ... SELECT), one transaction.

interface Seeded {
  tenantId: string;
  accounts: { id: string; email: string }[];
  resources: { id: string; externalId: string }[];
}

/** Which accounts (by number) are in the windows open now, with their resources (by number). */
function openWindowPlan(): { account: number; second: number | null; resources: number[] }[] {
  const plan = [];
  for (let w = 0; w < VOLUMES.openWindows; w++) {
    const account = (w * 12) % VOLUMES.accounts;
    plan.push({
      account,
      second: w % 2 === 0 ? (account + VOLUMES.contractors) % VOLUMES.accounts : null,
      resources: Array.from({ length: (w % 3) + 1 }, (_, j) => habilitationResource(account, j)),
    });
  }
  return plan;
}

/** Account n holds habilitations on these resources (j = 0..3): four distinct ones per account. */
function habilitationResource(account: number, j: number): number {
  return (account * 7 + j * 501) % VOLUMES.resources;
}

async function seed(url: string): Promise<Seeded> {
  const sql = new Client({ connectionString: url });
  await sql.connect();
  const q = (text: string, params: unknown[] = []) => sql.query(text, params);
  try {
    await q('BEGIN');
    const files = { charter: pdf('charter v2.0'), convention: pdf('access convention c1'), signedCharter: pdf('signed charter'), signedConvention: pdf('signed convention') };
    const sha = Object.fromEntries(Object.entries(files).map(([k, b]) => [k, createHash('sha256').update(b).digest('hex')])) as Record<keyof typeof files, string>;
    await q(
      `INSERT INTO files (sha256, size, content_type, content)
       SELECT s, length(c), 'application/pdf', c FROM unnest($1::text[], $2::bytea[]) AS x(s, c)`,
      [Object.values(sha), Object.values(files)],
    );
    const [{ id: tenantId }] = (await q(`INSERT INTO tenants (name, preset, policy) VALUES ('CH Banc d''essai', 'chm', $1) RETURNING id`, [JSON.stringify(presetPolicy('chm'))])).rows;
    const [{ id: dsiId }] = (await q(
      `WITH i AS (INSERT INTO identities (email, totp_enabled_at, password_changed_at)
                  VALUES ('dsi@ch-bench.test', now() - interval '2 years', now() - interval '2 years') RETURNING id, email)
       INSERT INTO users (identity_id, tenant_id, email, first_name, last_name, roles, status)
       SELECT i.id, $1, i.email, 'Direction', 'Numérique', '{dsi}', 'active' FROM i RETURNING id`,
      [tenantId],
    )).rows;
    const p = [tenantId, dsiId];
    const open = openWindowPlan();

    await q(`
      CREATE TEMP TABLE b_contractors AS SELECT n, gen_random_uuid() AS id FROM generate_series(0, ${VOLUMES.contractors - 1}) n;
      CREATE TEMP TABLE b_accounts AS
        SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS user_id, n % ${VOLUMES.contractors} AS c,
               format('intervenant%s@c%s.prestataire.test', lpad(n::text, 4, '0'), lpad((n % ${VOLUMES.contractors})::text, 3, '0')) AS email
          FROM generate_series(0, ${VOLUMES.accounts - 1}) n;
      CREATE TEMP TABLE b_resources AS
        SELECT n, gen_random_uuid() AS id, format('res-%s', lpad(n::text, 4, '0')) AS external_id FROM generate_series(0, ${VOLUMES.resources - 1}) n;
      CREATE TEMP TABLE b_documents (kind text PRIMARY KEY, id uuid NOT NULL);
    `);

    // The establishment's documents in force: the charter and the access convention.
    await q(
      `WITH d AS (
         INSERT INTO documents (tenant_id, kind, title, version_label, effective_on, file_sha256, file_size, filename, created_by, created_at)
         VALUES ($1, 'charter', 'Charte prestataires', 'v2.0', current_date - 730, $3, $4, 'charte.pdf', $2, now() - interval '730 days'),
                ($1, 'access_convention', 'Convention d''accès', 'c1', current_date - 730, $5, $6, 'convention.pdf', $2, now() - interval '730 days')
         RETURNING kind, id)
       INSERT INTO b_documents SELECT kind, id FROM d`,
      [...p, sha.charter, files.charter.length, sha.convention, files.convention.length],
    );

    // 500 contractors, their three contacts (each a user who signs in), a running remote prestation, the charter signed and validated.
    await q(
      `INSERT INTO contractors (id, tenant_id, legal_name, siret, address, created_by, created_at, updated_at)
       SELECT id, $1, format('Prestataire %s SAS', lpad(n::text, 3, '0')), lpad((800000000 + n)::text, 9, '0') || '00017',
              format('%s rue de la Santé, 72000 Le Mans', n + 1), $2, now() - interval '2 years', now() - interval '2 years'
         FROM b_contractors`,
      p,
    );
    await q(`
      CREATE TEMP TABLE b_contacts AS
        SELECT c.n, c.id AS contractor_id, r.role, gen_random_uuid() AS user_id,
               format('%s.%s@c%s.prestataire.test', r.short, r.role, lpad(c.n::text, 3, '0')) AS email, r.first, format('%s-%s', r.last, c.n) AS last
          FROM b_contractors c
         CROSS JOIN (VALUES ('legal_rep', 'rl', 'Claire', 'Martin'), ('security_contact', 'cs', 'Hugo', 'Bernard'),
                            ('security_deputy', 'ss', 'Inès', 'Petit')) AS r(role, short, first, last)`);
    await q(`INSERT INTO identities (id, email, totp_enabled_at, password_changed_at, created_at)
             SELECT user_id, email, now() - interval '700 days', now() - interval '700 days', now() - interval '700 days' FROM b_contacts`);
    await q(
      `INSERT INTO users (id, identity_id, tenant_id, contractor_id, email, first_name, last_name, roles, status, created_at)
       SELECT user_id, user_id, $1, contractor_id, email, first, last, ARRAY[role], 'active', now() - interval '700 days'
         FROM b_contacts`,
      [tenantId],
    );
    await q(
      `INSERT INTO contractor_contacts (contractor_id, role, first_name, last_name, phone, email, function, user_id, declared_at, declared_by)
       SELECT contractor_id, role, first, last, '+33 2 43 00 00 00', email, CASE role WHEN 'legal_rep' THEN 'Présidente' END, user_id,
              now() - interval '700 days', $1
         FROM b_contacts`,
      [dsiId],
    );
    await q(
      `INSERT INTO prestations (tenant_id, contractor_id, title, access_mode, rgpd_subcontractor, starts_on, created_at)
       SELECT $1, id, 'Maintenance applicative', 'remote', false, current_date - 700, now() - interval '700 days' FROM b_contractors`,
      [tenantId],
    );
    await q(
      `INSERT INTO signatures (tenant_id, contractor_id, document_id, signer_first_name, signer_last_name, signer_function, signed_on,
                               all_pages_initialled, file_sha256, file_size, filename, status, submitted_at, decided_by, decided_at)
       SELECT $1, c.id, d.id, 'Claire', format('Martin-%s', c.n), 'Présidente', current_date - 700, true, $3, $4, 'charte-signee.pdf',
              'validated', now() - interval '700 days', $2, now() - interval '699 days'
         FROM b_contractors c, b_documents d WHERE d.kind = 'charter'`,
      [...p, sha.signedCharter, files.signedCharter.length],
    );

    // 5,000 active accounts (TOTP enrolled), each with its access convention signed and validated.
    await q(`INSERT INTO identities (id, email, totp_enabled_at, password_changed_at, created_at)
             SELECT user_id, email, now() - interval '300 days', now() - interval '300 days', now() - interval '300 days' FROM b_accounts`);
    await q(
      `INSERT INTO users (id, identity_id, tenant_id, contractor_id, email, first_name, last_name, roles, status, created_at)
       SELECT a.user_id, a.user_id, $1, c.id, a.email, 'Prénom' || a.n, 'Nom' || a.n, '{staff}', 'active', now() - interval '300 days'
         FROM b_accounts a JOIN b_contractors c ON c.n = a.c`,
      [tenantId],
    );
    await q(
      `INSERT INTO accounts (id, tenant_id, contractor_id, user_id, first_name, last_name, email, phone, status, requested_at,
                             approved_by, approved_at, activated_at)
       SELECT a.id, $1, c.id, a.user_id, 'Prénom' || a.n, 'Nom' || a.n, a.email, '+33 6 00 00 00 00', 'active',
              now() - interval '310 days', $2, now() - interval '305 days', now() - interval '300 days'
         FROM b_accounts a JOIN b_contractors c ON c.n = a.c`,
      p,
    );
    await q(
      `INSERT INTO signatures (tenant_id, contractor_id, document_id, account_id, signer_first_name, signer_last_name, signer_function,
                               signed_on, all_pages_initialled, file_sha256, file_size, filename, status, submitted_at, decided_by, decided_at)
       SELECT $1, c.id, d.id, a.id, 'Prénom' || a.n, 'Nom' || a.n, 'Intervenant', current_date - 302, true, $3, $4,
              'convention-signee.pdf', 'validated', now() - interval '302 days', $2, now() - interval '301 days'
         FROM b_accounts a JOIN b_contractors c ON c.n = a.c, b_documents d WHERE d.kind = 'access_convention'`,
      [...p, sha.signedConvention, files.signedConvention.length],
    );

    // 2,000 resources with the gateway's identifiers, 20,000 approved remote habilitations (four per account).
    await q(
      `INSERT INTO resources (id, tenant_id, name, kind, criticality, external_id, created_at)
       SELECT id, $1, format('Ressource %s', lpad(n::text, 4, '0')),
              (ARRAY['application', 'server', 'medical_device', 'network_equipment', 'other'])[n % 5 + 1],
              (ARRAY['low', 'medium', 'high', 'critical'])[n % 4 + 1], external_id, now() - interval '2 years'
         FROM b_resources`,
      [tenantId],
    );
    await q(
      `INSERT INTO habilitations (tenant_id, account_id, resource_id, access_type, level, ends_on, status, requested_at, decided_by, decided_at)
       SELECT $1, a.id, r.id, 'remote', (ARRAY['read', 'operate', 'admin'])[(a.n + j) % 3 + 1],
              CASE WHEN (a.n + j) % 10 = 0 THEN current_date + 365 END, 'approved', now() - interval '299 days', $2, now() - interval '298 days'
         FROM b_accounts a CROSS JOIN generate_series(0, ${VOLUMES.habilitationsPerAccount - 1}) j
         JOIN b_resources r ON r.n = (a.n * 7 + j * 501) % ${VOLUMES.resources}`,
      p,
    );

    // 10,000 approved windows over 18 months (12 past, 6 ahead). The first 400 are open now and stay open for
    // hours; the others all lie at least two days away from now, so which pairs are allowed cannot change mid-run.
    await q(
      `CREATE TEMP TABLE b_windows AS
       SELECT w, gen_random_uuid() AS id, acc, second, starts_at, starts_at + make_interval(hours => hours) AS ends_at
         FROM (
           SELECT w,
                  CASE WHEN w < $1 THEN (w * 12) % ${VOLUMES.accounts} ELSE (w * 37) % ${VOLUMES.accounts} END AS acc,
                  CASE WHEN w % 2 = 0 THEN ((CASE WHEN w < $1 THEN (w * 12) ELSE (w * 37) END) + ${VOLUMES.contractors}) % ${VOLUMES.accounts} END AS second,
                  CASE WHEN w < $1 THEN date_trunc('minute', now()) - make_interval(mins => 30 + (w * 7) % 240)
                       ELSE date_trunc('hour', now()) + make_interval(days => (CASE WHEN abs(d) < 2 THEN d + 4 ELSE d END), hours => (w * 5) % 14 - 4)
                  END AS starts_at,
                  CASE WHEN w < $1 THEN 6 + w % 6 ELSE 1 + w % 8 END AS hours
             FROM generate_series(0, ${VOLUMES.windows - 1}) w,
                  LATERAL (SELECT (-365 + floor(((w * 0.6180339887) - floor(w * 0.6180339887)) * 548))::int AS d) AS spread
         ) x`,
      [VOLUMES.openWindows],
    );
    await q(
      `INSERT INTO interventions (id, tenant_id, contractor_id, starts_at, ends_at, nature, risks, availability_impact, changes_settings,
                                  changes_data, status, usage_conflict, outside_business_hours, report_due_on, requested_by, requested_at,
                                  decided_by, decided_at, started_at, report_late_at)
       SELECT w.id, $1, c.id, w.starts_at, w.ends_at, 'Maintenance corrective', 'Indisponibilité partielle du service', 'Aucune',
              w.w % 5 = 0, false, 'approved', false,
              extract(hour FROM w.starts_at AT TIME ZONE 'Europe/Paris') NOT BETWEEN 8 AND 17,
              (w.ends_at + interval '7 days')::date, a.user_id, w.starts_at - interval '3 days', $2, w.starts_at - interval '2 days',
              CASE WHEN w.ends_at < now() THEN w.starts_at + interval '5 minutes' END,
              ((w.ends_at + interval '8 days')::date)::timestamp AT TIME ZONE 'Europe/Paris'
         FROM b_windows w JOIN b_accounts a ON a.n = w.acc JOIN b_contractors c ON c.n = a.c`,
      p,
    );
    await q(`
      INSERT INTO intervention_accounts (intervention_id, account_id)
      SELECT w.id, a.id FROM b_windows w JOIN b_accounts a ON a.n = w.acc
      UNION ALL
      SELECT w.id, a.id FROM b_windows w JOIN b_accounts a ON a.n = w.second`);
    await q(`
      INSERT INTO intervention_resources (intervention_id, resource_id)
      SELECT w.id, r.id FROM b_windows w CROSS JOIN generate_series(0, 2) j
        JOIN b_resources r ON r.n = (w.acc * 7 + j * 501) % ${VOLUMES.resources}
       WHERE j <= w.w % 3`);
    await q('COMMIT');
    await q('ANALYZE');

    // Sanity: the plan in this file and the SQL above agree on which windows are open.
    const { rows: [{ count }] } = await q(`SELECT count(*)::int AS count FROM interventions WHERE starts_at <= now() AND ends_at > now()`);
    if (count !== open.length) throw new Error(`Seed: ${count} windows open now, expected ${open.length}`);

    const accounts = (await q(`SELECT id, email FROM b_accounts ORDER BY n`)).rows as { id: string; email: string }[];
    const resources = (await q(`SELECT id, external_id AS "externalId" FROM b_resources ORDER BY n`)).rows as { id: string; externalId: string }[];
    return { tenantId, accounts, resources };
  } catch (error) {
    await q('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await sql.end();
  }
}

async function counts(url: string): Promise<Record<string, number>> {
  const tables = ['contractors', 'contractor_contacts', 'prestations', 'users', 'accounts', 'signatures', 'resources', 'habilitations', 'interventions', 'intervention_accounts', 'intervention_resources'];
  return withDb(url, async (sql) => (await sql.query(`SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`)).rows[0]);
}

// ---------------------------------------------------------------------------------------------
// The questions a bastion asks: a precomputed list of (account, resource) pairs, and the expected answer of each.

interface Pair {
  account: string;
  resource: string;
  kind: keyof typeof MIX;
}

function buildPairs(seeded: Seeded): Pair[] {
  const random = prng(42);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const accountRef = (n: number) => (random() < 0.8 ? seeded.accounts[n].email : seeded.accounts[n].id);
  const open = openWindowPlan();
  const inWindow = open.flatMap((w) => w.resources.map((r) => [w.account, r] as const));
  const outOfScope = open.filter((w) => w.second !== null).flatMap((w) => w.resources.map((r) => [w.second!, r] as const));
  const busy = new Set(open.flatMap((w) => [w.account, w.second]));
  const idle = seeded.accounts.map((_, n) => n).filter((n) => !busy.has(n));
  const pairs: Pair[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const x = random();
    let edge = 0;
    const kind = (Object.keys(MIX) as (keyof typeof MIX)[]).find((k) => x < (edge += MIX[k])) ?? 'unknownResource';
    if (kind === 'inWindow') {
      const [a, r] = pick(inWindow);
      pairs.push({ kind, account: accountRef(a), resource: seeded.resources[r].externalId });
    } else if (kind === 'inScopeNoWindow') {
      const a = pick(idle);
      pairs.push({ kind, account: accountRef(a), resource: seeded.resources[habilitationResource(a, Math.floor(random() * 4))].externalId });
    } else if (kind === 'outOfScope') {
      const [a, r] = random() < 0.5 ? pick(outOfScope) : [pick(idle), Math.floor(random() * VOLUMES.resources)];
      pairs.push({ kind, account: accountRef(a), resource: seeded.resources[r].externalId });
    } else if (kind === 'unknownAccount') {
      pairs.push({ kind, account: `inconnu${i}@nulle-part.test`, resource: pick(seeded.resources).externalId });
    } else {
      pairs.push({ kind, account: accountRef(Math.floor(random() * VOLUMES.accounts)), resource: `res-absente-${i}` });
    }
  }
  return pairs;
}

/**
 * The expected answer of each known (account, resource) pair, written independently of the service's query: every
 * account is ready by construction, so "allow" is "approved remote habilitation and a window open for the next hour".
 */
async function expectations(url: string, seeded: Seeded, pairs: Pair[]): Promise<Map<string, 'allow' | 'deny'>> {
  const byEmail = new Map(seeded.accounts.map((a) => [a.email, a.id]));
  const byExternal = new Map(seeded.resources.map((r) => [r.externalId, r.id]));
  const accountIds = new Set(seeded.accounts.map((a) => a.id));
  const known = new Map<string, [string, string]>();
  for (const pair of pairs) {
    const a = accountIds.has(pair.account) ? pair.account : byEmail.get(pair.account);
    const r = byExternal.get(pair.resource);
    if (a && r) known.set(`${a}|${r}`, [a, r]);
  }
  const list = [...known.values()];
  const rows = await withDb(url, async (sql) => (await sql.query<{ a: string; r: string; allow: boolean }>(
    `SELECT x.a, x.r,
            EXISTS (SELECT 1 FROM habilitations h WHERE h.account_id = x.a AND h.resource_id = x.r AND h.status = 'approved'
                      AND h.access_type = 'remote' AND (h.ends_on IS NULL OR h.ends_on >= current_date))
        AND EXISTS (SELECT 1 FROM intervention_accounts ia JOIN intervention_resources ir USING (intervention_id)
                      JOIN interventions i ON i.id = ia.intervention_id
                     WHERE ia.account_id = x.a AND ir.resource_id = x.r AND i.status = 'approved'
                       AND i.starts_at <= now() AND i.ends_at > now() + interval '1 hour') AS allow
       FROM unnest($1::uuid[], $2::uuid[]) AS x(a, r)`,
    [list.map((p) => p[0]), list.map((p) => p[1])],
  )).rows);
  return new Map(rows.map((row) => [`${row.a}|${row.r}`, row.allow ? 'allow' : 'deny'] as const));
}

// ---------------------------------------------------------------------------------------------
// The API under test: the built application, as a child process, on the seeded database.

async function startApi(env: NodeJS.ProcessEnv, base: string): Promise<ChildProcess> {
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, API_MAIN], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  return whenLive(child, base);
}

// ---------------------------------------------------------------------------------------------
// Load.

interface Tally {
  allow: number;
  deny: number;
  mismatches: number;
  samples: string[];
}

function decisionRequest(pairs: Pair[], expected: Map<string, 'allow' | 'deny'>, tally: Tally) {
  const bodies = pairs.map((p) => JSON.stringify({ account: p.account, resource: p.resource }));
  let next = 0;
  return {
    method: 'POST',
    path: '/v1/access-decisions',
    setupRequest: (request: { body?: string | Buffer }) => ({ ...request, body: bodies[next++ % bodies.length] }),
    onResponse: (status: number, body: string) => {
      if (status !== 200) return;
      let answer: { decision?: string; accountId?: string; resourceId?: string };
      try {
        answer = JSON.parse(body);
      } catch {
        tally.mismatches++;
        return;
      }
      const want = answer.accountId && answer.resourceId ? expected.get(`${answer.accountId}|${answer.resourceId}`) ?? 'deny' : 'deny';
      if (answer.decision === 'allow') tally.allow++;
      else if (answer.decision === 'deny') tally.deny++;
      if (answer.decision !== want) {
        tally.mismatches++;
        if (tally.samples.length < 5) tally.samples.push(`${want} expected: ${body}`);
      }
    },
  };
}

async function load(
  base: string, duration: number, connections: number,
  spec: { path: string; method?: string; headers?: Record<string, string>; requests?: object[] }, overallRate?: number,
): Promise<autocannon.Result> {
  return autocannon({
    url: base,
    connections,
    duration,
    overallRate,
    timeout: 10,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    requests: (spec.requests as never) ?? [{ method: spec.method ?? 'GET', path: spec.path }],
  });
}

/**
 * What one run cost whatever the machine's load: the API's CPU (/proc), the bench database's transactions, and the
 * share of the CPU other processes used meanwhile (it skews req/s; the ratio, measured in the same run, less).
 */
interface Cost {
  apiCpuMs: number | null;
  transactions: number | null;
  otherCpuShare: number | null;
}

function procCpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 1/100 s
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the machine, and the CPU of our processes: the API, this process, the PostgreSQL backends of our database and PostgreSQL's own helpers. */
function machineCpu(ours: (number | undefined)[], database: string): { busy: number; total: number; ours: number } | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    const busy = cpu[0] + cpu[1] + cpu[2]; // user, nice, system: what processes use (interrupt handling is nobody's)
    let mine = 0;
    const pids = [...ours, ...readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') return false;
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(` ${database} `) || !/\(\d+\)|\[local\]/.test(cmdline); // our backends, or a helper (checkpointer, WAL writer...)
      } catch {
        return false;
      }
    })];
    for (const pid of pids) mine += (procCpuMs(pid) ?? 0) / 10;
    return { busy, total, ours: mine };
  } catch {
    return null;
  }
}

async function measured<T>(url: string, database: string, api: ChildProcess, run: () => Promise<T>): Promise<{ result: T; cost: Cost }> {
  const transactions = () => withDb(url, async (sql) => {
    await sql.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    return Number((await sql.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`)).rows[0].xact_commit);
  }).catch(() => null);
  const ours = [api.pid, process.pid];
  const [cpu0, tx0, m0] = [procCpuMs(api.pid), await transactions(), machineCpu(ours, database)];
  const result = await run();
  const [cpu1, m1] = [procCpuMs(api.pid), machineCpu(ours, database)];
  const tx1 = await transactions();
  return {
    result,
    cost: {
      apiCpuMs: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
      transactions: tx0 !== null && tx1 !== null ? tx1 - tx0 - 1 : null,
      // Processes that ended during the run (short-lived PostgreSQL backends) count as "other": an upper bound.
      otherCpuShare: m0 && m1 ? Math.max(0, (m1.busy - m0.busy) - (m1.ours - m0.ours)) / Math.max(1, m1.total - m0.total) : null,
    },
  };
}

function problems(label: string, r: autocannon.Result): string[] {
  const out: string[] = [];
  if (r.non2xx) out.push(`${label}: ${r.non2xx} non-2xx answers (${JSON.stringify(Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])))})`);
  if (r.errors) out.push(`${label}: ${r.errors} connection errors`);
  if (r.timeouts) out.push(`${label}: ${r.timeouts} timeouts`);
  if (!r.requests.total) out.push(`${label}: no request answered`);
  return out;
}

/** A few answers checked by hand before any load: the bench must measure right answers, not errors. */
async function spotChecks(base: string, key: string, seeded: Seeded, expected: Map<string, 'allow' | 'deny'>): Promise<void> {
  const ask = async (account: string, resource: string, apiKey = key) => {
    const res = await fetch(`${base}/v1/access-decisions`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body: JSON.stringify({ account, resource }),
    });
    return { status: res.status, body: await res.json() as { decision: string; reasons?: string[]; interventionId?: string; validUntil?: string; code?: string } };
  };
  const fail = (what: string, got: unknown) => {
    throw new Error(`Spot check failed: ${what}; got ${JSON.stringify(got)}`);
  };
  const [w] = openWindowPlan();
  const allowAccount = seeded.accounts[w.account];
  const allowResource = seeded.resources[w.resources[0]];
  if (expected.get(`${allowAccount.id}|${allowResource.id}`) !== 'allow') fail('the first open window should allow its account', expected.get(`${allowAccount.id}|${allowResource.id}`));
  const allowed = await ask(allowAccount.email, allowResource.externalId);
  if (allowed.status !== 200 || allowed.body.decision !== 'allow' || !allowed.body.interventionId || !allowed.body.validUntil) {
    fail('an account in its open window on a resource of the window is allowed', allowed);
  }
  const byId = await ask(allowAccount.id, allowResource.id);
  if (byId.body.decision !== 'allow' || byId.body.interventionId !== allowed.body.interventionId) fail('the same pair by ids is allowed in the same window', byId);
  const idle = seeded.accounts.findIndex((_, n) => !openWindowPlan().some((o) => o.account === n || o.second === n));
  const noWindow = await ask(seeded.accounts[idle].email, seeded.resources[habilitationResource(idle, 0)].externalId);
  if (noWindow.body.decision !== 'deny' || JSON.stringify(noWindow.body.reasons) !== '["NO_APPROVED_WINDOW"]') fail('in scope without a window is denied NO_APPROVED_WINDOW only', noWindow);
  const second = openWindowPlan().find((o) => o.second !== null)!;
  const outOfScope = await ask(seeded.accounts[second.second!].email, seeded.resources[second.resources[0]].externalId);
  if (outOfScope.body.decision !== 'deny' || JSON.stringify(outOfScope.body.reasons) !== '["OUT_OF_SCOPE"]') fail('in the window but without habilitation is denied OUT_OF_SCOPE only', outOfScope);
  const unknown = await ask('personne@nulle-part.test', allowResource.externalId);
  if (unknown.body.decision !== 'deny' || !unknown.body.reasons?.includes('UNKNOWN_ACCOUNT')) fail('an unknown account is denied UNKNOWN_ACCOUNT', unknown);
  const badKey = await ask(allowAccount.email, allowResource.externalId, `${key}x`);
  if (badKey.status !== 401) fail('a wrong API key is refused with 401', badKey);
}

// ---------------------------------------------------------------------------------------------

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

async function main(): Promise<number> {
  const database = `bench_decisions_${randomBytes(4).toString('hex')}`;
  const url = urlFor(database);
  let api: ChildProcess | undefined;
  let created = false;
  const stopSignals = () => {
    void stopApi(api).finally(() => (created && !settings.keepDb ? admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`) : Promise.resolve()).finally(() => process.exit(130)));
  };
  process.once('SIGINT', stopSignals);
  process.once('SIGTERM', stopSignals);
  try {
    const t0 = Date.now();
    await admin(`CREATE DATABASE ${database}`);
    created = true;
    await runMigrations(url, MIGRATIONS);
    const seeded = await seed(url);
    const volumes = await counts(url);
    console.log(`Seeded ${database} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${Object.entries(volumes).map(([k, v]) => `${k} ${v}`).join(', ')}`);

    const appSecret = randomBytes(48).toString('base64url');
    const secrets = new Secrets(parseConfig({ DATABASE_URL: url, APP_SECRET: appSecret }));
    const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
    const key = `pgk_${prefix}_${randomToken(32)}`;
    await withDb(url, (sql) => sql.query(
      `INSERT INTO api_keys (tenant_id, name, scopes, prefix, key_hash) VALUES ($1, 'Bastion (bench)', '{decisions}', $2, $3)`,
      [seeded.tenantId, prefix, secrets.lookupHash(key)],
    ));

    const pairs = buildPairs(seeded);
    const expected = await expectations(url, seeded, pairs);
    const expectedAllow = pairs.filter((p) => p.kind === 'inWindow').length / pairs.length;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    api = await startApi({
      ...process.env, NODE_ENV: 'production', DATABASE_URL: url, APP_SECRET: appSecret, HOST: '127.0.0.1', PORT: String(port),
      LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '1000000', QUEUE_PREFIX: `bench-${database}`,
    }, base);
    await spotChecks(base, key, seeded, expected);

    const headers = { 'content-type': 'application/json', 'x-api-key': key };
    const health = { path: '/health/live' };
    const decisionsSpec = (tally: Tally) => ({ path: '/v1/access-decisions', method: 'POST', headers, requests: [decisionRequest(pairs, expected, tally)] });
    const { connections, duration, warmup } = settings;
    console.log(`Warming up (${warmup} s each, ${connections} connections)...`);
    const warmTally: Tally = { allow: 0, deny: 0, mismatches: 0, samples: [] };
    const warm = [...problems('warm-up /health/live', await load(base, warmup, connections, health)),
      ...problems('warm-up decisions', await load(base, warmup, connections, decisionsSpec(warmTally)))];

    console.log(`Measuring (${duration} s each, ${connections} connections): GET /health/live, then POST /v1/access-decisions, then decisions paced at half their throughput...`);
    const { result: ceiling, cost: ceilingCost } = await measured(url, database, api, () => load(base, duration, connections, health));
    const tally: Tally = { allow: 0, deny: 0, mismatches: 0, samples: [] };
    const { result: decisions, cost: decisionsCost } = await measured(url, database, api, () => load(base, duration, connections, decisionsSpec(tally)));

    // Latency when the API is not saturated: the same questions at half the throughput just measured, over
    // 10 connections (with 100 connections kept busy, latency is mostly queueing: mean = connections / throughput;
    // and autocannon paces in bursts, as many at once as there are connections).
    const pacedRate = Math.max(1, Math.round(decisions.requests.average / 2));
    const pacedConnections = Math.min(10, connections);
    const pacedTally: Tally = { allow: 0, deny: 0, mismatches: 0, samples: [] };
    const paced = await load(base, Math.min(duration, 10), pacedConnections, decisionsSpec(pacedTally), pacedRate);

    await new Promise((r) => setTimeout(r, 1000)); // the decision log is written every DECISION_FLUSH_MS
    const logged = await withDb(url, async (sql) => (await sql.query(`SELECT count(*)::int AS n FROM access_decisions`)).rows[0].n as number);

    const ratio = decisions.requests.average / ceiling.requests.average;
    const errors = [...warm, ...problems('/health/live', ceiling), ...problems('/v1/access-decisions', decisions), ...problems('paced decisions', paced)];
    const wrong = warmTally.mismatches + tally.mismatches + pacedTally.mismatches;
    if (wrong) errors.push(`${wrong} wrong decisions: ${[...warmTally.samples, ...tally.samples, ...pacedTally.samples].join(' | ')}`);
    const answered = tally.allow + tally.deny;
    const widths = [28, 9, 7, 7, 8, 8, 13, 12, 11];
    const fixed = (v: number | null, digits: number) => (v === null ? 'n/a' : v.toFixed(digits));
    console.log('');
    console.log(row(['', 'req/s', 'p50 ms', 'p99 ms', 'total', 'non-2xx', 'API CPU ms/req', 'DB xacts/req', 'other load'], widths));
    for (const [label, r, c] of [['GET /health/live (ceiling)', ceiling, ceilingCost], ['POST /v1/access-decisions', decisions, decisionsCost]] as const) {
      const n = Math.max(r.requests.total, 1);
      console.log(row([
        label, r.requests.average.toFixed(0), r.latency.p50, r.latency.p99, r.requests.total, r.non2xx,
        fixed(c.apiCpuMs === null ? null : c.apiCpuMs / n, 3), fixed(c.transactions === null ? null : c.transactions / n, 2),
        c.otherCpuShare === null ? 'n/a' : `${(100 * c.otherCpuShare).toFixed(0)}%`,
      ], widths));
    }
    console.log('');
    console.log(`ratio decisions / ceiling    ${ratio.toFixed(2)}   target >= ${TARGET_RATIO}     ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
    console.log(`p99 decisions                ${decisions.latency.p99} ms  target < ${TARGET_P99_MS} ms   ${decisions.latency.p99 < TARGET_P99_MS ? 'PASS' : 'FAIL'}`);
    console.log(`paced, not saturated         ${paced.requests.average.toFixed(0)} req/s (half the above), ${pacedConnections} connections: p50 ${paced.latency.p50} ms, p99 ${paced.latency.p99} ms (information)`);
    console.log(`mix observed                 allow ${(100 * tally.allow / Math.max(answered, 1)).toFixed(1)}% (expected ${(100 * expectedAllow).toFixed(1)}%), deny ${(100 * tally.deny / Math.max(answered, 1)).toFixed(1)}%, wrong answers ${tally.mismatches}`);
    console.log(`decisions logged             ${logged} rows in access_decisions`);
    console.log(`settings                     ${connections} connections, ${duration} s per run, ${warmup} s warm-up, node ${process.version}`);
    for (const e of errors) console.log(`ERROR ${e}`);
    const pass = !errors.length && ratio >= TARGET_RATIO && decisions.latency.p99 < TARGET_P99_MS;
    console.log(pass ? '\nPASS' : '\nFAIL');
    if (settings.keepDb) console.log(`Database kept: ${url}`);
    return pass ? 0 : 1;
  } finally {
    await stopApi(api);
    if (created && !settings.keepDb) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
