import { sqlMigration } from './sql-migration';

/**
 * R-ART28 resending an invitation: the new link replaces the old one, which stops working. The old
 * row is kept (who was invited when) and marked revoked rather than deleted or marked used.
 */
export const InvitationRevocation1763900000011 = sqlMigration('InvitationRevocation1763900000011', `
      ALTER TABLE invitations ADD COLUMN revoked_at timestamptz;
      CREATE INDEX invitations_pending_idx ON invitations (user_id) WHERE used_at IS NULL AND revoked_at IS NULL;
    `, `DROP INDEX invitations_pending_idx; ALTER TABLE invitations DROP COLUMN revoked_at;`);
