import { sqlMigration } from './sql-migration';

/** API conventions: state-changing calls accept an Idempotency-Key; the first answer is kept 24 hours and replayed. */
export const IdempotencyKeys1763900000006 = sqlMigration('IdempotencyKeys1763900000006', `
      CREATE TABLE idempotency_keys (
        caller text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer,
        -- Encrypted: some first answers carry a secret shown once (API keys, webhook secrets).
        response_enc text,
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        PRIMARY KEY (caller, key)
      );
      CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
    `, `DROP TABLE idempotency_keys`);
