import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get, IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { generate, generateSecret } from 'otplib';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { parseConfig } from '../libs/core/src/config/app-config';
import { Secrets } from '../libs/core/src/crypto/secrets';
import { dataSourceOptions } from '../libs/core/src/database/data-source';
import { Db } from '../libs/core/src/database/db';
import { runMigrations } from '../libs/core/src/database/migrate';
import { hashPassword } from '../libs/identity/src/auth/password-hasher';
import { presetPolicy } from '../libs/identity/src/policy/tenant-policy';
import { ExportsRepository } from '../libs/journal/src/exports.repository';
import { monthOf, nextMonth, partitionName } from '../libs/journal/src/partitions';
import { JournalPartitions } from '../libs/journal/src/partitions.repository';
import { MIGRATIONS } from '../migrations';
import { ADMIN_URL, freePort, prng, sleep, stopApi, urlFor, whenLive, withDb } from './support';

/**
 * `npm run bench:journal`: ingestion against psql's COPY, export rows/s and memory, query latency, retention,
 * each next to its baseline of the same run. Phases, options and targets: docs/performance.md, "Connection journal".
 */

const TARGETS = { ingestRatio: 0.4, exportRowsPerSecond: 100_000, flatGrowthMiB: 32, queryP95Ms: 50 };
const PHASES = ['ingest', 'export', 'query', 'retention'] as const;
type Phase = (typeof PHASES)[number];

const BATCH = 5000;
const MONTHS = 18;
const ESTABLISHMENT = { contractors: 200, accounts: 5000, resources: 2000 };
const QUERY_ACCOUNTS = 5000;
const QUERY_SAMPLES = 200;
const LOAD_LIMIT = 1.5;

const root = resolve(__dirname, '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = process.argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : process.argv[i + 1];
}

