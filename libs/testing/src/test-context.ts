import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { generate } from 'otplib';
import { NestFactory } from '@nestjs/core';
import { ManualClock, Role, Secrets } from '@app/core';
import { PasswordHasher, presetPolicy, PresetName } from '@app/identity';
import { appsUnderTest } from './apps-under-test';
import { appUrlFor, createTestDatabase, dropTestDatabase, urlFor } from './databases';
import { eventually } from './waiting';

export const TEST_PASSWORD = 'Correct-Horse-Battery-42';

export interface TestOptions {
  env?: Record<string, string | undefined>;
  /** Start a worker (outbox relay + processors) in this process too. */
  worker?: boolean;
  /** Receives the API's log lines (JSON) instead of stdout. */
  logDestination?: { write(line: string): void };
  /** A migrated database to use as is (e.g. on an OwnPostgres) instead of a clone of the template; the test owns it. */
  databaseUrl?: string;
  /** R-INT: the API and the worker connect as the tables' owner (the single-URL install) instead of the application role. */
  asOwner?: boolean;
}

export interface SignedIn {
  userId: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  totpSecret: string;
  auth: { Authorization: string };
}

/**
 * One test file's world: its own database (from the migrations), its own queue prefix in the
 * machine's Redis, the API (and optionally a worker) on a clock the test moves.
 */
export class TestContext {
  readonly clock = new ManualClock(testStart());
  api!: NestFastifyApplication;
  worker?: INestApplicationContext;
  /** The tables' owner (what migrations and the tests' own SQL use); the API and the worker connect as the application role. */
  sql!: Client;
  ownerUrl!: string;
  http!: TestAgent;
  env: Record<string, string | undefined> = {};
  private database?: string;
  private spoolDir?: string;
  /** Everyone signed in through signIn(), with their password: the clients whose tokens move with the clock. */
  private readonly people = new Map<SignedIn, string>();

  static async start(options: TestOptions = {}): Promise<TestContext> {
    const ctx = new TestContext();
    try {
      await ctx.boot(options);
    } catch (error) {
      await ctx.close().catch(() => undefined);
      throw error;
    }
    return ctx;
  }

  private async boot(options: TestOptions): Promise<void> {
    if (!options.databaseUrl) this.database = await createTestDatabase();
    this.spoolDir = mkdtempSync(join(tmpdir(), 'prestagate-spool-'));
    this.ownerUrl = options.databaseUrl ?? urlFor(this.database!);
    this.env = {
      NODE_ENV: 'test',
      DATABASE_URL: options.databaseUrl ?? (options.asOwner ? this.ownerUrl : appUrlFor(this.database!)),
      JOURNAL_SPOOL_DIR: this.spoolDir,
      DATABASE_POOL_SIZE: '5',
      APP_SECRET: 'test-secret-that-is-long-enough-0123456789',
      QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      // R-ART28: every seeded person's password is hashed; production's cost is asserted in test/auth.e2e.ts.
      PASSWORD_HASH_COST: 'test',
      OUTBOX_POLL_MS: '50',
      JOB_BACKOFF_MS: '200',
      JOB_ATTEMPTS: '8',
      PUBLIC_URL: 'https://prestagate.test',
      // Each test sets up exactly the situation it decides on: no cached standing between steps.
      DECISION_CACHE_MS: '0',
      DECISION_FLUSH_MS: '20',
      // The tests' webhook receivers listen on this machine's loopback, which production refuses by default.
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1',
      ...options.env,
    };
    this.api = await appsUnderTest().createApi({ env: this.env, clock: this.clock, logDestination: options.logDestination });
    await this.api.init();
    await this.api.getHttpAdapter().getInstance().ready();
    this.http = request(this.api.getHttpServer());
    this.sql = new Client({ connectionString: this.ownerUrl });
    await this.sql.connect();
    if (options.worker) await this.startWorker();
  }

  async startWorker(env: Record<string, string | undefined> = {}): Promise<INestApplicationContext> {
    this.worker = await this.createWorker(env);
    return this.worker;
  }

  /** Another worker process's worth of the worker (same database, Redis and clock); the caller closes it. */
  async createWorker(env: Record<string, string | undefined> = {}): Promise<INestApplicationContext> {
    const worker = await NestFactory.createApplicationContext(
      appsUnderTest().workerModule({ env: { ...this.env, ...env }, clock: this.clock }),
      { logger: false, abortOnError: false },
    );
    await worker.init();
    return worker;
  }

