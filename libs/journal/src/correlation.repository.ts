import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';
import { AnomalyCandidate, AnomalyKind, BURST_FAILURES, BURST_MINUTES, StoredAnomaly } from './anomalies';
import { AnomalyRow, toStoredAnomaly } from './anomalies.repository';

export interface QueuedBatch {
  batchId: string;
  tenantId: string;
}

interface QueueRow {
  batch_id: string;
  tenant_id: string;
}

interface CandidateRow {
  kind: AnomalyKind;
  event_id: string;
  gateway_event_id: string;
  started_at: Date;
  outcome: 'success' | 'failure';
  account_ref: string;
  account_id: string | null;
  contractor_id: string | null;
  resource_ref: string;
  resource_id: string | null;
  person: string | null;
  resource_name: string | null;
  inactive: AnomalyCandidate['inactive'];
  inactive_since: Date | null;
  failures: number | null;
  burst_from: Date | null;
}

const toQueued = (r: QueueRow): QueuedBatch => ({ batchId: r.batch_id, tenantId: r.tenant_id });

const toCandidate = (r: CandidateRow): AnomalyCandidate => ({
  kind: r.kind, eventId: r.event_id, gatewayEventId: r.gateway_event_id, startedAt: r.started_at, outcome: r.outcome,
  accountRef: r.account_ref, accountId: r.account_id, contractorId: r.contractor_id, resourceRef: r.resource_ref, resourceId: r.resource_id,
  person: r.person, resourceName: r.resource_name, inactive: r.inactive, inactiveSince: r.inactive_since, failures: r.failures,
  burstFrom: r.burst_from,
});

export interface NewAnomaly {
  kind: AnomalyKind;
  eventId: string;
  startedAt: Date;
  accountRef: string;
  accountId: string | null;
  contractorId: string | null;
  resourceRef: string;
  resourceId: string | null;
  detail: string;
}

/**
 * The window an event belongs to: approved (an emergency counts until it is challenged, which
 * rejects it), naming the event's account and resource, containing its start. A window cancelled
 * after the session started still covered it. The latest-ending one wins, as in the access decision.
 */
const LINK_INTERVENTIONS = `
  UPDATE connection_events e SET intervention_id = w.intervention_id
    FROM (
      SELECT DISTINCT ON (x.id) x.id, x.started_at, i.id AS intervention_id
        FROM connection_events x
        JOIN intervention_accounts ia ON ia.account_id = x.account_id
        JOIN interventions i ON i.id = ia.intervention_id AND i.tenant_id = x.tenant_id
        JOIN intervention_resources ir ON ir.intervention_id = i.id AND ir.resource_id = x.resource_id
       WHERE x.batch_id = $1 AND x.tenant_id = $2 AND x.completes IS NULL
         AND i.starts_at <= x.started_at AND i.ends_at > x.started_at
         AND i.emergency_review IS DISTINCT FROM 'challenged'
         AND (i.status = 'approved'
              OR (i.status = 'cancelled' AND (i.decided_at IS NOT NULL OR i.emergency) AND i.cancelled_at > x.started_at))
       ORDER BY x.id, i.ends_at DESC, i.id
    ) w
   WHERE e.tenant_id = $2 AND e.batch_id = $1 AND e.id = w.id AND e.started_at = w.started_at
     AND e.intervention_id IS DISTINCT FROM w.intervention_id`;

/** The columns every candidate carries, from an event `x` of the batch joined to its account `a` and resource `r`. */
const CANDIDATE = `x.id AS event_id, x.gateway_event_id, x.started_at, x.outcome, x.account_ref, x.account_id, x.contractor_id,
  x.resource_ref, x.resource_id, x.person, x.resource_name`;

/**
 * Everything wrong with the batch's events ($1 batch, $2 tenant, $3 time zone). Unknown or inactive accounts whatever the outcome
 * (a departed person's attempt is worth knowing); outside window / out of scope: successes of known accounts (a refusal is no access).
 */
