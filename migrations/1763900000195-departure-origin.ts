import { sqlMigration } from './sql-migration';

/**
 * R-MEMB R-ART35 a departure declared at one establishment reaches every establishment where the person works for
 * the same company (SIRET): each gets its own departure, naming the one it came from and that establishment.
 */
export const DepartureOrigin1763900000195 = sqlMigration('DepartureOrigin1763900000195', `
      ALTER TABLE departures ADD COLUMN origin_id uuid REFERENCES departures(id), ADD COLUMN origin_establishment text;
      CREATE INDEX accounts_email_idx ON accounts (lower(email));
    `, `
      DROP INDEX accounts_email_idx;
      ALTER TABLE departures DROP COLUMN origin_id, DROP COLUMN origin_establishment;
    `);