  async stopWorker(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  async close(): Promise<void> {
    await this.stopWorker();
    await this.api?.close();
    await this.sql?.end();
    if (this.database) await dropTestDatabase(this.database);
    if (this.spoolDir) rmSync(this.spoolDir, { recursive: true, force: true });
  }

  async query<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.sql.query(text, params)).rows as T[];
  }

  async createTenant(name = `CH Test ${randomBytes(3).toString('hex')}`, preset: PresetName = 'chm'): Promise<string> {
    const [row] = await this.query<{ id: string }>(
      `INSERT INTO tenants (name, preset, policy) VALUES ($1, $2, $3) RETURNING id`,
      [name, preset, JSON.stringify(presetPolicy(preset))],
    );
    return row.id;
  }

  /** A person who already chose a password (TOTP not enrolled yet unless `enrolled`). */
  async createUser(input: { tenantId: string | null; roles: Role[]; contractorId?: string; email?: string; enrolled?: boolean }): Promise<{ id: string; email: string; totpSecret?: string }> {
    const email = input.email ?? `${input.roles[0]}.${randomBytes(4).toString('hex')}@example.test`;
    const hash = await this.api.get(PasswordHasher).hash(TEST_PASSWORD);
    const secret = input.enrolled ? 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' : undefined;
    const [row] = await this.query<{ id: string }>(
      `INSERT INTO users (tenant_id, contractor_id, email, first_name, last_name, roles, status, password_hash, totp_secret_enc, totp_enabled_at)
       VALUES ($1, $2, $3, 'Test', 'Person', $4, 'active', $5, $6, $7) RETURNING id`,
      [input.tenantId, input.contractorId ?? null, email, input.roles, hash,
        secret ? this.api.get(Secrets).encrypt(secret) : null, secret ? new Date() : null],
    );
    return { id: row.id, email, totpSecret: secret };
  }

  /**
   * Waits until the worker has delivered everything the tenant (or, without one, anybody) queued in the
   * outbox so far: afterwards what the SMTP receiver holds is final, so "sent once" can be counted. A
   * fixed pause instead is long enough only on a quiet machine. The deadline is for real work of the
   * worker (relay, BullMQ, SMTP), which a loaded machine slows down.
   */
  async outboxDelivered(tenantId?: string, timeoutMs = 30_000): Promise<void> {
    const undelivered = () => this.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE delivered_at IS NULL AND ($1::uuid IS NULL OR tenant_id = $1)`, [tenantId ?? null],
    );
    const [left] = await eventually(undelivered, ([row]) => row.n === 0, timeoutMs);
    if (left.n) throw new Error(`${left.n} outbox message(s) still undelivered after ${timeoutMs} ms`);
  }

  /** The TOTP code an authenticator app would show now (on the test clock). */
  totp(secret: string): Promise<string> {
    return generate({ secret, epoch: Math.floor(this.clock.now().getTime() / 1000) });
  }

  /**
   * Signs in through the API like a person would: password, then TOTP (enrolling it the first time).
   * `enrolmentLink`: after a TOTP reset, the token of the enrolment link the person was e-mailed (R-ART28).
   */
  async signIn(email: string, password = TEST_PASSWORD, enrolmentLink?: string): Promise<SignedIn> {
    this.clock.advance(30_000); // a fresh TOTP step: a code is never accepted twice
    const person = (await this.authenticate(email, password, false, enrolmentLink))!;
    this.people.set(person, password);
    return person;
  }

  /**
   * Moves the test clock forward, and every person signed in through signIn() keeps working as
   * their client would (R-ART28): an access token that expired meanwhile is refreshed through
   * POST /v1/auth/refresh while its session lasts, and the person signs in again once the session's
   * lifetime (REFRESH_TOKEN_TTL_SECONDS) is over. The SignedIn objects and their `auth` headers are
   * updated in place. `ctx.clock.advance()` moves the clock alone (for tests of expiry itself).
   */
  async advanceClock(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.renewExpiredTokens();
  }

  /** Sets the test clock, then renews the expired access tokens like advanceClock(). */
  async setClock(at: Date | string): Promise<void> {
    this.clock.set(at);
    await this.renewExpiredTokens();
  }

  /**
   * What a client does with an expired access token, for everyone signed in through signIn().
   * A session that was revoked (suspension, departure, logout, password change, refresh token
   * reuse) stays revoked, and a session whose current refresh token the test spent itself is left
   * to the test: only age is renewed, never a refusal. A renewed sign-in counts as a sign-in for
   * the product (a new session), so a test of inactivity moves the clock with clock.advance().
   */
  async renewExpiredTokens(): Promise<void> {
    for (const [person, password] of this.people) {
      const now = this.clock.now();
      const claims = claimsOf(person.accessToken);
      if (claims.exp > Math.floor(now.getTime() / 1000)) continue;
      const [session] = await this.query<{ revoked: boolean; ended: boolean; current: boolean }>(
        `SELECT s.revoked_at IS NOT NULL AS revoked, s.expires_at <= $2 AS ended,
                EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id AND t.token_hash = $3 AND t.used_at IS NULL) AS current
           FROM auth_sessions s WHERE s.id = $1`,
        [claims.sid, now, this.api.get(Secrets).lookupHash(person.refreshToken)],
      );
      if (!session || session.revoked || !session.current) continue;
      if (!session.ended) {
        const refreshed = await this.http.post('/v1/auth/refresh').send({ refreshToken: person.refreshToken }).expect(200);
        adopt(person, refreshed.body);
        continue;
      }
      // The session's lifetime is over: a new sign-in, on a TOTP step this person has not used yet
      // (the next one if they signed in during this one; none if the test moved the clock back).
      const [user] = await this.query<{ step: string | null }>(`SELECT totp_last_step AS step FROM users WHERE id = $1`, [person.userId]);
      const step = Math.floor(now.getTime() / 30_000);
      if (user?.step != null && Number(user.step) > step) continue;
      if (user?.step != null && Number(user.step) === step) this.clock.advance(30_000);
      // Refused (suspended, deactivated, locked...): the person stays signed out, as they would.
      const again = await this.authenticate(person.email, password, true);
      if (again) adopt(person, again);
    }
  }

  /** Password then TOTP; undefined when the password step is refused and `mayBeRefused`. */
  private async authenticate(email: string, password: string, mayBeRefused: boolean, enrolmentLink?: string): Promise<SignedIn | undefined> {
    const attempt = this.http.post('/v1/auth/login').send({ email, password });
    const login = mayBeRefused ? await attempt : await attempt.expect(200);
    if (login.status !== 200) return undefined;
    const { mfaToken, next } = login.body;
    let secret: string;
    let tokens: { accessToken: string; refreshToken: string };
    if (next === 'enroll') {
      const enroll = await this.http.post('/v1/auth/mfa/enroll').send({ mfaToken, enrolmentLink }).expect(200);
      secret = enroll.body.secret;
      const confirm = await this.http.post('/v1/auth/mfa/enroll/confirm').send({ mfaToken, code: await this.totp(secret) }).expect(200);
      tokens = confirm.body;
    } else {
      const [row] = await this.query<{ totp_secret_enc: string }>(`SELECT totp_secret_enc FROM users WHERE lower(email) = lower($1)`, [email]);
      secret = this.api.get(Secrets).decrypt(row.totp_secret_enc);
      const verify = await this.http.post('/v1/auth/mfa/verify').send({ mfaToken, code: await this.totp(secret) }).expect(200);
      tokens = verify.body;
    }
    const me = await this.http.get('/v1/me').set('Authorization', `Bearer ${tokens.accessToken}`).expect(200);
    return {
      userId: me.body.id, email, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, totpSecret: secret,
      auth: { Authorization: `Bearer ${tokens.accessToken}` },
    };
  }

  /** A tenant with a signed-in DSI: the usual starting point of a hospital-side story. */
  async tenantWithDsi(preset: PresetName = 'chm'): Promise<{ tenantId: string; dsi: SignedIn }> {
    const tenantId = await this.createTenant(undefined, preset);
    const user = await this.createUser({ tenantId, roles: [Role.Dsi] });
    return { tenantId, dsi: await this.signIn(user.email) };
  }
}

/**
 * Where the test clock starts: now, or PRESTAGATE_TEST_NOW (an ISO instant) to replay the suite at
 * an awkward hour (near midnight in Paris, a weekend, a month's end) and find the tests that only pass
 * at some times of day. A test whose outcome depends on the hour or the date sets the clock itself.
 */
function testStart(): Date {
  const at = process.env.PRESTAGATE_TEST_NOW;
  if (!at) return new Date();
  const start = new Date(at);
  if (Number.isNaN(start.getTime())) throw new Error(`PRESTAGATE_TEST_NOW is not an ISO instant: ${at}`);
  return start;
}

/** The claims of an access token, read like a client reads its expiry (the signature is the API's business). */
function claimsOf(accessToken: string): { sid: string; exp: number } {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));
}

/** New tokens for the same person, in the same objects: tests keep the references they hold. */
function adopt(person: SignedIn, tokens: { accessToken: string; refreshToken: string }): void {
  person.accessToken = tokens.accessToken;
  person.refreshToken = tokens.refreshToken;
  person.auth.Authorization = `Bearer ${tokens.accessToken}`;
}
