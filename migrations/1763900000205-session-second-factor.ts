import { sqlMigration } from './sql-migration';

/**
 * R-SSO R-MEMB a session whose second factor an establishment's identity provider attested (`amr`/`acr`) names that
 * establishment: switching to another one asks for Prestagate's own TOTP (its DSI never chose to trust that provider).
 */
export const SessionSecondFactor1763900000205 = sqlMigration('SessionSecondFactor1763900000205', `
      ALTER TABLE auth_sessions ADD COLUMN factor_attested_by uuid REFERENCES tenants(id);
    `, `
      ALTER TABLE auth_sessions DROP COLUMN factor_attested_by;
    `);
