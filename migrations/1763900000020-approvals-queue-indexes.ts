import { sqlMigration } from './sql-migration';

/**
 * The DSI's approvals queue (signatures, accounts, habilitations oldest first; windows latest first): one index
 * per queue, in its exact order with the id breaking ties, so a page is one index range scan.
 */
export const ApprovalsQueueIndexes1763900000020 = sqlMigration('ApprovalsQueueIndexes1763900000020', `
      CREATE INDEX signatures_queue_idx ON signatures (tenant_id, status, submitted_at, id);
      CREATE INDEX accounts_queue_idx ON accounts (tenant_id, status, requested_at, id);
      CREATE INDEX habilitations_queue_idx ON habilitations (tenant_id, status, requested_at, id);
      CREATE INDEX interventions_status_list_idx ON interventions (tenant_id, status, starts_at DESC, id DESC);
      CREATE INDEX interventions_emergency_list_idx ON interventions (tenant_id, emergency_review, starts_at DESC, id DESC)
        WHERE emergency_review IS NOT NULL;
    `, `
      DROP INDEX interventions_emergency_list_idx;
      DROP INDEX interventions_status_list_idx;
      DROP INDEX habilitations_queue_idx;
      DROP INDEX accounts_queue_idx;
      DROP INDEX signatures_queue_idx;
    `);
