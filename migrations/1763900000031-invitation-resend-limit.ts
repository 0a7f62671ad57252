import { sqlMigration } from './sql-migration';

/**
 * R-ART28 resending an invitation is limited per person (INVITATION_RESENDS_PER_HOUR): each link says
 * whether it was a resend, and the links of the last hour are counted in the same transaction that
 * issues a new one, with the person's row locked, so the limit holds across API processes.
 */
export const InvitationResendLimit1763900000031 = sqlMigration('InvitationResendLimit1763900000031', `
      ALTER TABLE invitations ADD COLUMN resent boolean NOT NULL DEFAULT false;
      CREATE INDEX invitations_resent_idx ON invitations (user_id, created_at) WHERE resent;
    `, `DROP INDEX invitations_resent_idx; ALTER TABLE invitations DROP COLUMN resent;`);
