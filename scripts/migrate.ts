import { runMigrations } from '../libs/core/src/database/migrate';
import { MIGRATIONS } from '../migrations';

/**
 * `npm run migrate`: applies pending migrations as the tables' owner, DATABASE_OWNER_URL (else DATABASE_URL,
 * the single-URL install whose evidence is not protected from the application: R-INT).
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_OWNER_URL or DATABASE_URL is required');
  const applied = await runMigrations(url, MIGRATIONS);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
