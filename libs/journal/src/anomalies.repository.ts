import { Injectable } from '@nestjs/common';
import { bindTo, Db, equalities, Keyset, TenantScope } from '@app/core';
import { AnomalyKind, StoredAnomaly } from './anomalies';

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

/** Anomalies newest connection first. */
export const ANOMALIES_NEWEST = new Keyset('DESC', [['at', 'a.event_started_at', 'instant'], ['id', 'a.id', 'uuid']]);

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

/** Reads of the anomalies; every query takes the tenant. */
@Injectable()
export class AnomaliesRepository {
  constructor(private readonly db: Db) {}

  /** `limit + 1` rows; the journal entry adds the gateway's id and the address while it is kept. */
  async list(scope: TenantScope, filter: AnomalyFilter, page: PageRequest): Promise<StoredAnomaly[]> {
    const params: unknown[] = [scope.tenantId];
    const bind = bindTo(params);
    const where = ['a.tenant_id = $1'];
    where.push(...equalities(bind, [['a.kind', filter.kind], ['a.contractor_id', filter.contractorId]]));
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
}
