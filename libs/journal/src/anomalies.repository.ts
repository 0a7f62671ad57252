import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';
import { AnomalyKind, AnomalyRow, ConnectionRow } from './anomalies';

export interface AnomalyFilter {
  kind?: AnomalyKind;
  /** One company's anomalies (the evidence pack). */
  contractorId?: string;
  from?: Date;
  to?: Date;
}

/** A keyset position: the sort instant and the id of the last row of the previous page. */
export interface Position {
  at: string;
  id: string;
}

/** Reads of the anomalies and of the sessions linked to an intervention; every query takes the tenant. */
@Injectable()
export class AnomaliesRepository {
  constructor(private readonly db: Db) {}

  /** Newest first, by when the connection happened; the journal entry adds the gateway's id and the address while it is kept. */
  list(scope: TenantScope, filter: AnomalyFilter, limit: number, after: Position | null): Promise<AnomalyRow[]> {
    const where = ['a.tenant_id = $1'];
    const params: unknown[] = [scope.tenantId];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql.replace(/\?/g, () => `$${params.push(values.shift())}`));
    };
    if (filter.kind) add('a.kind = ?', filter.kind);
    if (filter.contractorId) add('a.contractor_id = ?', filter.contractorId);
    if (filter.from) add('a.event_started_at >= ?', filter.from);
    if (filter.to) add('a.event_started_at < ?', filter.to);
    if (after) add('(a.event_started_at, a.id) < (?::timestamptz, ?::uuid)', after.at, after.id);
    params.push(limit + 1);
    return this.db.query<AnomalyRow>(
      `SELECT a.id, a.kind, a.event_id, a.event_started_at, a.account_ref, a.account_id, a.contractor_id, a.resource_ref, a.resource_id,
              a.detail, a.detected_at, ce.event_id AS gateway_event_id, host(ce.source_ip) AS source_ip
         FROM anomalies a
         LEFT JOIN connection_events ce ON ce.tenant_id = a.tenant_id AND ce.started_at = a.event_started_at AND ce.id = a.event_id
        WHERE ${where.join(' AND ')}
        ORDER BY a.event_started_at DESC, a.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** The journal entries linked to an intervention, in the order they happened; its window bounds the partitions read. */
  connections(scope: TenantScope, window: { id: string; starts_at: Date; ends_at: Date }, limit: number, after: Position | null): Promise<ConnectionRow[]> {
    const params: unknown[] = [scope.tenantId, window.id, window.starts_at, window.ends_at, limit + 1];
    let keyset = '';
    if (after) {
      params.push(after.at, after.id);
      keyset = 'AND (e.started_at, e.id) > ($6::timestamptz, $7::uuid)';
    }
    return this.db.query<ConnectionRow>(
      `SELECT e.id, e.event_id, e.account_ref, e.account_id, e.resource_ref, e.resource_id, host(e.source_ip) AS source_ip, e.started_at,
              e.ended_at, e.outcome, e.recording_ref, e.intervention_id
         FROM connection_events e
        WHERE e.tenant_id = $1 AND e.intervention_id = $2 AND e.started_at >= $3 AND e.started_at < $4 ${keyset}
        ORDER BY e.started_at, e.id LIMIT $5`,
      params,
    );
  }
}