function numberOption(name: string, env: string, fallback: number, min = 0): number {
  const raw = arg(name) ?? process.env[env];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} / ${env} must be a number >= ${min} (got ${raw})`);
  return value;
}

function phasesOption(): Set<Phase> {
  const raw = arg('only') ?? process.env.BENCH_ONLY;
  if (!raw) return new Set(PHASES);
  const asked = raw.split(/[,|]/).map((s) => s.trim()).filter(Boolean);
  const wrong = asked.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (wrong.length || !asked.length) throw new Error(`--only takes ${PHASES.join(', ')} (got ${raw})`);
  return new Set(asked as Phase[]);
}

const settings = {
  only: phasesOption(),
  scale: numberOption('scale', 'BENCH_SCALE', 1, 0.0001),
  concurrency: Math.round(numberOption('concurrency', 'BENCH_CONCURRENCY', 4, 1)),
  settle: numberOption('settle', 'BENCH_SETTLE', 0),
  keepDb: process.argv.includes('--keep-db') || process.env.BENCH_KEEP_DB === '1',
};

const scaled = (n: number, min: number) => Math.max(min, Math.round(n * settings.scale));
const VOLUMES = {
  ingest: scaled(1_000_000, 1000),
  exportLarge: scaled(1_000_000, 1000),
  exportSmall: scaled(100_000, 100),
  queryRows: scaled(10_000_000, MONTHS * 100),
  retentionRows: scaled(10_000_000, MONTHS * 100) / MONTHS,
};

/** 'YYYY-MM' `n` months before the month of `now`. */
function monthsBefore(now: Date, n: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1));
  return monthOf(d);
}

const monthStart = (month: string) => new Date(`${month}-01T00:00:00Z`);
const monthEnd = (month: string) => new Date(`${nextMonth(month)}-01T00:00:00Z`);

/** The app's own Db (TypeORM data source and pool, as the API builds it), for the app's JournalPartitions and ExportsRepository. */
async function appDb(url: string): Promise<Db> {
  const dataSource = new DataSource(dataSourceOptions(url, 2));
  await dataSource.initialize();
  return new Db(dataSource);
}

// ---------------------------------------------------------------------------------------------
// The machine: load average and who used the CPU during a measurement.


function loadavg(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Waits (bounded by --settle) for the 1-minute load average to drop below LOAD_LIMIT. */
async function settle(label: string): Promise<void> {
  if (!settings.settle || loadavg() < LOAD_LIMIT) return;
  const t0 = Date.now();
  const start = loadavg();
  while (loadavg() >= LOAD_LIMIT && Date.now() - t0 < settings.settle * 1000) await sleep(5000);
  console.log(`  (${label}: waited ${((Date.now() - t0) / 1000).toFixed(0)} s for the load to settle: ${start.toFixed(2)} -> ${loadavg().toFixed(2)})`);
}

/** USER_HZ: /proc/<pid>/stat and /proc/stat count in 1/100 s on Linux. */
const TICKS_PER_SECOND = 100;

function procTicks(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, clock ticks
  } catch {
    return null;
  }
}

function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - cpu[3] - (cpu[4] ?? 0), total };
}

/** Our processes: this bench, the API, psql, the PostgreSQL backends of our database and PostgreSQL's own helpers. */
function ourPids(database: string, extra: number[]): number[] {
  const pids = [process.pid, ...extra];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const comm = readFileSync(`/proc/${d}/comm`, 'utf8').trim();
      if (comm === 'psql') pids.push(Number(d));
      if (comm !== 'postgres') continue;
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmdline.includes(` ${database} `) || !/\(\d+\)|\[local\]/.test(cmdline)) pids.push(Number(d));
    } catch {
      // gone
    }
  }
  return pids;
}

interface Conditions {
  loadStart: number;
  loadEnd: number;
  /** Share of the whole machine's CPU (all cores) used by other processes during the measurement. */
  otherShare: number;
  /** CPU seconds used meanwhile by the API process, by PostgreSQL (our backends and its helpers) and psql, and by this bench. */
  cpu: { api: number; db: number; bench: number };
}

/** Runs `work` while watching the machine: load average before and after, and the CPU others used meanwhile. */
async function watched<T>(database: string, extra: () => number[], work: () => Promise<T>, apiPid?: number): Promise<{ result: T; conditions: Conditions }> {
  const base = new Map<number, number>();
  const last = new Map<number, number>();
  const scan = (initial: boolean) => {
    for (const pid of ourPids(database, extra())) {
      const t = procTicks(pid);
      if (t === null) continue;
      if (!base.has(pid)) base.set(pid, initial ? t : 0);
      last.set(pid, t);
    }
  };
  const loadStart = loadavg();
  scan(true);
  const m0 = machineTicks();
  const timer = setInterval(() => scan(false), 200);
  try {
    const result = await work();
    scan(false);
    const m1 = machineTicks();
    let ours = 0;
    const cpu = { api: 0, db: 0, bench: 0 };
    for (const [pid, t] of last) {
      const used = t - (base.get(pid) ?? 0);
      ours += used;
      cpu[pid === process.pid ? 'bench' : pid === apiPid ? 'api' : 'db'] += used / TICKS_PER_SECOND;
    }
    const otherShare = Math.max(0, m1.busy - m0.busy - ours) / Math.max(1, m1.total - m0.total);
    return { result, conditions: { loadStart, loadEnd: loadavg(), otherShare, cpu } };
  } finally {
    clearInterval(timer);
  }
}

const conditionsText = (c: Conditions) => `load ${c.loadStart.toFixed(2)} -> ${c.loadEnd.toFixed(2)}, others ${(100 * c.otherShare).toFixed(0)}% CPU`;
const cpuText = (c: Conditions) => `CPU s: API ${c.cpu.api.toFixed(1)}, PostgreSQL+psql ${c.cpu.db.toFixed(1)}, bench ${c.cpu.bench.toFixed(1)}`;

// ---------------------------------------------------------------------------------------------
// The API under test: the built application, as a child process.

/** V8's major collections in an API started with --trace-gc: when, and the heap in MB before and after (what is still live). */
interface MajorGc {
  at: number;
  beforeMb: number;
  afterMb: number;
}
const majorGcs = new WeakMap<ChildProcess, MajorGc[]>();

async function startApi(env: NodeJS.ProcessEnv, base: string, traceGc = false): Promise<ChildProcess> {
  const main = join(root, 'dist/apps/api/src/main.js');
  const child = spawn(process.execPath, traceGc ? ['--trace-gc', main] : [main], { env, stdio: ['ignore', traceGc ? 'pipe' : 'inherit', 'inherit'] });
  if (traceGc) {
    const log: MajorGc[] = [];
    majorGcs.set(child, log);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const gc = /Mark-Compact ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/.exec(line);
      if (gc) log.push({ at: Date.now(), beforeMb: Number(gc[1]), afterMb: Number(gc[2]) });
      else if (!/^\[\d+:0x[0-9a-f]+\]/.test(line)) console.log(line);
    });
  }
  return whenLive(child, base);
}

async function call<T>(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown }, expect: number): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${init.method ?? 'POST'} ${path}: ${res.status} (expected ${expect}): ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---------------------------------------------------------------------------------------------
// Seed: the establishment (set-based SQL), then a DSI who signs in through the API like a person.

interface Establishment {
  tenantId: string;
  dsiEmail: string;
  totpSecret: string;
  accounts: { id: string; email: string; contractorId: string }[];
  resources: { id: string; externalId: string }[];
}

const DSI_PASSWORD = `Banc-${randomBytes(9).toString('base64url')}-42`;

async function seedEstablishment(sql: Client, secrets: Secrets): Promise<Establishment> {
  const q = async <T>(text: string, params: unknown[] = []) => (await sql.query(text, params)).rows as T[];
  await q('BEGIN');
  const [{ id: tenantId }] = await q<{ id: string }>(
    `INSERT INTO tenants (name, preset, policy) VALUES ('CH Banc d''essai (journal)', 'chm', $1) RETURNING id`, [JSON.stringify(presetPolicy('chm'))],
  );
  const totpSecret = generateSecret();
  const dsiEmail = `dsi.${randomBytes(3).toString('hex')}@ch-bench.test`;
  const [{ id: dsiId }] = await q<{ id: string }>(
    `WITH i AS (INSERT INTO identities (email, password_hash, password_changed_at, totp_secret_enc, totp_enabled_at)
                VALUES ($2, $3, now(), $4, now()) RETURNING id)
     INSERT INTO users (identity_id, tenant_id, email, first_name, last_name, roles, status)
     SELECT i.id, $1, $2, 'Direction', 'Numérique', '{dsi}', 'active' FROM i RETURNING id`,
    [tenantId, dsiEmail, await hashPassword(DSI_PASSWORD), secrets.encrypt(totpSecret)],
  );
  await q(
    `INSERT INTO contractors (tenant_id, legal_name, siret, address, created_by)
     SELECT $1, format('Prestataire %s SAS', lpad(n::text, 3, '0')), lpad((800000000 + n)::text, 9, '0') || '00017',
            format('%s rue de la Santé, 72000 Le Mans', n + 1), $2
       FROM generate_series(0, ${ESTABLISHMENT.contractors - 1}) n`,
    [tenantId, dsiId],
  );
  const accounts = await q<{ id: string; email: string; contractor_id: string }>(
    `INSERT INTO accounts (tenant_id, contractor_id, first_name, last_name, email, phone, status, requested_at, approved_at, activated_at)
     SELECT $1, c.id, 'Intervenant', format('N%s', n), format('intervenant%s@c%s.prestataire.test', lpad(n::text, 4, '0'), lpad(c.k::text, 3, '0')),
            '+33 2 43 00 00 00', 'active', now() - interval '1 year', now() - interval '1 year', now() - interval '1 year'
       FROM generate_series(0, ${ESTABLISHMENT.accounts - 1}) n
       JOIN (SELECT id, (row_number() OVER (ORDER BY siret))::int - 1 AS k FROM contractors WHERE tenant_id = $1) c ON c.k = n % ${ESTABLISHMENT.contractors}
      ORDER BY n
     RETURNING id, email, contractor_id`,
    [tenantId],
  );
  const resources = await q<{ id: string; external_id: string }>(
    `INSERT INTO resources (tenant_id, name, kind, criticality, external_id)
     SELECT $1, format('Serveur %s', lpad(n::text, 4, '0')), 'server', 'medium', format('res-%s', lpad(n::text, 4, '0'))
       FROM generate_series(0, ${ESTABLISHMENT.resources - 1}) n ORDER BY n
     RETURNING id, external_id`,
    [tenantId],
  );
  await q('COMMIT');
  return {
    tenantId, dsiEmail, totpSecret,
    accounts: accounts.map((a) => ({ id: a.id, email: a.email, contractorId: a.contractor_id })),
    resources: resources.map((r) => ({ id: r.id, externalId: r.external_id })),
  };
}

interface Session {
  auth: { authorization: string };
}

/** Password, then the TOTP code an authenticator app would show now (the secret was stored encrypted with the app's Secrets). */
async function signIn(base: string, est: Establishment): Promise<Session> {
  const login = await call<{ mfaToken: string; next: string }>(base, '/v1/auth/login', { body: { email: est.dsiEmail, password: DSI_PASSWORD } }, 200);
  if (login.next !== 'verify') throw new Error(`Sign-in: expected a TOTP verification, got ${login.next}`);
  const tokens = await call<{ accessToken: string }>(base, '/v1/auth/mfa/verify', { body: { mfaToken: login.mfaToken, code: await generate({ secret: est.totpSecret }) } }, 200);
  return { auth: { authorization: `Bearer ${tokens.accessToken}` } };
}

/** A table of accounts numbered 0..n-1 that the seeding statements join on (an indexed join, not an array subscript per row). */
async function seedAccounts(sql: Client, table: string, accounts: { ref: string; id: string; contractorId: string }[]): Promise<void> {
  await sql.query(`CREATE UNLOGGED TABLE ${table} (k int PRIMARY KEY, ref text NOT NULL, id uuid NOT NULL, contractor_id uuid NOT NULL)`);
  await sql.query(
    `INSERT INTO ${table} SELECT k - 1, ref, id, contractor_id FROM unnest($1::text[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS x(ref, id, contractor_id, k)`,
    [accounts.map((a) => a.ref), accounts.map((a) => a.id), accounts.map((a) => a.contractorId)],
  );
  await sql.query(`ANALYZE ${table}`);
}

/**
 * Journal rows for one month, set-based: `rows` events spread evenly over the month (distinct instants,
 * in time order, as a journal fills), each for a random account of `table` (see seedAccounts), in batches
 * of 5,000 (one batch id each).
 */
async function seedMonth(sql: Client, input: { tenantId: string; month: string; rows: number; prefix: string; table: string }): Promise<void> {
  const start = monthStart(input.month);
  const stepMs = (monthEnd(input.month).getTime() - start.getTime()) / input.rows;
  const accounts = Number((await sql.query(`SELECT count(*) AS n FROM ${input.table}`)).rows[0].n);
  await sql.query(
    `INSERT INTO connection_events (tenant_id, batch_id, api_key_id, event_id, account_ref, account_id, contractor_id, resource_ref, resource_id,
                                    source_ip, started_at, ended_at, outcome, recording_ref, ingested_at)
     SELECT $1, md5($2 || ':' || (g / ${BATCH}))::uuid, NULL, $2 || '-' || g, a.ref, a.id, a.contractor_id,
            'res-' || lpad((g % 2000)::text, 4, '0'), md5('res:' || (g % 2000))::uuid, '10.0.0.0'::inet + (g % 65536), t,
            t + make_interval(mins => 5 + (g % 55)::int), CASE WHEN g % 20 = 0 THEN 'failure' ELSE 'success' END,
            CASE WHEN g % 2 = 0 THEN 'rec-' || $2 || '-' || g END, t + interval '1 minute'
       FROM (SELECT g, floor(random() * $3)::int AS k, $4::timestamptz + (g * $5::float8) * interval '1 millisecond' AS t
               FROM generate_series(0, $6::bigint - 1) g) x
       JOIN ${input.table} a ON a.k = x.k`,
    [input.tenantId, input.prefix, accounts, start, stepMs, input.rows],
  );
}

/** Seeds several months on `parallel` connections of their own (the machine has two cores). */
async function seedMonths(url: string, input: { tenantId: string; months: string[]; rows: number; prefix: string; table: string }, parallel = 2): Promise<void> {
  const t0 = Date.now();
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, input.months.length) }, () => withDb(url, async (sql) => {
    while (next < input.months.length) {
      const i = next++;
      await seedMonth(sql, { tenantId: input.tenantId, month: input.months[i], rows: input.rows, prefix: `${input.prefix}${i}`, table: input.table });
      if (++done % 6 === 0 && done < input.months.length) console.log(`  ... ${done} / ${input.months.length} months seeded (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  })));
}

