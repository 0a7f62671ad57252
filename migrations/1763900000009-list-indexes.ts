import { sqlMigration } from './sql-migration';

/**
 * Every growing list pages by keyset `(sort columns..., id)` (docs/api.md, "Lists"): each index follows one list's
 * order exactly, so any page is an index range scan. Lists sorted on a truncated `created_at` are small and go without.
 */
export const ListIndexes1763900000009 = sqlMigration('ListIndexes1763900000009', `
      CREATE INDEX accounts_contractor_name_idx ON accounts (contractor_id, last_name, first_name, id);
      CREATE INDEX accounts_tenant_name_idx ON accounts (tenant_id, last_name, first_name, id);
      CREATE INDEX resources_list_idx ON resources (tenant_id, name, id);
      CREATE INDEX habilitations_list_idx ON habilitations (account_id, requested_at, id);
      CREATE INDEX departures_list_idx ON departures (contractor_id, declared_at DESC, id DESC);
      DROP INDEX incidents_tenant_idx;
      CREATE INDEX incidents_list_idx ON incidents (tenant_id, reported_at DESC, id DESC);
      CREATE INDEX derogations_list_idx ON derogations (tenant_id, valid_from DESC, id DESC);
      CREATE INDEX interventions_list_idx ON interventions (tenant_id, starts_at DESC, id DESC);
      CREATE INDEX signatures_list_idx ON signatures (contractor_id, submitted_at DESC, id DESC);
      CREATE INDEX review_campaigns_list_idx ON review_campaigns (tenant_id, opened_at DESC, id DESC);
      CREATE INDEX anomalies_list_idx ON anomalies (tenant_id, event_started_at DESC, id DESC);
    `, `
      DROP INDEX anomalies_list_idx;
      DROP INDEX review_campaigns_list_idx;
      DROP INDEX signatures_list_idx;
      DROP INDEX interventions_list_idx;
      DROP INDEX derogations_list_idx;
      DROP INDEX incidents_list_idx;
      CREATE INDEX incidents_tenant_idx ON incidents (tenant_id, reported_at DESC);
      DROP INDEX departures_list_idx;
      DROP INDEX habilitations_list_idx;
      DROP INDEX resources_list_idx;
      DROP INDEX accounts_tenant_name_idx;
      DROP INDEX accounts_contractor_name_idx;
    `);
