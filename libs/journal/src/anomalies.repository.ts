import { Injectable } from '@nestjs/common';
import { bindTo, Db, Keyset, TenantScope } from '@app/core';
import { AnomalyKind, JournalConnection, StoredAnomaly } from './anomalies';

export interface AnomalyFilter {
  kind?: AnomalyKind;
  /** One company's anomalies (the evidence pack). */
  contractorId?: string;
  from?: Date;
  to?: Date;
}

/** A page of a list: how many, after which cursor. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** An intervention's window: the sessions linked to it started within it. */
export interface InterventionWindow {
  id: string;
  startsAt: Date;
  endsAt: Date;
}

/** Anomalies newest connection first; a session's entries in the order they happened. */
export const ANOMALIES_NEWEST = new Keyset('DESC', [['at', 'a.event_started_at', 'instant'], ['id', 'a.id', 'uuid']]);
export const CONNECTIONS_IN_ORDER = new Keyset('ASC', [['at', 'e.started_at', 'instant'], ['id', 'e.id', 'uuid']]);

/** An anomalies row (correlation stores them, this class reads them). */
export interface AnomalyRow {
  id: string;
  kind: AnomalyKind;
  event_id: string | null;
  event_started_at: Date;
  account_ref: string;
  account_id: string | null;
  contractor_id: string | null;
  resource_ref: string | null;
  resource_id: string | null;
  detail: string;
  detected_at: Date;
  gateway_event_id?: string | null;
  source_ip?: string | null;
}

export const toStoredAnomaly = (r: AnomalyRow): StoredAnomaly => ({
  id: r.id, kind: r.kind, eventId: r.event_id, eventStartedAt: r.event_started_at, accountRef: r.account_ref, accountId: r.account_id,
  contractorId: r.contractor_id, resourceRef: r.resource_ref, resourceId: r.resource_id, detail: r.detail, detectedAt: r.detected_at,
  gatewayEventId: r.gateway_event_id, sourceIp: r.source_ip,
});

interface ConnectionRow {
  id: string;
  event_id: string;
  account_ref: string;
  account_id: string | null;
  resource_ref: string;
  resource_id: string | null;
  source_ip: string | null;
  started_at: Date;
  ended_at: Date | null;
  outcome: 'success' | 'failure';
  recording_ref: string | null;
  intervention_id: string | null;
}

const toConnection = (r: ConnectionRow): JournalConnection => ({
  id: r.id, eventId: r.event_id, accountRef: r.account_ref, accountId: r.account_id, resourceRef: r.resource_ref, resourceId: r.resource_id,
  sourceIp: r.source_ip, startedAt: r.started_at, endedAt: r.ended_at, outcome: r.outcome, recordingRef: r.recording_ref,
  interventionId: r.intervention_id,
});

/** Reads of the anomalies and of the sessions linked to an intervention; every query takes the tenant. */
@Injectable()
export class AnomaliesRepository {
  constructor(private readonly db: Db) {}

  /** `limit + 1` rows; the journal entry adds the gateway's id and the address while it is kept. */
  async list(scope: TenantScope, filter: AnomalyFilter, page: PageRequest): Promise<StoredAnomaly[]> {
    const params: unknown[] = [scope.tenantId];
    const bind = bindTo(params);
    const where = ['a.tenant_id = $1'];
    if (filter.kind) where.push(`a.kind = ${bind(filter.kind)}`);
    if (filter.contractorId) where.push(`a.contractor_id = ${bind(filter.contractorId)}`);
    if (filter.from) where.push(`a.event_started_at >= ${bind(filter.from)}`);
    if (filter.to) where.push(`a.event_started_at < ${bind(filter.to)}`);
    where.push(ANOMALIES_NEWEST.after(page.cursor, bind));
    const rows = await this.db.query<AnomalyRow>(
      `SELECT a.id, a.kind, a.event_id, a.event_started_at, a.account_ref, a.account_id, a.contractor_id, a.resource_ref, a.resource_id,
              a.detail, a.detected_at, ce.event_id AS gateway_event_id, host(ce.source_ip) AS source_ip
         FROM anomalies a
         LEFT JOIN connection_events ce ON ce.tenant_id = a.tenant_id AND ce.started_at = a.event_started_at AND ce.id = a.event_id
        WHERE ${where.join(' AND ')}
        ORDER BY ${ANOMALIES_NEWEST.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
    return rows.map(toStoredAnomaly);
  }

  /** `limit + 1` journal entries linked to an intervention; its window bounds the partitions read. */
  async connections(scope: TenantScope, window: InterventionWindow, page: PageRequest): Promise<JournalConnection[]> {
    const params: unknown[] = [scope.tenantId, window.id, window.startsAt, window.endsAt];
    const bind = bindTo(params);
    const rows = await this.db.query<ConnectionRow>(
      `SELECT e.id, e.event_id, e.account_ref, e.account_id, e.resource_ref, e.resource_id, host(e.source_ip) AS source_ip, e.started_at,
              e.ended_at, e.outcome, e.recording_ref, e.intervention_id
         FROM connection_sessions e
        WHERE e.tenant_id = $1 AND e.intervention_id = $2 AND e.started_at >= $3 AND e.started_at < $4
          AND ${CONNECTIONS_IN_ORDER.after(page.cursor, bind)}
        ORDER BY ${CONNECTIONS_IN_ORDER.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
    return rows.map(toConnection);
  }
}
