import { sqlMigration } from './sql-migration';

/**
 * The access-decision hot path reads each person's access-convention signatures in its one query
 * (and AccountReadiness reads them at every activation check): index them by account instead of
 * scanning every signature of the establishment.
 */
export const DecisionLookups1763900000005 = sqlMigration('DecisionLookups1763900000005', `CREATE INDEX signatures_account_idx ON signatures (account_id, submitted_at DESC) WHERE account_id IS NOT NULL`, `DROP INDEX signatures_account_idx`);