async function vacuumAnalyze(sql: Client, months: string[]): Promise<void> {
  for (const m of new Set(months)) await sql.query(`VACUUM (ANALYZE) ${partitionName(m)}`);
  await sql.query(`ANALYZE connection_events`);
}

// ---------------------------------------------------------------------------------------------
// 1. Ingestion: the API against COPY.

interface IngestFigures {
  events: number;
  api: { seconds: number; rate: number; conditions: Conditions };
  copies: { month: string; seconds: number; rate: number; conditions: Conditions }[];
  ratio: number;
  errors: string[];
}

const CSV_COLUMNS = 'tenant_id, batch_id, api_key_id, event_id, account_ref, account_id, contractor_id, resource_ref, resource_id, source_ip, started_at, ended_at, outcome, recording_ref, ingested_at';

/**
 * The events a bastion would send: 85% by e-mail, 10% by account id, 5% an account unknown here; 95% a
 * known resource. One pass builds the NDJSON bodies for the API and, for COPY, CSV files of the same rows
 * (another tenant, another month, with the ids the API resolves them to).
 */
async function buildIngestData(est: Establishment, count: number, apiMonth: string, copyMonths: string[], dir: string, apiKeyId: string) {
  const random = prng(41);
  const spacing = Math.floor((20 * 86_400_000) / count);
  const bodies: Buffer[] = [];
  const copyTenant = randomUUID();
  const files = copyMonths.map((m) => ({ month: m, path: join(dir, `copy-${m}.csv`), base: monthStart(m).getTime() }));
  const streams = files.map((f) => createWriteStream(f.path));
  const apiBase = monthStart(apiMonth).getTime();
  const ingestedAt = new Date().toISOString();
  let lines: string[] = [];
  let csv: string[][] = files.map(() => []);
  let batchIds = files.map(() => randomUUID());
  const flush = async () => {
    bodies.push(Buffer.from(lines.join('\n') + '\n'));
    lines = [];
    for (let f = 0; f < files.length; f++) {
      if (!streams[f].write(csv[f].join(''))) await new Promise<void>((r) => streams[f].once('drain', () => r()));
    }
    csv = files.map(() => []);
    batchIds = files.map(() => randomUUID());
  };
  for (let i = 0; i < count; i++) {
    const a = est.accounts[Math.floor(random() * est.accounts.length)];
    const r = random();
    const account = r < 0.85 ? a.email : r < 0.95 ? a.id : `inconnu${Math.floor(random() * 1000)}@nulle-part.test`;
    const known = r < 0.95;
    const res = random() < 0.95 ? est.resources[Math.floor(random() * est.resources.length)] : null;
    const resource = res ? res.externalId : `res-absente-${Math.floor(random() * 100)}`;
    const ip = `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
    const offset = i * spacing;
    const duration = 60_000 * (1 + Math.floor(random() * 120));
    const outcome = random() < 0.95 ? 'success' : 'failure';
    const recording = random() < 0.5 ? `rec-${i.toString(36)}` : null;
    const eventId = `bastion-${i.toString().padStart(8, '0')}`;
    lines.push(JSON.stringify({
      eventId, account, resource, sourceIp: ip, startedAt: new Date(apiBase + offset).toISOString(),
      endedAt: new Date(apiBase + offset + duration).toISOString(), outcome, ...(recording ? { recordingRef: recording } : {}),
    }));
    for (let f = 0; f < files.length; f++) {
      const startedAt = new Date(files[f].base + offset);
      csv[f].push([copyTenant, batchIds[f], apiKeyId, eventId, account, known ? a.id : '', known ? a.contractorId : '', resource, res?.id ?? '', ip,
        startedAt.toISOString(), new Date(startedAt.getTime() + duration).toISOString(), outcome, recording ?? '', ingestedAt].join(',') + '\n');
    }
    if (lines.length === BATCH) await flush();
  }
  if (lines.length) await flush();
  await Promise.all(streams.map((s) => new Promise<void>((r) => s.end(() => r()))));
  return { bodies, copyTenant, files };
}

async function psqlCopy(url: string, file: string, onPid: (pid: number | undefined) => void): Promise<void> {
  const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy connection_events(${CSV_COLUMNS}) FROM '${file}' WITH (FORMAT csv)`], { stdio: ['ignore', 'ignore', 'pipe'] });
  onPid(child.pid);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  onPid(undefined);
  if (code !== 0) throw new Error(`psql \\copy failed (${code}): ${stderr}`);
}

