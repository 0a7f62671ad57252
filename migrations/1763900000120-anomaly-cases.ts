import { atBy, ID, JOURNAL_ENTRY, sqlMigration, TENANT } from './sql-migration';

/**
 * R-ART41: one `anomaly_cases` row per journal entry gathers its anomalies' kinds, severity (3 high .. 1 low) and triage; existing
 * anomalies are grouped here (one whose entry is gone keeps a case of its own, same id), correlation sets case_id as it inserts.
 */
export const AnomalyCases1763900000120 = sqlMigration('AnomalyCases1763900000120', `
      CREATE TABLE anomaly_cases (
        ${ID}, ${TENANT},
        ${JOURNAL_ENTRY},
        kinds text[] NOT NULL,
        severity smallint NOT NULL CHECK (severity BETWEEN 1 AND 3),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
        assignee_id uuid REFERENCES users(id),
        detected_at timestamptz NOT NULL,
        ${atBy('acknowledged')}, ${atBy('closed')},
        close_comment text,
        updated_at timestamptz NOT NULL,
        UNIQUE (tenant_id, event_id)
      );
      CREATE INDEX anomaly_cases_list_idx ON anomaly_cases (tenant_id, event_started_at DESC, id DESC);
      CREATE INDEX anomaly_cases_status_idx ON anomaly_cases (tenant_id, status, event_started_at DESC);
      ALTER TABLE anomalies ADD COLUMN case_id uuid REFERENCES anomaly_cases(id);

      CREATE TEMP TABLE anomaly_ranks ON COMMIT DROP AS
        SELECT a.*, coalesce(a.event_id, a.id) AS grp,
               CASE a.kind WHEN 'outside_window' THEN 2
                           WHEN 'unknown_account' THEN CASE WHEN ce.outcome = 'failure' THEN 1 ELSE 3 END
                           WHEN 'inactive_account' THEN CASE WHEN ce.outcome = 'failure' THEN 2 ELSE 3 END
                           ELSE 3 END AS rank
          FROM anomalies a
          LEFT JOIN connection_events ce ON ce.tenant_id = a.tenant_id AND ce.started_at = a.event_started_at AND ce.id = a.event_id;
      INSERT INTO anomaly_cases (id, tenant_id, event_id, event_started_at, account_ref, account_id, contractor_id, resource_ref,
                                 resource_id, kinds, severity, detected_at, updated_at)
      SELECT CASE WHEN r.event_id IS NULL THEN r.grp ELSE gen_random_uuid() END, r.tenant_id, r.event_id, min(r.event_started_at),
             (array_agg(r.account_ref ORDER BY r.kind))[1], (array_agg(r.account_id ORDER BY r.kind))[1],
             (array_agg(r.contractor_id ORDER BY r.kind))[1], (array_agg(r.resource_ref ORDER BY r.kind))[1],
             (array_agg(r.resource_id ORDER BY r.kind))[1], array_agg(DISTINCT r.kind ORDER BY r.kind), max(r.rank),
             min(r.detected_at), max(r.detected_at)
        FROM anomaly_ranks r GROUP BY r.tenant_id, r.grp, r.event_id;
      UPDATE anomalies a SET case_id = c.id FROM anomaly_cases c
       WHERE c.tenant_id = a.tenant_id AND (c.event_id = a.event_id OR (a.event_id IS NULL AND c.id = a.id));
      CREATE INDEX anomalies_case_idx ON anomalies (case_id);

      -- The journal searched by resource (GET /v1/connections), like by account and company.
      CREATE INDEX connection_events_resource_idx ON connection_events (tenant_id, resource_id, started_at);
    `, `
      DROP INDEX connection_events_resource_idx;
      ALTER TABLE anomalies DROP COLUMN case_id;
      DROP TABLE anomaly_cases;
    `);
