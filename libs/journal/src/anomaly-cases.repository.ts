import { Injectable } from '@nestjs/common';
import { Bind, bindTo, Db, equalities, Keyset, TenantScope } from '@app/core';
import { AnomalyKind } from './anomalies';
import { PageRequest } from './anomalies.repository';
import { CASE_ACTS, CaseAct, CaseStatus, PersonRef, Severity, severityOfRank, severityRank, StoredCase } from './anomaly-cases';

export interface CaseFilter {
  status?: CaseStatus;
  severity?: Severity;
  kind?: AnomalyKind;
  assigneeId?: string;
  contractorId?: string;
  from?: Date;
  to?: Date;
}

/** What a triage act writes besides the status: who, when, and the assignee or the comment. */
export interface CaseChange {
  actorId: string;
  at: Date;
  assigneeId?: string;
  comment?: string;
}

/** A case as its triage reads it under lock: the audit's "before" (the company lets the evidence pack find it). */
export interface LockedCase {
  status: CaseStatus;
  contractorId: string | null;
  assignee: PersonRef | null;
}

export const CASES_NEWEST = new Keyset('DESC', [['at', 'c.event_started_at', 'instant'], ['id', 'c.id', 'uuid']]);
export const ASSIGNEES_BY_NAME = new Keyset('ASC', [
  ['lastName', 'u.last_name', 'text'], ['firstName', 'u.first_name', 'text'], ['id', 'u.id', 'uuid'],
]);

/** Someone a case may be assigned to, with the list's sort key. */
export type AssigneeRow = PersonRef & { roles: string[]; last_name: string; first_name: string };

interface CaseRow {
  id: string;
  event_id: string | null;
  event_started_at: Date;
  detected_at: Date;
  kinds: AnomalyKind[];
  severity: number;
  status: CaseStatus;
  account_ref: string;
  account_id: string | null;
  person: string | null;
  contractor_id: string | null;
  contractor_name: string | null;
  resource_ref: string | null;
  resource_id: string | null;
  resource_name: string | null;
  source_ip: string | null;
  details: string[];
  assignee_id: string | null;
  assignee_name: string | null;
  acknowledged_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  closed_by_name: string | null;
  close_comment: string | null;
}

const ref = (id: string | null, name: string | null): PersonRef | null => (id ? { id, name: name ?? '' } : null);

const toCase = (r: CaseRow): StoredCase => ({
  id: r.id, eventId: r.event_id, startedAt: r.event_started_at, detectedAt: r.detected_at, kinds: r.kinds,
  severity: severityOfRank(r.severity), status: r.status, accountRef: r.account_ref, accountId: r.account_id, person: r.person,
  contractorId: r.contractor_id, contractorName: r.contractor_name, resourceRef: r.resource_ref, resourceId: r.resource_id,
  resourceName: r.resource_name, sourceIp: r.source_ip, details: r.details, assignee: ref(r.assignee_id, r.assignee_name),
  acknowledgedAt: r.acknowledged_at, closedAt: r.closed_at, closedBy: ref(r.closed_by, r.closed_by_name), closeComment: r.close_comment,
});

const NAME = (t: string) => `${t}.first_name || ' ' || ${t}.last_name`;

const SELECT_CASES = `
  SELECT c.id, c.event_id, c.event_started_at, c.detected_at, c.kinds, c.severity, c.status, c.account_ref, c.account_id,
         ${NAME('a')} AS person, c.contractor_id, k.legal_name AS contractor_name, c.resource_ref, c.resource_id, r.name AS resource_name,
         host(ce.source_ip) AS source_ip, ARRAY(SELECT d.detail FROM anomalies d WHERE d.case_id = c.id ORDER BY d.kind) AS details,
         c.assignee_id, ${NAME('u')} AS assignee_name, c.acknowledged_at, c.closed_at, c.closed_by, ${NAME('cb')} AS closed_by_name,
         c.close_comment
    FROM anomaly_cases c
    LEFT JOIN accounts a ON a.id = c.account_id
    LEFT JOIN contractors k ON k.id = c.contractor_id
    LEFT JOIN resources r ON r.id = c.resource_id
    LEFT JOIN connection_events ce ON ce.tenant_id = c.tenant_id AND ce.started_at = c.event_started_at AND ce.id = c.event_id
    LEFT JOIN users u ON u.id = c.assignee_id
    LEFT JOIN users cb ON cb.id = c.closed_by`;

