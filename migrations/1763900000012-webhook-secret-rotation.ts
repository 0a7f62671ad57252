import { sqlMigration } from './sql-migration';

/**
 * R-NOT webhook secret rotation: the secret replaced by a rotation keeps signing deliveries (next to
 * the new one) until `previous_secret_expires_at`, so a receiver can switch without losing events.
 * Both columns are set together or not at all. Encrypted like `secret_enc`.
 */
export const WebhookSecretRotation1763900000012 = sqlMigration('WebhookSecretRotation1763900000012', `
      ALTER TABLE webhooks
        ADD COLUMN secret_rotated_at timestamptz,
        ADD COLUMN previous_secret_enc text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD CONSTRAINT webhooks_previous_secret_pair CHECK ((previous_secret_enc IS NULL) = (previous_secret_expires_at IS NULL));
    `, `
      ALTER TABLE webhooks DROP CONSTRAINT webhooks_previous_secret_pair,
        DROP COLUMN previous_secret_expires_at, DROP COLUMN previous_secret_enc, DROP COLUMN secret_rotated_at;
    `);
