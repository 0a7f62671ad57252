import { ID, sqlMigration } from './sql-migration';

/**
 * R-ART28 after a TOTP reset, enrolling a new second factor takes the password and a one-time link
 * e-mailed to the person: a password alone (the thing a second factor guards against) no longer
 * enrols one. Only the HMAC of a link is stored; a new reset revokes the earlier links.
 */
export const MfaEnrolmentLinks1763900000021 = sqlMigration('MfaEnrolmentLinks1763900000021', `
      CREATE TABLE mfa_enrolment_links (
        ${ID},
        user_id uuid NOT NULL REFERENCES users(id),
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX mfa_enrolment_links_pending_idx ON mfa_enrolment_links (user_id) WHERE used_at IS NULL AND revoked_at IS NULL;
    `, `DROP TABLE mfa_enrolment_links`);
