import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R-ART28 R-INT an `mfaToken` opens one session: its row is deleted by the step that opens it, and every pending one
 * by a password change or a TOTP reset. Nothing secret is stored: the token is a signed JWT whose `jti` names the row.
 */
export class MfaChallenges1763900000060 implements MigrationInterface {
  name = 'MfaChallenges1763900000060';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mfa_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX mfa_challenges_user_idx ON mfa_challenges (user_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mfa_challenges`);
  }
}
