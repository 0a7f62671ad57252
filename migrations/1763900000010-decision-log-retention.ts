import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R-ART41: the decision log (access_decisions, one row per gateway question) is journal data and
 * leaves with the journal's sliding retention; the daily purge finds a tenant's old rows by this index.
 */
export class DecisionLogRetention1763900000010 implements MigrationInterface {
  name = 'DecisionLogRetention1763900000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX access_decisions_retention_idx ON access_decisions (tenant_id, decided_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX access_decisions_retention_idx`);
  }
}
