import { CREDENTIAL_COLUMNS, ID, sqlMigration } from './sql-migration';

const CREDENTIALS = `password_hash, password_changed_at, totp_secret_enc, totp_pending_enc, totp_enabled_at, totp_last_step,
        failed_attempts, locked_until`;

/**
 * R-MEMB one person is one identity (e-mail, password, TOTP, recovery codes, lockout) with a membership per
 * establishment: `users` keeps what is the establishment's (roles, company, status, names). Each existing person
 * becomes an identity of the same id with one membership; `down` refuses when an identity has several.
 */
export const Identities1763900000190 = sqlMigration('Identities1763900000190', `
      CREATE TABLE identities (
        ${ID},
        email text NOT NULL,
        ${CREDENTIAL_COLUMNS},
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX identities_email_key ON identities (lower(email));
      INSERT INTO identities (id, email, ${CREDENTIALS}, created_at, updated_at)
        SELECT id, email, ${CREDENTIALS}, created_at, updated_at FROM users;

      ALTER TABLE users ADD COLUMN identity_id uuid REFERENCES identities(id);
      UPDATE users SET identity_id = id;
      ALTER TABLE users ALTER COLUMN identity_id SET NOT NULL;
      DROP INDEX users_email_key;
      CREATE UNIQUE INDEX users_email_key ON users (tenant_id, lower(email)) NULLS NOT DISTINCT;
      CREATE UNIQUE INDEX users_identity_key ON users (identity_id, tenant_id) NULLS NOT DISTINCT;
      ALTER TABLE users DROP COLUMN password_hash, DROP COLUMN password_changed_at, DROP COLUMN totp_secret_enc,
        DROP COLUMN totp_pending_enc, DROP COLUMN totp_enabled_at, DROP COLUMN totp_last_step, DROP COLUMN failed_attempts,
        DROP COLUMN locked_until;

      ALTER TABLE recovery_codes ADD COLUMN identity_id uuid REFERENCES identities(id);
      UPDATE recovery_codes r SET identity_id = u.identity_id FROM users u WHERE u.id = r.user_id;
      ALTER TABLE recovery_codes ALTER COLUMN identity_id SET NOT NULL, DROP COLUMN user_id;
      ALTER TABLE recovery_codes ADD CONSTRAINT recovery_codes_identity_code_key UNIQUE (identity_id, code_hash);
    `, `
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM users GROUP BY identity_id HAVING count(*) > 1) THEN
          RAISE EXCEPTION 'an identity has several memberships: it cannot become one user again';
        END IF;
      END $$;
      ALTER TABLE recovery_codes ADD COLUMN user_id uuid REFERENCES users(id);
      UPDATE recovery_codes r SET user_id = u.id FROM users u WHERE u.identity_id = r.identity_id;
      ALTER TABLE recovery_codes ALTER COLUMN user_id SET NOT NULL, DROP COLUMN identity_id;
      ALTER TABLE recovery_codes ADD CONSTRAINT recovery_codes_user_id_code_hash_key UNIQUE (user_id, code_hash);

      ALTER TABLE users ADD COLUMN password_hash text, ADD COLUMN password_changed_at timestamptz, ADD COLUMN totp_secret_enc text,
        ADD COLUMN totp_pending_enc text, ADD COLUMN totp_enabled_at timestamptz, ADD COLUMN totp_last_step bigint,
        ADD COLUMN failed_attempts integer NOT NULL DEFAULT 0, ADD COLUMN locked_until timestamptz;
      UPDATE users u SET (${CREDENTIALS}) = (SELECT ${CREDENTIALS} FROM identities i WHERE i.id = u.identity_id);
      DROP INDEX users_identity_key;
      DROP INDEX users_email_key;
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      ALTER TABLE users DROP COLUMN identity_id;
      DROP TABLE identities;
    `);
