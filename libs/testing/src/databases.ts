import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The machine's PostgreSQL (trust auth). Each test file gets a database of its own, cloned from a migrated template. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** R-INT: the login the API and the worker use in the tests, a member of the migrations' `prestagate_app` role. */
export const APP_ROLE = 'prestagate_test_app';

/** The same database as the application role (no password: the machine's PostgreSQL trusts local logins). */
export function appUrlFor(database: string): string {
  const url = new URL(urlFor(database));
  url.username = APP_ROLE;
  url.password = '';
  return url.toString();
}

/** Creates the application's login once per cluster (the role and its grants come from the migrations). */
export async function ensureAppRole(): Promise<void> {
  await withAdmin(async (c) => {
    const found = await c.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    if (!found.rowCount) await c.query(`CREATE ROLE ${APP_ROLE} LOGIN IN ROLE prestagate_app`).catch((e: { code?: string }) => {
      if (e.code !== '42710' && e.code !== '23505') throw e; // another run created it meanwhile
    });
  });
}

/** One connection to `url` for `work`, closed whatever happens (the benches use it too). */
export async function withDb<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  return withDb(ADMIN_URL, work);
}

export function templateName(): string {
  const name = process.env.PRESTAGATE_TEST_TEMPLATE;
  if (!name) throw new Error('The e2e global setup did not run (PRESTAGATE_TEST_TEMPLATE is not set)');
  return name;
}

export async function createTestDatabase(): Promise<string> {
  const name = `pgt_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateName()}`));
  return name;
}

export async function dropTestDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
