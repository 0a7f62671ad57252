import { sqlMigration } from './sql-migration';

/**
 * R-ART41 R-GW a session reported at its opening and again at its close: the close is a new, sealed row that
 * `completes` the opening one (same partition: same start); `connection_sessions` reads each session once, completed
 * (docs/adr/session-completion.md). At most one completion per session.
 */
export const SessionCompletions1763900000180 = sqlMigration('SessionCompletions1763900000180', `
      ALTER TABLE connection_events ADD COLUMN completes uuid;
      CREATE UNIQUE INDEX connection_events_completes_idx ON connection_events (tenant_id, started_at, completes) WHERE completes IS NOT NULL;
      CREATE VIEW connection_sessions AS
        SELECT e.id, e.tenant_id, e.batch_id, e.api_key_id, e.event_id, e.account_ref, e.account_id, e.contractor_id, e.resource_ref,
               e.resource_id, e.source_ip, e.started_at, coalesce(c.ended_at, e.ended_at) AS ended_at,
               coalesce(c.outcome, e.outcome) AS outcome, coalesce(c.recording_ref, e.recording_ref) AS recording_ref, e.ingested_at,
               e.intervention_id, c.batch_id AS completed_in
          FROM connection_events e
          LEFT JOIN connection_events c ON c.tenant_id = e.tenant_id AND c.started_at = e.started_at AND c.completes = e.id
         WHERE e.completes IS NULL;
      GRANT SELECT ON connection_sessions TO prestagate_app;
    `, `
      DROP VIEW connection_sessions;
      DROP INDEX connection_events_completes_idx;
      ALTER TABLE connection_events DROP COLUMN completes;
    `);
