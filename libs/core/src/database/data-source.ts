import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { QueryLogger } from './query-logger';

// Calendar dates stay 'YYYY-MM-DD' strings: turning them into a Date at local midnight shifts days.
types.setTypeParser(types.builtins.DATE, (value) => value);

/** Options shared by the application, the migration script and the tests. Schema comes only from migrations/. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    extra: { max: poolSize, application_name: 'prestagate' },
    logging: ['error', 'warn'],
    logger: new QueryLogger(),
  };
}
