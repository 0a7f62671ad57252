import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';

/** One event as ingestion stores it, its references resolved (null: unknown to the tenant). */
export interface NewConnectionEvent {
  eventId: string;
  accountRef: string;
  accountId: string | null;
  contractorId: string | null;
  resourceRef: string;
  resourceId: string | null;
  sourceIp: string | null;
  startedAt: Date;
  endedAt: Date | null;
  outcome: string;
  recordingRef: string | null;
}

/** The batch the events join: `sourceKey` is what event ids are unique per (the gateway's key id, else the channel). */
export interface NewBatch {
  id: string;
  sourceKey: string;
  apiKeyId: string | null;
  ingestedAt: Date;
}

export interface ResolvedAccount {
  id: string;
  contractorId: string | null;
}

/** References as a gateway sends them, resolved: accounts by id or lower-cased e-mail, resources by id or external id. */
export interface ResolvedReferences {
  accounts: Map<string, ResolvedAccount>;
  resources: Map<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const INSERT_EVENTS = `
  WITH input AS (
    SELECT * FROM unnest($3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::uuid[], $9::inet[], $10::timestamptz[],
                         $11::timestamptz[], $12::text[], $13::text[])
      AS t(event_id, account_ref, account_id, contractor_id, resource_ref, resource_id, source_ip, started_at, ended_at, outcome,
           recording_ref)
  ), fresh AS (
    INSERT INTO connection_event_ids (tenant_id, source_key, event_id, started_at)
    SELECT $1, $2, event_id, started_at FROM input
    ON CONFLICT DO NOTHING RETURNING event_id
  ), stored AS (
    INSERT INTO connection_events (tenant_id, batch_id, api_key_id, event_id, account_ref, account_id, contractor_id, resource_ref,
                                   resource_id, source_ip, started_at, ended_at, outcome, recording_ref, ingested_at)
    SELECT $1, $14, $15, i.event_id, i.account_ref, i.account_id, i.contractor_id, i.resource_ref, i.resource_id, i.source_ip,
           i.started_at, i.ended_at, i.outcome, i.recording_ref, $16
      FROM input i JOIN fresh f ON f.event_id = i.event_id
    RETURNING 1
  )
  SELECT count(*)::int AS n FROM stored`;

/**
 * A close reported after its session's opening ($3..$6 the reports with an end): a new row, sealed in this batch, that `completes` the
 * open one. A separate statement: it sees an opening committed while INSERT_EVENTS waited on its id (docs/adr/session-completion.md).
 */
const COMPLETE_SESSIONS = `
  WITH input AS (
    SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::text[], $6::text[]) AS t(event_id, ended_at, outcome, recording_ref)
  ), open AS (
    SELECT e.*, i.ended_at AS new_end, i.outcome AS new_outcome, i.recording_ref AS new_ref
      FROM input i
      JOIN connection_event_ids k ON k.tenant_id = $1 AND k.source_key = $2 AND k.event_id = i.event_id
      JOIN connection_events e ON e.tenant_id = $1 AND e.started_at = k.started_at AND e.event_id = i.event_id
     WHERE e.completes IS NULL AND e.ended_at IS NULL AND e.batch_id <> $7 AND e.api_key_id IS NOT DISTINCT FROM $8
       AND i.ended_at >= e.started_at
  ), stored AS (
    INSERT INTO connection_events (tenant_id, batch_id, api_key_id, event_id, account_ref, account_id, contractor_id, resource_ref,
                                   resource_id, source_ip, started_at, ended_at, outcome, recording_ref, ingested_at, completes)
    SELECT $1, $7, $8, o.event_id, o.account_ref, o.account_id, o.contractor_id, o.resource_ref, o.resource_id, o.source_ip, o.started_at,
           o.new_end, o.new_outcome, coalesce(o.new_ref, o.recording_ref), $9, o.id
      FROM open o
    ON CONFLICT DO NOTHING RETURNING 1
  )
  SELECT count(*)::int AS n FROM stored`;

const RESOLVE_ACCOUNTS = `
  SELECT DISTINCT ON (key) key, id, contractor_id FROM (
    SELECT id::text AS key, id, contractor_id, requested_at FROM accounts WHERE tenant_id = $1 AND id = ANY($2::uuid[])
    UNION ALL
    SELECT lower(email) AS key, id, contractor_id, requested_at FROM accounts WHERE tenant_id = $1 AND lower(email) = ANY($3::text[])
  ) x ORDER BY key, requested_at DESC`;

const RESOLVE_RESOURCES = `
  SELECT id::text AS key, id FROM resources WHERE tenant_id = $1 AND id = ANY($2::uuid[])
  UNION ALL SELECT external_id AS key, id FROM resources WHERE tenant_id = $1 AND external_id = ANY($3::text[])`;

/** Only this class writes connection_events, their ids and the correlation queue (R-ART41 ingestion). */
@Injectable()
export class IngestionRepository {
  constructor(private readonly db: Db) {}

  /** Two queries for a whole batch; an account found by id and by e-mail resolves to its latest request. */
  async resolve(scope: TenantScope, accountRefs: string[], resourceRefs: string[]): Promise<ResolvedReferences> {
    const accounts = await this.db.query<{ key: string; id: string; contractor_id: string | null }>(
      RESOLVE_ACCOUNTS, [scope.tenantId, accountRefs.filter((r) => UUID.test(r)), accountRefs.map((r) => r.toLowerCase())],
    );
    const resources = await this.db.query<{ key: string; id: string }>(
      RESOLVE_RESOURCES, [scope.tenantId, resourceRefs.filter((r) => UUID.test(r)), resourceRefs],
    );
    return {
      accounts: new Map(accounts.map((a) => [a.key, { id: a.id, contractorId: a.contractor_id }])),
      resources: new Map(resources.map((r) => [r.key, r.id])),
    };
  }

  /** Stores the events whose id the gateway never sent before; answers how many were stored. */
  async insertEvents(scope: TenantScope, batch: NewBatch, events: NewConnectionEvent[]): Promise<number> {
    const col = <K extends keyof NewConnectionEvent>(k: K) => events.map((e) => e[k]);
    const [row] = await this.db.query<{ n: number }>(INSERT_EVENTS, [
      scope.tenantId, batch.sourceKey, col('eventId'), col('accountRef'), col('accountId'), col('contractorId'), col('resourceRef'),
      col('resourceId'), col('sourceIp'), col('startedAt'), col('endedAt'), col('outcome'), col('recordingRef'), batch.id, batch.apiKeyId,
      batch.ingestedAt,
    ]);
    return row.n;
  }

  /** Completes the stored open sessions these reports close (once each, whoever sends the close first); answers how many. */
  async completeSessions(scope: TenantScope, batch: NewBatch, closes: NewConnectionEvent[]): Promise<number> {
    if (!closes.length) return 0;
    const [row] = await this.db.query<{ n: number }>(COMPLETE_SESSIONS, [
      scope.tenantId, batch.sourceKey, closes.map((e) => e.eventId), closes.map((e) => e.endedAt), closes.map((e) => e.outcome),
      closes.map((e) => e.recordingRef), batch.id, batch.apiKeyId, batch.ingestedAt,
    ]);
    return row.n;
  }

  /** Correlation runs later, in the worker (CorrelationRepository takes the queue from there). */
  async queueCorrelation(scope: TenantScope, batchId: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO journal_correlation_queue (batch_id, tenant_id, queued_at) VALUES ($1, $2, $3)`, [batchId, scope.tenantId, at],
    );
  }
}
