import { sqlMigration } from './sql-migration';

/**
 * R-ART2: a signature is validated only once a DSI has fetched its signed file (`file_opened_at`, by whom).
 * R-ART34: the statement the security contact ticked is kept with the attestation (who and when already are).
 */
export const ActsAndAttestations1763900000130 = sqlMigration('ActsAndAttestations1763900000130', `
      ALTER TABLE signatures ADD COLUMN file_opened_at timestamptz, ADD COLUMN file_opened_by uuid REFERENCES users (id);
      UPDATE signatures SET file_opened_at = decided_at WHERE status <> 'submitted';
      ALTER TABLE review_campaigns ADD COLUMN attestation_statement text;
    `, `
      ALTER TABLE review_campaigns DROP COLUMN attestation_statement;
      ALTER TABLE signatures DROP COLUMN file_opened_at, DROP COLUMN file_opened_by;
    `);
