import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access-decision hot path reads each person's access-convention signatures in its one query
 * (and AccountReadiness reads them at every activation check): index them by account instead of
 * scanning every signature of the establishment.
 */
export class DecisionLookups1763900000005 implements MigrationInterface {
  name = 'DecisionLookups1763900000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX signatures_account_idx ON signatures (account_id, submitted_at DESC) WHERE account_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX signatures_account_idx`);
  }
}
