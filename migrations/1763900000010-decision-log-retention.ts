import { sqlMigration } from './sql-migration';

/**
 * R-ART41: the decision log (access_decisions, one row per gateway question) is journal data and
 * leaves with the journal's sliding retention; the daily purge finds a tenant's old rows by this index.
 */
export const DecisionLogRetention1763900000010 = sqlMigration('DecisionLogRetention1763900000010', `CREATE INDEX access_decisions_retention_idx ON access_decisions (tenant_id, decided_at)`, `DROP INDEX access_decisions_retention_idx`);
