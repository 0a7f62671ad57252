import { DataSource, MigrationInterface } from 'typeorm';
import { dataSourceOptions } from './data-source';

type MigrationClass = new () => MigrationInterface;

/** Runs every pending migration (one chain, in order) and returns the names applied. */
export async function runMigrations(url: string, migrations: MigrationClass[]): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(url, 2), migrations, logging: ['error'] });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
