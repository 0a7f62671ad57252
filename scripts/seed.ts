import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { hashPassword } from '../libs/identity/src/auth/password-hasher';
import { presetPolicy } from '../libs/identity/src/policy/tenant-policy';

export interface SeededPerson {
  email: string;
  password: string;
  role: string;
}

/** Under .data/ (mode 0600): the demo's one-time passwords, shown by `npm run demo:passwords` until changed. */
export const DEMO_PASSWORDS_FILE = 'demo-passwords.json';

export function passwordsBlock(people: SeededPerson[]): string[] {
  return people.map((p) => `  ${p.role.padEnd(16)} ${p.email.padEnd(30)} ${p.password}`);
}

/** A password that satisfies every preset's policy (upper, lower, digit, special, length). */
export function oneTimePassword(): string {
  return `Pg-${randomBytes(12).toString('base64url')}-7a`;
}

async function insertPerson(sql: Client, tenantId: string | null, email: string, role: string, first: string, last: string): Promise<SeededPerson> {
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  await sql.query(
    `WITH i AS (INSERT INTO identities (email, password_hash, password_changed_at) VALUES ($2, $6, now()) RETURNING id)
     INSERT INTO users (identity_id, tenant_id, email, first_name, last_name, roles, status)
     SELECT i.id, $1, $2, $3, $4, $5, 'active' FROM i`,
    [tenantId, email, first, last, [role], passwordHash],
  );
  return { email, password, role };
}

export async function createPlatformAdmin(url: string, email: string): Promise<SeededPerson> {
  const sql = new Client({ connectionString: url });
  await sql.connect();
  try {
    return await insertPerson(sql, null, email, 'platform_admin', 'Platform', 'Admin');
  } finally {
    await sql.end();
  }
}

/** Zero-setup demo data: a platform admin and the tenant "CH du Mans (démo)" with its DSI. Runs once. */
export async function seedDemo(url: string): Promise<SeededPerson[] | null> {
  const sql = new Client({ connectionString: url });
  await sql.connect();
  try {
    const { rowCount } = await sql.query(`SELECT 1 FROM users LIMIT 1`);
    if (rowCount) return null;
    await sql.query('BEGIN');
    const admin = await insertPerson(sql, null, 'admin@prestagate.local', 'platform_admin', 'Platform', 'Admin');
    const tenant = await sql.query<{ id: string }>(
      `INSERT INTO tenants (name, preset, policy) VALUES ($1, 'chm', $2) RETURNING id`,
      ['CH du Mans (démo)', JSON.stringify(presetPolicy('chm'))],
    );
    const dsi = await insertPerson(sql, tenant.rows[0].id, 'dsi@ch-lemans.demo', 'dsi', 'Direction', 'Numérique');
    await sql.query('COMMIT');
    return [admin, dsi];
  } catch (error) {
    await sql.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await sql.end();
  }
}