/** The SET clause of each act (only the values it uses are bound: PostgreSQL types every parameter). */
const SETS: Record<CaseAct, (bind: Bind, ch: CaseChange) => string> = {
  acknowledged: (b, ch) => `acknowledged_at = ${b(ch.at)}, acknowledged_by = ${b(ch.actorId)}::uuid`,
  assigned: (b, ch) => `assignee_id = ${b(ch.assigneeId)}::uuid, acknowledged_at = coalesce(acknowledged_at, ${b(ch.at)}),
    acknowledged_by = coalesce(acknowledged_by, ${b(ch.actorId)}::uuid)`,
  closed: (b, ch) => `closed_at = ${b(ch.at)}, closed_by = ${b(ch.actorId)}::uuid, close_comment = ${b(ch.comment)}`,
  reopened: () => `closed_at = NULL, closed_by = NULL, close_comment = NULL`,
};

/** Only this class writes `anomaly_cases` (and the anomalies' `case_id`); every query takes the tenant. */
@Injectable()
export class AnomalyCasesRepository {
  constructor(private readonly db: Db) {}

  private where(scope: TenantScope, filter: CaseFilter, bind: Bind, withStatus = true): string[] {
    const where = [`c.tenant_id = ${bind(scope.tenantId)}`];
    if (withStatus && filter.status) where.push(`c.status = ${bind(filter.status)}`);
    if (filter.severity) where.push(`c.severity = ${bind(severityRank(filter.severity))}`);
    if (filter.kind) where.push(`c.kinds @> ARRAY[${bind(filter.kind)}]::text[]`);
    where.push(...equalities(bind, [['c.assignee_id', filter.assigneeId], ['c.contractor_id', filter.contractorId]]));
    if (filter.from) where.push(`c.event_started_at >= ${bind(filter.from)}`);
    if (filter.to) where.push(`c.event_started_at < ${bind(filter.to)}`);
    return where;
  }

