import { MigrationInterface, QueryRunner } from 'typeorm';

/** API conventions: state-changing calls accept an Idempotency-Key; the first answer is kept 24 hours and replayed. */
export class IdempotencyKeys1763900000006 implements MigrationInterface {
  name = 'IdempotencyKeys1763900000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
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
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
