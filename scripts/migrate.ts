import { runMigrations } from '../libs/core/src/database/migrate';
import { MIGRATIONS } from '../migrations';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (the one-shot migrate service). */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const applied = await runMigrations(url, MIGRATIONS);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