async function postBatches(base: string, key: string, bodies: Buffer[], concurrency: number, expected: (i: number) => number): Promise<string[]> {
  const errors: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      const res = await fetch(`${base}/v1/connection-events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'x-api-key': key }, body: bodies[i] });
      const text = await res.text();
      if (res.status !== 200) {
        errors.push(`batch ${i}: ${res.status} ${text.slice(0, 300)}`);
        continue;
      }
      const body = JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] };
      if (body.accepted !== expected(i) || body.duplicates || body.rejected.length) errors.push(`batch ${i}: ${text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return errors;
}

async function ingestPhase(ctx: RunContext): Promise<IngestFigures> {
  const count = VOLUMES.ingest;
  const [apiMonth, copyBefore, copyAfter, warmMonth] = [1, 2, 3, 4].map((n) => monthsBefore(new Date(), n));
  const t0 = Date.now();
  const data = await buildIngestData(ctx.est, count, apiMonth, [copyBefore, copyAfter], ctx.dir, ctx.apiKeyId);
  await new JournalPartitions(ctx.db).ensure([apiMonth, copyBefore, copyAfter, warmMonth]);
  console.log(`  ${count} events prepared in ${data.bodies.length} NDJSON bodies of up to ${BATCH} (${(data.bodies.reduce((s, b) => s + b.length, 0) / 2 ** 20).toFixed(0)} MiB) and as CSV, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // Warm-up (not measured): the same shape of batches, into another month.
  const warm = (await buildIngestData(ctx.est, Math.min(count, 2 * BATCH), warmMonth, [], ctx.dir, ctx.apiKeyId)).bodies
    .map((b) => Buffer.from(b.toString().replace(/"bastion-/g, '"warm-')));
  const warmErrors = await postBatches(ctx.base, ctx.apiKey, warm, settings.concurrency, (i) => Math.min(BATCH, Math.min(count, 2 * BATCH) - i * BATCH));

  let psqlPid: number | undefined;
  const extra = () => [ctx.api.pid!, ...(psqlPid ? [psqlPid] : [])];
  const copies: IngestFigures['copies'] = [];
  const copy = async (f: { month: string; path: string }) => {
    await ctx.sql.query('CHECKPOINT');
    await settle(`COPY ${f.month}`);
    const t = process.hrtime.bigint();
    const { conditions } = await watched(ctx.database, extra, () => psqlCopy(ctx.url, f.path, (pid) => (psqlPid = pid)), ctx.api.pid);
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    copies.push({ month: f.month, seconds, rate: count / seconds, conditions });
    console.log(`  COPY into ${f.month}: ${count} rows in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} rows/s (${conditionsText(conditions)}; ${cpuText(conditions)})`);
  };

  await copy(data.files[0]);
  await ctx.sql.query('CHECKPOINT');
  await settle('API ingestion');
  const t = process.hrtime.bigint();
  const { result: errors, conditions } = await watched(ctx.database, extra, () =>
    postBatches(ctx.base, ctx.apiKey, data.bodies, settings.concurrency, (i) => Math.min(BATCH, count - i * BATCH)), ctx.api.pid);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(`  API into ${apiMonth}: ${count} events in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} events/s, ${settings.concurrency} requests in flight (${conditionsText(conditions)}; ${cpuText(conditions)})`);
  await copy(data.files[1]);

  // Everything arrived once: the rows, one sealed batch per request, a chain that verifies.
  const problems = [...warmErrors.map((e) => `warm-up ${e}`), ...errors];
  const counted = (await ctx.sql.query<{ api: number; copied: number; batches: number }>(
    `SELECT (SELECT count(*)::int FROM connection_events WHERE tenant_id = $1 AND started_at >= $3 AND started_at < $4) AS api,
            (SELECT count(*)::int FROM connection_events WHERE tenant_id = $2) AS copied,
            (SELECT count(*)::int FROM journal_batches WHERE tenant_id = $1) AS batches`,
    [ctx.est.tenantId, data.copyTenant, monthStart(apiMonth), monthEnd(apiMonth)],
  )).rows[0];
  if (counted.api !== count) problems.push(`the API stored ${counted.api} events in ${apiMonth}, expected ${count}`);
  if (counted.copied !== 2 * count) problems.push(`COPY stored ${counted.copied} rows, expected ${2 * count}`);
  if (counted.batches !== data.bodies.length + warm.length) problems.push(`${counted.batches} sealed batches, expected ${data.bodies.length + warm.length}`);
  // The same rows: the API resolved references exactly as the COPY files say (unknown accounts and resources left null).
  const shape = (await ctx.sql.query<{ tenant: string; unresolved_accounts: number; unresolved_resources: number; failures: number; recordings: number }>(
    `SELECT tenant_id::text AS tenant, count(*) FILTER (WHERE account_id IS NULL)::int AS unresolved_accounts,
            count(*) FILTER (WHERE resource_id IS NULL)::int AS unresolved_resources, count(*) FILTER (WHERE outcome = 'failure')::int AS failures,
            count(recording_ref)::int AS recordings
       FROM connection_events WHERE started_at >= $1 AND started_at < $2 GROUP BY tenant_id`,
    [monthStart(copyBefore), monthEnd(apiMonth)], // the API's month and the first COPY's, the one just before it
  )).rows;
  const api = shape.find((r) => r.tenant === ctx.est.tenantId);
  const copied = shape.find((r) => r.tenant === data.copyTenant);
  const fingerprint = (r?: typeof api) => (r ? `${r.unresolved_accounts}/${r.unresolved_resources}/${r.failures}/${r.recordings}` : 'none');
  if (fingerprint(api) !== fingerprint(copied)) problems.push(`the API and COPY rows differ (unresolved accounts/resources, failures, recordings): ${fingerprint(api)} vs ${fingerprint(copied)}`);
  const verify = await call<{ ok: boolean; checkedBatches: number }>(ctx.base, '/v1/connection-events/verify', { headers: ctx.session.auth }, 200);
  if (!verify.ok) problems.push(`the journal chain does not verify: ${JSON.stringify(verify)}`);
  for (const f of data.files) rmSync(f.path, { force: true });
  await vacuumAnalyze(ctx.sql, [apiMonth, copyBefore, copyAfter, warmMonth]);

  const copyRate = copies.reduce((s, c) => s + c.rate, 0) / copies.length;
  return { events: count, api: { seconds, rate: count / seconds, conditions }, copies, ratio: count / seconds / copyRate, errors: problems };
}

// ---------------------------------------------------------------------------------------------
// 2. Export: rows/s and the API's memory.

interface ExportRun {
  label: string;
  rows: number;
  /** Peak sampled RSS while the first half of the rows arrived, and while the second half did. */
  peakFirstHalfMiB: number;
  peakSecondHalfMiB: number;
  /** V8 major collections during the download, and the heap still live after them (min..max), in MB. */
  majorGcs: number;
  liveAfterGcMb: [number, number] | null;
  bytes: number;
  requestMs: number;
  seconds: number;
  rate: number;
  rssBeforeMiB: number;
  peakMiB: number;
  growthMiB: number;
  samples: number;
  conditions: Conditions;
}

function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

async function exportOnce(ctx: RunContext, label: string, from: Date, to: Date, expected: number): Promise<ExportRun> {
  const pid = ctx.api.pid!;
  writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
  await sleep(200);
  const before = memoryOf(pid).rss;
  let peak = before;
  let samples = 0;
  let received = 0;
  const halves = [before, before];
  const sampler = setInterval(() => {
    const rss = memoryOf(pid).rss;
    peak = Math.max(peak, rss);
    const half = received < expected / 2 ? 0 : 1;
    halves[half] = Math.max(halves[half], rss);
    samples++;
  }, 20);
  const gcFrom = Date.now();
  try {
    const run = async () => {
      const t0 = process.hrtime.bigint();
      const requested = await call<{ id: string; downloadUrl: string }>(ctx.base, '/v1/connection-exports', {
        headers: ctx.session.auth, body: { from: from.toISOString(), to: to.toISOString(), reason: `Banc d'essai du journal (${label})`, format: 'csv' },
      }, 201);
      const t1 = process.hrtime.bigint();
      // node:http rather than fetch: the client shares the two cores with the API and PostgreSQL, so it should cost little (as curl would).
      const res = await new Promise<IncomingMessage>((done, fail) => get(`${ctx.base}${requested.downloadUrl}`, { headers: ctx.session.auth }, done).on('error', fail));
      if (res.statusCode !== 200) throw new Error(`download ${label}: ${res.statusCode}`);
      let bytes = 0;
      let newlines = 0;
      let head = '';
      for await (const buf of res as AsyncIterable<Buffer>) {
        if (head.length < 20) head += buf.subarray(0, 20).toString();
        bytes += buf.length;
        for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) newlines++;
        received = newlines;
      }
      const t2 = process.hrtime.bigint();
      if (!head.startsWith('eventId,')) throw new Error(`download ${label}: unexpected CSV header ${JSON.stringify(head)}`);
      return { rows: newlines - 1, bytes, requestMs: Number(t1 - t0) / 1e6, seconds: Number(t2 - t1) / 1e9 };
    };
    const { result, conditions } = await watched(ctx.database, () => [pid], run, pid);
    clearInterval(sampler);
    const mem = memoryOf(pid);
    peak = Math.max(peak, mem.rss, mem.hwm);
    if (result.rows !== expected) throw new Error(`export ${label}: ${result.rows} rows downloaded, expected ${expected}`);
    const gcs = (majorGcs.get(ctx.api) ?? []).filter((g) => g.at >= gcFrom);
    const live = gcs.map((g) => g.afterMb);
    return {
      label, ...result, rate: result.rows / result.seconds, rssBeforeMiB: before, peakMiB: peak, growthMiB: peak - before, samples, conditions,
      peakFirstHalfMiB: halves[0], peakSecondHalfMiB: halves[1], majorGcs: gcs.length, liveAfterGcMb: live.length ? [Math.min(...live), Math.max(...live)] : null,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function exportPhase(ctx: RunContext): Promise<{ runs: ExportRun[]; errors: string[] }> {
  const month = monthsBefore(new Date(), 1);
  const range = [monthStart(month), monthEnd(month)] as const;
  const count = async () => (await ctx.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM connection_events WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3`, [ctx.est.tenantId, ...range])).rows[0].n;
  let rows = await count();
  if (rows === 0) {
    // Without the ingestion phase: the same volume, seeded with SQL.
    await new JournalPartitions(ctx.db).ensure([month]);
    const t0 = Date.now();
    await seedAccounts(ctx.sql, 'bench_export_accounts', ctx.est.accounts.map((a) => ({ ref: a.email, id: a.id, contractorId: a.contractorId })));
    await seedMonth(ctx.sql, { tenantId: ctx.est.tenantId, month, rows: VOLUMES.exportLarge, prefix: 'exp', table: 'bench_export_accounts' });
    await vacuumAnalyze(ctx.sql, [month]);
    rows = await count();
    console.log(`  seeded ${rows} events in ${month} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const boundary = async (n: number) => (await ctx.sql.query<{ at: Date }>(
    `SELECT started_at AS at FROM connection_events WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3 ORDER BY started_at, id OFFSET $4 LIMIT 1`,
    [ctx.est.tenantId, ...range, n])).rows[0]?.at ?? range[1];
  const small = Math.min(VOLUMES.exportSmall, rows);
  const countBefore = async (to: Date) => (await ctx.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM connection_events WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3`, [ctx.est.tenantId, range[0], to])).rows[0].n;
  const smallTo = await boundary(small);
  const warmTo = await boundary(Math.min(2000, rows));
  const warmRows = await countBefore(warmTo);
  const runs: ExportRun[] = [];
  for (const [label, to] of [[`${Math.round(small / 1000)}k range`, smallTo], ['full month', range[1]]] as const) {
    const expected = await countBefore(to);
    // Each export in a fresh API process (--trace-gc: the heap still live after each major collection), after the same
    // small warm-up export: both start from the same memory. The wait for a quiet machine comes first: an API left idle
    // after its warm-up has its heap shrunk by V8 (new space 32 -> 1 MB), and regrowing it would count as the export's.
    await settle(`export ${label}`);
    await ctx.restartApi(true);
    await exportOnce(ctx, 'warm-up', range[0], warmTo, warmRows);
    const run = await exportOnce(ctx, label, range[0], to, expected);
    runs.push(run);
    console.log(`  export ${label}: ${run.rows} rows, ${(run.bytes / 2 ** 20).toFixed(0)} MiB in ${run.seconds.toFixed(2)} s = ${run.rate.toFixed(0)} rows/s`
      + ` (request ${run.requestMs.toFixed(0)} ms); API RSS ${run.rssBeforeMiB.toFixed(0)} MiB before, peak ${run.peakMiB.toFixed(0)} MiB (+${run.growthMiB.toFixed(0)}) (${conditionsText(run.conditions)}; ${cpuText(run.conditions)})`);
    console.log(`    RSS peak while the first half of the rows arrived ${run.peakFirstHalfMiB.toFixed(0)} MiB, the second half ${run.peakSecondHalfMiB.toFixed(0)} MiB; `
      + `${run.majorGcs} major GCs, heap live after them ${run.liveAfterGcMb ? `${run.liveAfterGcMb[0].toFixed(0)}..${run.liveAfterGcMb[1].toFixed(0)} MB` : 'n/a'}`);
  }
  return { runs, errors: [] };
}

// ---------------------------------------------------------------------------------------------
// 3. Query: one account, one month, among 10M rows over 18 months.

interface QueryFigures {
  totalRows: number;
  queryRows: number;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  meanRows: number;
  conditions: Conditions;
  plan: string[];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function queryPhase(ctx: RunContext): Promise<QueryFigures> {
  const tenantId = randomUUID();
  const contractors = Array.from({ length: 200 }, () => randomUUID());
  const accounts = Array.from({ length: QUERY_ACCOUNTS }, (_, k) => ({ ref: `agent${k}@q.prestataire.test`, id: randomUUID(), contractorId: contractors[k % contractors.length] }));
  const months = Array.from({ length: MONTHS }, (_, i) => monthsBefore(new Date(), MONTHS - i));
  await new JournalPartitions(ctx.db).ensure(months);
  const perMonth = Math.round(VOLUMES.queryRows / MONTHS);
  const t0 = Date.now();
  await seedAccounts(ctx.sql, 'bench_query_accounts', accounts);
  await seedMonths(ctx.url, { tenantId, months, rows: perMonth, prefix: 'q', table: 'bench_query_accounts' });
  const t1 = Date.now();
  await vacuumAnalyze(ctx.sql, months);
  const totalRows = Number((await ctx.sql.query(`SELECT count(*) AS n FROM connection_events`)).rows[0].n);
  console.log(`  seeded ${perMonth * MONTHS} rows for one tenant over ${months[0]}..${months[MONTHS - 1]} in ${((t1 - t0) / 1000).toFixed(0)} s (VACUUM ANALYZE ${((Date.now() - t1) / 1000).toFixed(0)} s); ${totalRows} rows in connection_events`);

  // The journal's own read: ExportsRepository.events, filtered on the account, through the app's Db (TypeORM pool).
  {
    const repo = new ExportsRepository(ctx.db);
    const random = prng(7);
    const read = async () => {
      const account = accounts[Math.floor(random() * accounts.length)];
      const month = months[Math.floor(random() * months.length)];
      const t = process.hrtime.bigint();
      let rows = 0;
      for await (const page of repo.events({ tenantId }, { from: monthStart(month), to: monthEnd(month), contractorId: null, accountId: account.id }, 'csv')) rows += page.ends.length;
      return { ms: Number(process.hrtime.bigint() - t) / 1e6, rows, account, month };
    };
    // The plan of one such read (the first page's query, which the repository COPYs).
    const first = repo.pageSql({ tenantId }, { from: monthStart(months[9]), to: monthEnd(months[9]), contractorId: null, accountId: accounts[42].id }, 'csv', null);
    const plan = (await ctx.sql.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${first}`)).rows.map((r: Record<string, string>) => r['QUERY PLAN']);

    for (let i = 0; i < 20; i++) await read(); // warm-up: connection, catalog caches
    await settle('query');
    const { result: timings, conditions } = await watched(ctx.database, () => [], async () => {
      const out: { ms: number; rows: number }[] = [];
      for (let i = 0; i < QUERY_SAMPLES; i++) out.push(await read());
      return out;
    });
    const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
    return {
      totalRows, queryRows: perMonth * MONTHS, samples: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1], meanRows: timings.reduce((s, t) => s + t.rows, 0) / timings.length, conditions, plan,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Retention: DROP of a month's partition against DELETE of an equivalent month.

interface RetentionFigures {
  rowsPerMonth: number;
  deleteMs: number;
  deleteConditions: Conditions;
  vacuumMs: number;
  tallyMs: number;
  dropMs: number;
  dropConditions: Conditions;
  ratio: number;
}

async function retentionPhase(ctx: RunContext): Promise<RetentionFigures> {
  const tenantId = randomUUID();
  const accounts = Array.from({ length: QUERY_ACCOUNTS }, (_, k) => ({ ref: `agent${k}@r.prestataire.test`, id: randomUUID(), contractorId: randomUUID() }));
  // Two months long past every retention, of the same size as one month of the query phase.
  const [deleted, dropped] = [31, 30].map((n) => monthsBefore(new Date(), n));
  const partitions = new JournalPartitions(ctx.db);
  await partitions.ensure([deleted, dropped]);
  const rows = Math.round(VOLUMES.retentionRows);
  const t0 = Date.now();
  await seedAccounts(ctx.sql, 'bench_retention_accounts', accounts);
  await seedMonths(ctx.url, { tenantId, months: [deleted, dropped], rows, prefix: 'r', table: 'bench_retention_accounts' });
  await vacuumAnalyze(ctx.sql, [deleted, dropped]);
  console.log(`  seeded ${rows} rows in each of ${deleted} and ${dropped} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  await ctx.sql.query('CHECKPOINT');
  await settle('DELETE');
  let t = process.hrtime.bigint();
  const del = await watched(ctx.database, () => [], () => ctx.sql.query(
    `DELETE FROM connection_events WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3`, [tenantId, monthStart(deleted), monthEnd(deleted)]));
  const deleteMs = Number(process.hrtime.bigint() - t) / 1e6;
  if (del.result.rowCount !== rows) throw new Error(`DELETE removed ${del.result.rowCount} rows, expected ${rows}`);
  t = process.hrtime.bigint();
  await ctx.sql.query(`VACUUM ${partitionName(deleted)}`);
  const vacuumMs = Number(process.hrtime.bigint() - t) / 1e6;

  await ctx.sql.query('CHECKPOINT');
  await settle('DROP');
  // What JournalRetention reads from a partition before dropping it (per-tenant counts and batches, for the seals and the audit trail).
  t = process.hrtime.bigint();
  await ctx.sql.query(`SELECT tenant_id, count(*)::int AS n, array_agg(DISTINCT batch_id) AS batches FROM ${partitionName(dropped)} GROUP BY tenant_id`);
  const tallyMs = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  const drop = await watched(ctx.database, () => [], () => partitions.drop(dropped, new Date()));
  const dropMs = Number(process.hrtime.bigint() - t) / 1e6;
  const left = (await ctx.sql.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname = $1`, [partitionName(dropped)])).rows[0].n;
  if (left) throw new Error(`${partitionName(dropped)} is still there after the drop`);
  console.log(`  DELETE ${rows} rows: ${deleteMs.toFixed(0)} ms (${conditionsText(del.conditions)}); then VACUUM ${vacuumMs.toFixed(0)} ms`);
  console.log(`  DROP partition: ${dropMs.toFixed(1)} ms (${conditionsText(drop.conditions)}); JournalRetention's tally of the partition before it: ${tallyMs.toFixed(0)} ms`);
  return { rowsPerMonth: rows, deleteMs, deleteConditions: del.conditions, vacuumMs, tallyMs, dropMs, dropConditions: drop.conditions, ratio: deleteMs / dropMs };
}

// ---------------------------------------------------------------------------------------------

interface RunContext {
  database: string;
  url: string;
  base: string;
  sql: Client;
  /** The app's Db on the bench database (see appDb). */
  db: Db;
  api: ChildProcess;
  /** Stops the API and starts a fresh process of it (same database, secret and port). */
  restartApi: (traceGc?: boolean) => Promise<void>;
  est: Establishment;
  session: Session;
  apiKey: string;
  apiKeyId: string;
  dir: string;
}

async function main(): Promise<number> {
  const database = `bench_journal_${randomBytes(4).toString('hex')}`;
  const url = urlFor(database);
  const dir = mkdtempSync(join(tmpdir(), 'bench-journal-'));
  let api: ChildProcess | undefined;
  let sql: Client | undefined;
  let db: Db | undefined;
  let created = false;
  const cleanup = async () => {
    await stopApi(api).catch(() => undefined);
    await sql?.end().catch(() => undefined);
    await db?.dataSource.destroy().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    if (created && !settings.keepDb) await withDb(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    console.log(`bench:journal  scale ${settings.scale}, phases ${[...settings.only].join(', ')}, ${settings.concurrency} ingestion requests in flight, node ${process.version}, load ${loadavg().toFixed(2)}`);
    await withDb(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${database}`));
    created = true;
    await runMigrations(url, MIGRATIONS);
    sql = new Client({ connectionString: url });
    await sql.connect();
    db = await appDb(url);
    const server = (await sql.query(`SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS sb`)).rows[0];

    const appSecret = randomBytes(48).toString('base64url');
    const secrets = new Secrets(parseConfig({ DATABASE_URL: url, APP_SECRET: appSecret }));
    const est = await seedEstablishment(sql, secrets);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const apiEnv = {
      ...process.env, NODE_ENV: 'production', DATABASE_URL: url, APP_SECRET: appSecret, HOST: '127.0.0.1', PORT: String(port),
      LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '1000', ACCESS_TOKEN_TTL_SECONDS: '3600', QUEUE_PREFIX: `bench-${database}`,
    };
    api = await startApi(apiEnv, base);
    const session = await signIn(base, est);
    const created201 = await call<{ id: string; key: string }>(base, '/v1/api-keys', { headers: session.auth, body: { name: 'Bastion (bench)', scopes: ['connections'] } }, 201);
    const ctx: RunContext = {
      database, url, base, sql, db, api, est, session, apiKey: created201.key, apiKeyId: created201.id, dir,
      restartApi: async (traceGc = false) => {
        await stopApi(api);
        api = await startApi(apiEnv, base, traceGc);
        ctx.api = api;
      },
    };
    console.log(`Database ${database} (PostgreSQL ${server.v}, shared_buffers ${server.sb}); API pid ${api.pid} on ${base}; DSI signed in (password + TOTP), gateway key created`);

    const verdicts: { label: string; pass: boolean }[] = [];
    const errors: string[] = [];
    const report: string[] = [];
    const f0 = (n: number) => n.toFixed(0);

    if (settings.only.has('ingest')) {
      console.log(`\n[ingest] ${VOLUMES.ingest} events, batches of ${BATCH}`);
      const r = await ingestPhase(ctx);
      errors.push(...r.errors);
      const copyRate = r.copies.reduce((s, c) => s + c.rate, 0) / r.copies.length;
      report.push(`ingest     API ${f0(r.api.rate)} events/s (${r.api.seconds.toFixed(1)} s; ${conditionsText(r.api.conditions)})`);
      for (const c of r.copies) report.push(`           COPY ${f0(c.rate)} rows/s (${c.seconds.toFixed(1)} s; ${conditionsText(c.conditions)})`);
      report.push(`           API / COPY = ${r.ratio.toFixed(2)} (COPY mean ${f0(copyRate)} rows/s)   target >= ${TARGETS.ingestRatio}   ${r.ratio >= TARGETS.ingestRatio ? 'PASS' : 'FAIL'}`);
      verdicts.push({ label: 'ingest ratio', pass: r.ratio >= TARGETS.ingestRatio });
    }
    if (settings.only.has('export')) {
      console.log(`\n[export] CSV of ${VOLUMES.exportLarge} rows and of a ${VOLUMES.exportSmall}-row range`);
      const r = await exportPhase(ctx);
      errors.push(...r.errors);
      const [small, large] = r.runs;
      // Flat: neither the large export's second half nor ten times the rows raises the peak. The halves alone would pass an
      // export whose old generation grows per row once V8's major collections have settled; the tenfold count does not.
      const halves = large.peakSecondHalfMiB - large.peakFirstHalfMiB < TARGETS.flatGrowthMiB;
      const tenfold = large.growthMiB - small.growthMiB < TARGETS.flatGrowthMiB;
      const flat = halves && tenfold;
      const live = (run: ExportRun) => (run.liveAfterGcMb ? `${f0(run.liveAfterGcMb[0])}..${f0(run.liveAfterGcMb[1])} MB` : 'n/a');
      for (const run of r.runs) {
        report.push(`export     ${run.label.padEnd(10)} ${String(run.rows).padStart(8)} rows  ${f0(run.rate)} rows/s (${run.seconds.toFixed(2)} s)  RSS before ${f0(run.rssBeforeMiB)} MiB, peak ${f0(run.peakMiB)} MiB (+${f0(run.growthMiB)}); `
          + `${run.majorGcs} major GCs, live heap after them ${live(run)}  (${conditionsText(run.conditions)})`);
      }
      report.push(`           rows/s ${f0(large.rate)}   target >= ${TARGETS.exportRowsPerSecond}   ${large.rate >= TARGETS.exportRowsPerSecond ? 'PASS' : 'FAIL'}`);
      report.push(`           peak RSS over the first ${f0(large.rows / 2)} rows ${f0(large.peakFirstHalfMiB)} MiB, over the next ${f0(large.rows / 2)} ${f0(large.peakSecondHalfMiB)} MiB (the file is ${f0(large.bytes / 2 ** 20)} MiB)   `
        + `target: no higher by ${TARGETS.flatGrowthMiB} MiB   ${halves ? 'PASS' : 'FAIL'}`);
      report.push(`           peak RSS above the RSS before: ${f0(small.rows)} rows +${f0(small.growthMiB)} MiB, ${f0(large.rows)} rows +${f0(large.growthMiB)} MiB   `
        + `target: no higher by ${TARGETS.flatGrowthMiB} MiB   ${tenfold ? 'PASS' : 'FAIL'}`);
      verdicts.push({ label: 'export rate', pass: large.rate >= TARGETS.exportRowsPerSecond }, { label: 'export memory flat', pass: flat });
    }
    if (settings.only.has('query')) {
      console.log(`\n[query] ${VOLUMES.queryRows} rows over ${MONTHS} months, ${QUERY_ACCOUNTS} accounts; ${QUERY_SAMPLES} reads of one account's month`);
      const r = await queryPhase(ctx);
      console.log(`  plan of one read:\n${r.plan.map((l) => `    ${l}`).join('\n')}`);
      report.push(`query      ${r.samples} reads (${r.meanRows.toFixed(0)} rows each on average) among ${r.totalRows} rows: p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, max ${r.max.toFixed(2)} ms (${conditionsText(r.conditions)})`);
      report.push(`           p95 ${r.p95.toFixed(2)} ms   target < ${TARGETS.queryP95Ms} ms   ${r.p95 < TARGETS.queryP95Ms ? 'PASS' : 'FAIL'}`);
      verdicts.push({ label: 'query p95', pass: r.p95 < TARGETS.queryP95Ms });
    }
    if (settings.only.has('retention')) {
      console.log(`\n[retention] one month of ${Math.round(VOLUMES.retentionRows)} rows: DELETE vs DROP`);
      const r = await retentionPhase(ctx);
      report.push(`retention  ${r.rowsPerMonth} rows: DELETE ${f0(r.deleteMs)} ms (+ VACUUM ${f0(r.vacuumMs)} ms; ${conditionsText(r.deleteConditions)})`);
      report.push(`           DROP partition ${r.dropMs.toFixed(1)} ms (${conditionsText(r.dropConditions)}); JournalRetention's tally before the drop ${f0(r.tallyMs)} ms`);
      report.push(`           DELETE / DROP = ${f0(r.ratio)}x; (DELETE + VACUUM) / DROP = ${f0((r.deleteMs + r.vacuumMs) / r.dropMs)}x`);
    }

    console.log(`\n${'='.repeat(100)}`);
    for (const line of report) console.log(line);
    if (settings.scale !== 1) console.log(`(scale ${settings.scale}: volumes scaled, figures are a check, not the targets' measurement)`);
    for (const e of errors) console.log(`ERROR ${e}`);
    const pass = !errors.length && verdicts.every((v) => v.pass);
    console.log(pass ? '\nPASS' : `\nFAIL${verdicts.filter((v) => !v.pass).map((v) => ` [${v.label}]`).join('')}`);
    if (settings.keepDb) console.log(`Database kept: ${url}`);
    return pass ? 0 : 1;
  } finally {
    await cleanup();
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
