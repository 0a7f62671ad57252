import { Injectable } from '@nestjs/common';
import { bindTo, Db, equalities, Keyset, TenantScope } from '@app/core';
import { JournalConnection } from './anomalies';
import { PageRequest } from './anomalies.repository';

/** What the journal is searched by; `from` and `to` are always set (they bound the partitions read). */
export interface JournalFilter {
  from: Date;
  to: Date;
  accountId?: string;
  /** The account as the gateway named it (an unknown account has no id), case-insensitive. */
  account?: string;
  contractorId?: string;
  resourceId?: string;
  outcome?: 'success' | 'failure';
  interventionId?: string;
}

/** The journal newest first; an intervention's sessions in the order they happened. */
export const JOURNAL_NEWEST = new Keyset('DESC', [['at', 'e.started_at', 'instant'], ['id', 'e.id', 'uuid']]);
export const CONNECTIONS_IN_ORDER = new Keyset('ASC', [['at', 'e.started_at', 'instant'], ['id', 'e.id', 'uuid']]);

interface ConnectionRow {
  id: string;
  event_id: string;
  account_ref: string;
  account_id: string | null;
  person: string | null;
  contractor_id: string | null;
  contractor_name: string | null;
  resource_ref: string;
  resource_id: string | null;
  resource_name: string | null;
  source_ip: string | null;
  started_at: Date;
  ended_at: Date | null;
  outcome: 'success' | 'failure';
  recording_ref: string | null;
  intervention_id: string | null;
}

const toConnection = (r: ConnectionRow): JournalConnection => ({
  id: r.id, eventId: r.event_id, accountRef: r.account_ref, accountId: r.account_id, person: r.person, contractorId: r.contractor_id,
  contractorName: r.contractor_name, resourceRef: r.resource_ref, resourceId: r.resource_id, resourceName: r.resource_name,
  sourceIp: r.source_ip, startedAt: r.started_at, endedAt: r.ended_at, outcome: r.outcome, recordingRef: r.recording_ref,
  interventionId: r.intervention_id,
});

/**
 * Reads of the connection journal with the names of who, which company and what. Every query takes the tenant and a period on
 * `started_at` (partition pruning; the account, company and resource indexes lead with the tenant and end with it).
 */
@Injectable()
export class JournalSearchRepository {
  constructor(private readonly db: Db) {}

  /** `limit + 1` entries in the keyset's order. */
  async search(scope: TenantScope, filter: JournalFilter, page: PageRequest, order = JOURNAL_NEWEST): Promise<JournalConnection[]> {
    const params: unknown[] = [scope.tenantId, filter.from, filter.to];
    const bind = bindTo(params);
    const where = ['e.tenant_id = $1', 'e.started_at >= $2', 'e.started_at < $3'];
    where.push(...equalities(bind, [
      ['e.account_id', filter.accountId], ['e.contractor_id', filter.contractorId], ['e.resource_id', filter.resourceId],
      ['e.outcome', filter.outcome], ['e.intervention_id', filter.interventionId],
    ]));
    if (filter.account) where.push(`lower(e.account_ref) = lower(${bind(filter.account)})`);
    where.push(order.after(page.cursor, bind));
    const rows = await this.db.query<ConnectionRow>(
      `SELECT e.id, e.event_id, e.account_ref, e.account_id, a.first_name || ' ' || a.last_name AS person, e.contractor_id,
              k.legal_name AS contractor_name, e.resource_ref, e.resource_id, r.name AS resource_name, host(e.source_ip) AS source_ip,
              e.started_at, e.ended_at, e.outcome, e.recording_ref, e.intervention_id
         FROM connection_sessions e
         LEFT JOIN accounts a ON a.id = e.account_id
         LEFT JOIN contractors k ON k.id = e.contractor_id
         LEFT JOIN resources r ON r.id = e.resource_id
        WHERE ${where.join(' AND ')}
        ORDER BY ${order.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
    return rows.map(toConnection);
  }
}