  /** `limit + 1` cases, newest connection first. */
  async list(scope: TenantScope, filter: CaseFilter, page: PageRequest): Promise<StoredCase[]> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const where = [...this.where(scope, filter, bind), CASES_NEWEST.after(page.cursor, bind)];
    const rows = await this.db.query<CaseRow>(
      `${SELECT_CASES} WHERE ${where.join(' AND ')} ORDER BY ${CASES_NEWEST.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
    return rows.map(toCase);
  }

  async get(scope: TenantScope, id: string): Promise<StoredCase | null> {
    const [row] = await this.db.query<CaseRow>(`${SELECT_CASES} WHERE c.tenant_id = $1 AND c.id = $2`, [scope.tenantId, id]);
    return row ? toCase(row) : null;
  }

  /** Cases per status under the other filters. */
  async counts(scope: TenantScope, filter: CaseFilter): Promise<Record<CaseStatus, number>> {
    const params: unknown[] = [];
    const rows = await this.db.query<{ status: CaseStatus; n: number }>(
      `SELECT c.status, count(*)::int AS n FROM anomaly_cases c WHERE ${this.where(scope, filter, bindTo(params), false).join(' AND ')}
        GROUP BY c.status`, params,
    );
    const by = new Map(rows.map((r) => [r.status, r.n]));
    return { open: by.get('open') ?? 0, acknowledged: by.get('acknowledged') ?? 0, closed: by.get('closed') ?? 0 };
  }

  /** The case's status and assignee, locked until the transaction ends (the audit's "before"). */
  async lock(scope: TenantScope, id: string): Promise<LockedCase | null> {
    type Row = { status: CaseStatus; contractor_id: string | null; assignee_id: string | null; assignee_name: string | null };
    const [row] = await this.db.query<Row>(
      `SELECT c.status, c.contractor_id, c.assignee_id, ${NAME('u')} AS assignee_name
         FROM anomaly_cases c LEFT JOIN users u ON u.id = c.assignee_id
        WHERE c.tenant_id = $1 AND c.id = $2 FOR UPDATE OF c`, [scope.tenantId, id],
    );
    return row ? { status: row.status, contractorId: row.contractor_id, assignee: ref(row.assignee_id, row.assignee_name) } : null;
  }

  /** The act, only from the statuses it leaves (and, to assign, to someone else): answers whether it was applied. */
  async apply(scope: TenantScope, id: string, act: CaseAct, change: CaseChange): Promise<boolean> {
    const params: unknown[] = [scope.tenantId, id, CASE_ACTS[act].from, CASE_ACTS[act].to];
    const bind = bindTo(params);
    const set = SETS[act](bind, change);
    const other = act === 'assigned' ? `AND assignee_id IS DISTINCT FROM ${bind(change.assigneeId)}::uuid` : '';
    const rows = await this.db.query(
      `UPDATE anomaly_cases SET status = $4, ${set}, updated_at = ${bind(change.at)}
        WHERE tenant_id = $1 AND id = $2 AND status = ANY($3::text[]) ${other} RETURNING id`, params,
    );
    return rows.length === 1;
  }

  /** `limit + 1` of the establishment's active RSSI and DSI by name, or the one given (`id`). */
  async assignees(scope: TenantScope, page: PageRequest & { id?: string }): Promise<AssigneeRow[]> {
    const params: unknown[] = [scope.tenantId, page.id ?? null];
    const bind = bindTo(params);
    return this.db.query<AssigneeRow>(
      `SELECT u.id, ${NAME('u')} AS name, u.last_name, u.first_name,
              ARRAY(SELECT r FROM unnest(u.roles) r WHERE r IN ('rssi', 'dsi') ORDER BY r) AS roles
         FROM users u
        WHERE u.tenant_id = $1 AND u.contractor_id IS NULL AND u.status = 'active' AND u.roles && ARRAY['rssi', 'dsi']
          AND ($2::uuid IS NULL OR u.id = $2) AND ${ASSIGNEES_BY_NAME.after(page.cursor, bind)}
        ORDER BY ${ASSIGNEES_BY_NAME.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
  }

  /** Gathers newly stored anomalies ($2 ids, $3 severity ranks) into their connection's case, made or merged. */
  async attach(scope: TenantScope, anomalies: { id: string; rank: number }[], at: Date): Promise<void> {
    if (!anomalies.length) return;
    await this.db.query(
      `WITH n AS (SELECT * FROM unnest($2::uuid[], $3::smallint[]) AS t(id, rank)),
       g AS (
         SELECT x.event_id, min(x.event_started_at) AS started, (array_agg(x.account_ref ORDER BY x.kind))[1] AS account_ref,
                (array_agg(x.account_id ORDER BY x.kind))[1] AS account_id,
                (array_agg(x.contractor_id ORDER BY x.kind))[1] AS contractor_id,
                (array_agg(x.resource_ref ORDER BY x.kind))[1] AS resource_ref,
                (array_agg(x.resource_id ORDER BY x.kind))[1] AS resource_id,
                array_agg(DISTINCT x.kind ORDER BY x.kind) AS kinds, max(n.rank) AS severity, min(x.detected_at) AS detected
           FROM anomalies x JOIN n ON n.id = x.id WHERE x.tenant_id = $1 GROUP BY x.event_id
       ), up AS (
         INSERT INTO anomaly_cases (tenant_id, event_id, event_started_at, account_ref, account_id, contractor_id, resource_ref,
                                    resource_id, kinds, severity, detected_at, updated_at)
         SELECT $1, g.event_id, g.started, g.account_ref, g.account_id, g.contractor_id, g.resource_ref, g.resource_id, g.kinds, g.severity,
                g.detected, $4 FROM g
         ON CONFLICT (tenant_id, event_id) DO UPDATE
           SET kinds = ARRAY(SELECT DISTINCT k FROM unnest(anomaly_cases.kinds || excluded.kinds) k ORDER BY k),
               severity = GREATEST(anomaly_cases.severity, excluded.severity), updated_at = excluded.updated_at
         RETURNING id, event_id
       )
       UPDATE anomalies x SET case_id = up.id FROM up, n WHERE x.tenant_id = $1 AND x.id = n.id AND x.event_id = up.event_id`,
      [scope.tenantId, anomalies.map((a) => a.id), anomalies.map((a) => a.rank), at],
    );
  }
}
