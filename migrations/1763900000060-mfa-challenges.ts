import { ID, sqlMigration } from './sql-migration';

/**
 * R-ART28 R-INT an `mfaToken` opens one session: its row is deleted by the step that opens it, and every pending one
 * by a password change or a TOTP reset. Nothing secret is stored: the token is a signed JWT whose `jti` names the row.
 */
export const MfaChallenges1763900000060 = sqlMigration('MfaChallenges1763900000060', `
      CREATE TABLE mfa_challenges (
        ${ID},
        user_id uuid NOT NULL REFERENCES users(id),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id);
    `, `DROP TABLE mfa_challenges`);