const FIND_ANOMALIES = `
  WITH ev AS (
    SELECT e.id, e.event_id AS gateway_event_id, e.started_at, e.outcome, e.account_ref, e.account_id, e.contractor_id, e.resource_ref,
           e.resource_id, e.intervention_id, a.first_name || ' ' || a.last_name AS person, r.name AS resource_name,
           CASE WHEN a.id IS NULL THEN NULL
                WHEN a.deactivated_at IS NOT NULL AND a.deactivated_at <= e.started_at THEN 'deactivated'
                WHEN a.suspended_at IS NOT NULL AND a.suspended_at <= e.started_at AND a.status IN ('suspended', 'deactivated')
                  THEN 'suspended'
                WHEN a.activated_at IS NULL OR a.activated_at > e.started_at THEN 'not_active'
           END AS inactive,
           CASE WHEN a.deactivated_at <= e.started_at THEN a.deactivated_at ELSE a.suspended_at END AS inactive_since,
           EXISTS (
             SELECT 1 FROM habilitations h
              WHERE h.tenant_id = e.tenant_id AND h.account_id = e.account_id AND h.resource_id = e.resource_id
                AND h.decided_at <= e.started_at
                AND (h.status = 'approved' OR (h.status = 'revoked' AND h.revoked_at > e.started_at))
                AND (h.ends_on IS NULL OR h.ends_on >= (e.started_at AT TIME ZONE $3)::date)
           ) AS in_scope
      FROM connection_events e
      LEFT JOIN accounts a ON a.id = e.account_id
      LEFT JOIN resources r ON r.id = e.resource_id
     WHERE e.batch_id = $1 AND e.tenant_id = $2 AND e.completes IS NULL
  )
  SELECT 'unknown_account' AS kind, ${CANDIDATE}, NULL AS inactive, NULL::timestamptz AS inactive_since, NULL::int AS failures,
         NULL::timestamptz AS burst_from
    FROM ev x WHERE x.account_id IS NULL
  UNION ALL
  SELECT 'inactive_account', ${CANDIDATE}, x.inactive, CASE WHEN x.inactive = 'not_active' THEN NULL ELSE x.inactive_since END, NULL, NULL
    FROM ev x WHERE x.inactive IS NOT NULL
  UNION ALL
  SELECT 'outside_window', ${CANDIDATE}, NULL, NULL, NULL, NULL
    FROM ev x WHERE x.account_id IS NOT NULL AND x.outcome = 'success' AND x.intervention_id IS NULL
  UNION ALL
  SELECT 'out_of_scope', ${CANDIDATE}, NULL, NULL, NULL, NULL
    FROM ev x WHERE x.account_id IS NOT NULL AND x.outcome = 'success' AND NOT x.in_scope`;

/**
 * Failed-login bursts ($1 batch, $2 tenant): a failure "completes" a burst when the BURST_MINUTES before it hold BURST_FAILURES of the
 * account's; one anomaly per burst, on its first completing failure, unless one was flagged nearby. Other batches count: the window
 * looks 2 × BURST_MINUTES back (were the failures before completing?) and BURST_MINUTES ahead (docs/adr/journal-correlation.md).
 */
const FIND_BURSTS = `
  WITH refs AS (
    SELECT coalesce(account_id::text, lower(account_ref)) AS who, min(started_at) AS lo, max(started_at) AS hi
      FROM connection_events WHERE batch_id = $1 AND tenant_id = $2 AND outcome = 'failure' AND completes IS NULL GROUP BY 1
  ), fails AS (
    SELECT e.id, e.event_id AS gateway_event_id, e.started_at, e.account_ref, e.account_id, e.contractor_id, e.resource_ref, e.resource_id,
           f.who, f.lo, f.hi,
           count(*) OVER w AS failures, min(e.started_at) OVER w AS burst_from
      FROM refs f
      JOIN connection_events e ON e.tenant_id = $2 AND e.outcome = 'failure' AND e.completes IS NULL
       AND e.started_at >= f.lo - interval '${2 * BURST_MINUTES} minutes' AND e.started_at <= f.hi + interval '${BURST_MINUTES} minutes'
       AND coalesce(e.account_id::text, lower(e.account_ref)) = f.who
    WINDOW w AS (PARTITION BY f.who ORDER BY e.started_at RANGE BETWEEN interval '${BURST_MINUTES} minutes' PRECEDING AND CURRENT ROW)
  ), completing AS (
    SELECT c.*, lag(c.started_at) OVER (PARTITION BY c.who ORDER BY c.started_at, c.id) AS previous
      FROM fails c WHERE c.failures >= ${BURST_FAILURES}
  )
  SELECT 'failed_login_burst' AS kind, x.id AS event_id, x.gateway_event_id, x.started_at, 'failure' AS outcome, x.account_ref,
         x.account_id, x.contractor_id, x.resource_ref, x.resource_id, a.first_name || ' ' || a.last_name AS person,
         r.name AS resource_name,
         NULL AS inactive, NULL::timestamptz AS inactive_since, x.failures::int AS failures, x.burst_from
    FROM completing x
    LEFT JOIN accounts a ON a.id = x.account_id
    LEFT JOIN resources r ON r.id = x.resource_id
   WHERE x.started_at >= x.lo AND x.started_at <= x.hi + interval '${BURST_MINUTES} minutes'
     AND (x.previous IS NULL OR x.previous < x.started_at - interval '${BURST_MINUTES} minutes')
     AND NOT EXISTS (
       SELECT 1 FROM anomalies n
        WHERE n.tenant_id = $2 AND n.kind = 'failed_login_burst' AND coalesce(n.account_id::text, lower(n.account_ref)) = x.who
          AND n.event_started_at BETWEEN x.started_at - interval '${BURST_MINUTES} minutes'
                                     AND x.started_at + interval '${BURST_MINUTES} minutes'
     )`;

