import { ID, JOURNAL_ENTRY, sqlMigration, TENANT } from './sql-migration';

/**
 * R-ART41 (charter Art. 41, 44): the connection journal. Events are partitioned by month of their
 * start (declarative partitioning) so that retention drops whole months; each ingested batch is
 * sealed in a per-tenant hash chain; exports and anomalies are recorded.
 */
export const ConnectionJournal1763900000007 = sqlMigration('ConnectionJournal1763900000007', `
      CREATE TABLE journal_batches (
        ${ID}, ${TENANT},
        seq bigint NOT NULL,
        api_key_id uuid,
        source text NOT NULL CHECK (source IN ('api', 'syslog')),
        event_count integer NOT NULL,
        content_hash text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        sealed_at timestamptz NOT NULL,
        purged_at timestamptz,
        UNIQUE (tenant_id, seq)
      );
      CREATE TABLE journal_heads (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
        last_seq bigint NOT NULL,
        last_hash text NOT NULL
      );

      CREATE TABLE connection_events (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        batch_id uuid NOT NULL,
        api_key_id uuid,
        event_id text NOT NULL,
        account_ref text NOT NULL,
        account_id uuid,
        contractor_id uuid,
        resource_ref text NOT NULL,
        resource_id uuid,
        source_ip inet,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
        recording_ref text,
        ingested_at timestamptz NOT NULL,
        intervention_id uuid,
        PRIMARY KEY (tenant_id, started_at, id)
      ) PARTITION BY RANGE (started_at);
      CREATE INDEX connection_events_account_idx ON connection_events (tenant_id, account_id, started_at);
      CREATE INDEX connection_events_contractor_idx ON connection_events (tenant_id, contractor_id, started_at);
      CREATE INDEX connection_events_batch_idx ON connection_events (batch_id);
      CREATE INDEX connection_events_intervention_idx ON connection_events (intervention_id) WHERE intervention_id IS NOT NULL;

      -- Idempotency on the gateway's event id; kept as long as the events.
      CREATE TABLE connection_event_ids (
        tenant_id uuid NOT NULL,
        source_key text NOT NULL,
        event_id text NOT NULL,
        started_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, source_key, event_id)
      );
      CREATE INDEX connection_event_ids_started_idx ON connection_event_ids (started_at);

      -- Correlation runs after ingestion, in the worker; this queue says what is left to correlate.
      CREATE TABLE journal_correlation_queue (
        batch_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        queued_at timestamptz NOT NULL
      );

      CREATE TABLE anomalies (
        ${ID}, ${TENANT},
        kind text NOT NULL CHECK (kind IN ('outside_window', 'out_of_scope', 'inactive_account', 'unknown_account', 'failed_login_burst')),
        ${JOURNAL_ENTRY},
        detail text NOT NULL,
        detected_at timestamptz NOT NULL,
        UNIQUE (tenant_id, kind, event_id)
      );
      CREATE INDEX anomalies_tenant_idx ON anomalies (tenant_id, detected_at DESC);

      CREATE TABLE connection_exports (
        ${ID}, ${TENANT},
        requested_by uuid NOT NULL REFERENCES users(id),
        requested_at timestamptz NOT NULL,
        reason text NOT NULL,
        range_from timestamptz NOT NULL,
        range_to timestamptz NOT NULL,
        contractor_id uuid,
        account_id uuid,
        format text NOT NULL CHECK (format IN ('csv', 'json')),
        downloads integer NOT NULL DEFAULT 0,
        CHECK (range_to > range_from)
      );
    `, `
      DROP TABLE connection_exports; DROP TABLE anomalies; DROP TABLE journal_correlation_queue; DROP TABLE connection_event_ids;
      DROP TABLE connection_events; DROP TABLE journal_heads; DROP TABLE journal_batches;
    `);
