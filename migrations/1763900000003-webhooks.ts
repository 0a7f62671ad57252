import { ID, sqlMigration, TENANT } from './sql-migration';

/**
 * R-NOT webhooks: the subscriptions a DSI registers (signing secret encrypted at rest) and the
 * log of every delivery attempt, readable by the DSI. Webhooks are revoked, never deleted, so
 * their delivery log stays.
 */
export const Webhooks1763900000003 = sqlMigration('Webhooks1763900000003', `
      CREATE TABLE webhooks (
        ${ID}, ${TENANT},
        url text NOT NULL CHECK (url ~ '^https?://'),
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        secret_enc text NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX webhooks_list_idx ON webhooks (tenant_id, created_at, id);
      -- publish() looks up the active subscriptions of a tenant; one active subscription per URL.
      CREATE UNIQUE INDEX webhooks_active_url ON webhooks (tenant_id, url) WHERE revoked_at IS NULL;

      -- One row per attempt (successes too). seq orders attempts made within the same instant.
      CREATE TABLE webhook_deliveries (
        ${ID},
        seq bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        webhook_id uuid NOT NULL REFERENCES webhooks(id),
        outbox_id uuid NOT NULL,
        event text NOT NULL,
        attempt integer NOT NULL CHECK (attempt > 0),
        status_code integer,
        error text,
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        attempted_at timestamptz NOT NULL
      );
      CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (tenant_id, webhook_id, seq DESC);
      CREATE INDEX webhook_deliveries_outbox_idx ON webhook_deliveries (outbox_id);
    `, `DROP TABLE webhook_deliveries; DROP TABLE webhooks;`);
