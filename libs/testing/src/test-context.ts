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
import { checkAnswersAgainst, reportAnswersChecked } from './contract/every-answer';
import { OpenApiContract } from './contract/openapi-contract';
import { SignedIn, SignIns, TEST_PASSWORD } from './sign-in';
import { testEnv, testStart } from './test-env';
import { eventually } from './waiting';

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
  private readonly signIns = new SignIns(this);

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
    const databaseUrl = options.databaseUrl ?? (options.asOwner ? this.ownerUrl : appUrlFor(this.database!));
    this.env = { ...testEnv(databaseUrl, this.spoolDir, `t${randomBytes(4).toString('hex')}`), ...options.env };
    this.api = await appsUnderTest().createApi({ env: this.env, clock: this.clock, logDestination: options.logDestination });
    await this.api.init();
    await this.api.getHttpAdapter().getInstance().ready();
    this.http = request(this.api.getHttpServer());
    checkAnswersAgainst(new OpenApiContract((await this.api.inject({ method: 'GET', url: '/docs-json' })).json()));
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
    reportAnswersChecked();
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

  /**
   * A person who already chose a password (TOTP not enrolled yet unless `enrolled`); an e-mail already known
   * becomes a new membership of its identity (R-MEMB).
   */
  async createUser(
    input: { tenantId: string | null; roles: Role[]; contractorId?: string; email?: string; enrolled?: boolean },
  ): Promise<{ id: string; email: string; totpSecret?: string }> {
    const email = input.email ?? `${input.roles[0]}.${randomBytes(4).toString('hex')}@example.test`;
    const hash = await this.api.get(PasswordHasher).hash(TEST_PASSWORD);
    const secret = input.enrolled ? 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' : undefined;
    const [row] = await this.query<{ id: string }>(
      `WITH i AS (
         INSERT INTO identities (email, password_hash, totp_secret_enc, totp_enabled_at) VALUES ($3, $5, $6, $7)
         ON CONFLICT ((lower(email))) DO UPDATE SET email = identities.email RETURNING id)
       INSERT INTO users (identity_id, tenant_id, contractor_id, email, first_name, last_name, roles, status)
       SELECT i.id, $1, $2, $3, 'Test', 'Person', $4, 'active' FROM i RETURNING id`,
      [input.tenantId, input.contractorId ?? null, email, input.roles, hash,
        secret ? this.api.get(Secrets).encrypt(secret) : null, secret ? new Date() : null],
    );
    return { id: row.id, email, totpSecret: secret };
  }

  /**
   * Waits until the worker delivered everything the tenant (or anybody) queued in the outbox so far: then what the
   * SMTP receiver holds is final ("sent once" can be counted). The deadline is for real work a loaded machine slows.
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
  signIn(email: string, password = TEST_PASSWORD, enrolmentLink?: string): Promise<SignedIn> {
    return this.signIns.signIn(email, password, enrolmentLink);
  }

  /**
   * Moves the test clock forward, and everyone signed in through signIn() keeps working as their client would
   * (R-ART28): expired access tokens are refreshed, or the person signs in again once the session is over.
   * `ctx.clock.advance()` moves the clock alone (for tests of expiry itself).
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

  /** A renewed sign-in counts as one for the product (a new session): a test of inactivity moves the clock with clock.advance(). */
  renewExpiredTokens(): Promise<void> {
    return this.signIns.renewExpiredTokens();
  }

  /** A tenant with a signed-in DSI: the usual starting point of a hospital-side story. */
  async tenantWithDsi(preset: PresetName = 'chm'): Promise<{ tenantId: string; dsi: SignedIn }> {
    const tenantId = await this.createTenant(undefined, preset);
    const user = await this.createUser({ tenantId, roles: [Role.Dsi] });
    return { tenantId, dsi: await this.signIn(user.email) };
  }
}
