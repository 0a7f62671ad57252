import { createConnection } from 'node:net';
import { MIGRATIONS } from '../migrations';
import { runMigrations } from '../libs/core/src/database/migrate';
import { ensureAppRole, urlFor, withAdmin } from '../libs/testing/src/databases';

/** Builds the migrated template database once per run; every test file clones it. */
export default async function globalSetup(): Promise<void> {
  await withAdmin((c) => c.query('SELECT 1')).catch((error: Error) => {
    throw new Error(`PostgreSQL is not reachable for the tests (${error.message}). Start it, or set TEST_DATABASE_URL.`);
  });
  const redisUrl = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection(Number(redisUrl.port || 6379), redisUrl.hostname);
    socket.once('connect', () => { socket.end(); resolve(); });
    socket.once('error', (e) => reject(new Error(`Redis is not reachable for the tests at ${redisUrl.host} (${e.message})`)));
  });
  const template = `pgtpl_${process.pid}_${Date.now().toString(36)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${template}`));
  await runMigrations(urlFor(template), MIGRATIONS);
  await ensureAppRole();
  process.env.PRESTAGATE_TEST_TEMPLATE = template;
}
