import { sqlMigration } from './sql-migration';

/**
 * R-ART35 R-INT: a departure is final until the DSI reinstates the person: the reinstatement is kept
 * on the departure itself (who, when, why), next to the declaration it reverses.
 */
export const DepartureReinstatement1763900000040 = sqlMigration('DepartureReinstatement1763900000040', `
      ALTER TABLE departures
        ADD COLUMN reinstated_at timestamptz,
        ADD COLUMN reinstated_by uuid REFERENCES users(id),
        ADD COLUMN reinstate_reason text,
        ADD CONSTRAINT departures_reinstated_after_applied CHECK (reinstated_at IS NULL OR applied_at IS NOT NULL);
      CREATE INDEX departures_standing_idx ON departures (account_id) WHERE applied_at IS NOT NULL AND reinstated_at IS NULL;
    `, `
      DROP INDEX departures_standing_idx;
      ALTER TABLE departures DROP CONSTRAINT departures_reinstated_after_applied,
        DROP COLUMN reinstate_reason, DROP COLUMN reinstated_by, DROP COLUMN reinstated_at;
    `);
