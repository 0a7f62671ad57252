import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R-ART28 resending an invitation: the new link replaces the old one, which stops working. The old
 * row is kept (who was invited when) and marked revoked rather than deleted or marked used.
 */
export class InvitationRevocation1763900000011 implements MigrationInterface {
  name = 'InvitationRevocation1763900000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE invitations ADD COLUMN revoked_at timestamptz;
      CREATE INDEX invitations_pending_idx ON invitations (user_id) WHERE used_at IS NULL AND revoked_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invitations_pending_idx; ALTER TABLE invitations DROP COLUMN revoked_at;`);
  }
}