/** Only this class reads and writes the correlation queue and the anomalies it produces. */
@Injectable()
export class CorrelationRepository {
  constructor(private readonly db: Db) {}

  /** What is queued now (a snapshot, not locked). */
  async queued(): Promise<QueuedBatch[]> {
    const rows = await this.db.query<QueueRow>(`SELECT batch_id, tenant_id FROM journal_correlation_queue ORDER BY queued_at, batch_id`);
    return rows.map(toQueued);
  }

  /**
   * In a transaction: the oldest queued batch nobody else holds (SKIP LOCKED: several workers never take
   * the same one), or, given `batchId`, that batch, waiting for whoever holds it (it may be gone then).
   */
  async claim(options: { skip: string[] } | { batchId: string }): Promise<QueuedBatch | undefined> {
    if ('batchId' in options) await this.db.query(`SET LOCAL lock_timeout = '60s'`);
    const [row] = 'batchId' in options
      ? await this.db.query<QueueRow>(
        `SELECT batch_id, tenant_id FROM journal_correlation_queue WHERE batch_id = $1 FOR UPDATE`, [options.batchId],
      )
      : await this.db.query<QueueRow>(
        `SELECT batch_id, tenant_id FROM journal_correlation_queue WHERE batch_id <> ALL($1::uuid[])
          ORDER BY queued_at, batch_id LIMIT 1 FOR UPDATE SKIP LOCKED`, [options.skip],
      );
    return row && toQueued(row);
  }

  /** Those of `batchIds` still queued (held by another worker, or failed). */
  async stillQueued(batchIds: string[]): Promise<string[]> {
    if (!batchIds.length) return [];
    const rows = await this.db.query<{ batch_id: string }>(
      `SELECT batch_id FROM journal_correlation_queue WHERE batch_id = ANY($1::uuid[])`, [batchIds],
    );
    return rows.map((r) => r.batch_id);
  }

  async dequeue(batch: QueuedBatch): Promise<void> {
    await this.db.query(`DELETE FROM journal_correlation_queue WHERE batch_id = $1`, [batch.batchId]);
  }

  /** Links the batch's events to their intervention; answers how many were linked. */
  async linkInterventions(batch: QueuedBatch): Promise<number> {
    const rows = await this.db.query<{ id: string }>(`${LINK_INTERVENTIONS} RETURNING e.id`, [batch.batchId, batch.tenantId]);
    return rows.length;
  }

  async findAnomalies(batch: QueuedBatch, timeZone: string): Promise<AnomalyCandidate[]> {
    const [events, bursts] = [
      await this.db.query<CandidateRow>(FIND_ANOMALIES, [batch.batchId, batch.tenantId, timeZone]),
      await this.db.query<CandidateRow>(FIND_BURSTS, [batch.batchId, batch.tenantId]),
    ];
    return [...events, ...bursts].map(toCandidate);
  }

  /** Stores them; those already stored (a re-run) are skipped. Answers the new ones only. */
  async insert(scope: TenantScope, anomalies: NewAnomaly[], detectedAt: Date): Promise<StoredAnomaly[]> {
    if (!anomalies.length) return [];
    const col = <K extends keyof NewAnomaly>(k: K) => anomalies.map((a) => a[k]);
    const rows = await this.db.query<AnomalyRow>(
      `INSERT INTO anomalies (tenant_id, kind, event_id, event_started_at, account_ref, account_id, contractor_id, resource_ref,
                              resource_id, detail, detected_at)
       SELECT $1, t.* , $11::timestamptz
         FROM unnest($2::text[], $3::uuid[], $4::timestamptz[], $5::text[], $6::uuid[], $7::uuid[], $8::text[], $9::uuid[], $10::text[])
           AS t(kind, event_id, event_started_at, account_ref, account_id, contractor_id, resource_ref, resource_id, detail)
       ORDER BY t.event_started_at, t.kind
       ON CONFLICT (tenant_id, kind, event_id) DO NOTHING
       RETURNING id, kind, event_id, event_started_at, account_ref, account_id, contractor_id, resource_ref, resource_id, detail,
                 detected_at`,
      [scope.tenantId, col('kind'), col('eventId'), col('startedAt'), col('accountRef'), col('accountId'), col('contractorId'),
        col('resourceRef'), col('resourceId'), col('detail'), detectedAt],
    );
    return rows.map(toStoredAnomaly);
  }
}
