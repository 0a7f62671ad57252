import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The DSI's approvals queue (GET /v1/signatures, /v1/accounts?order=oldest, /v1/habilitations): a
 * tenant's rows in one status, oldest first, the id breaking ties. Each index follows that order
 * exactly, so a page of the queue is one index range scan, whatever the establishment's size. The
 * windows (GET /v1/interventions, latest first) by status and by emergency review likewise.
 * (Numbered 20, not 11: leaves room for migrations other branches are adding.)
 */
export class ApprovalsQueueIndexes1763900000020 implements MigrationInterface {
  name = 'ApprovalsQueueIndexes1763900000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX signatures_queue_idx ON signatures (tenant_id, status, submitted_at, id);
      CREATE INDEX accounts_queue_idx ON accounts (tenant_id, status, requested_at, id);
      CREATE INDEX habilitations_queue_idx ON habilitations (tenant_id, status, requested_at, id);
      CREATE INDEX interventions_status_list_idx ON interventions (tenant_id, status, starts_at DESC, id DESC);
      CREATE INDEX interventions_emergency_list_idx ON interventions (tenant_id, emergency_review, starts_at DESC, id DESC)
        WHERE emergency_review IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX interventions_emergency_list_idx;
      DROP INDEX interventions_status_list_idx;
      DROP INDEX habilitations_queue_idx;
      DROP INDEX accounts_queue_idx;
      DROP INDEX signatures_queue_idx;
    `);
  }
}
