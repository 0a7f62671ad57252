import { Injectable } from '@nestjs/common';
import { bindTo, Db, equalities, Keyset, PageQuery, TenantScope } from '@app/core';

export type IncidentKind = 'threat' | 'vulnerability' | 'theft' | 'compromise' | 'other';
export const INCIDENT_KINDS: IncidentKind[] = ['threat', 'vulnerability', 'theft', 'compromise', 'other'];

export interface Incident {
  id: string;
  kind: IncidentKind;
  description: string;
  contractorId: string | null;
  accountId: string | null;
  reportedBy: string;
  reportedAt: Date;
  accountSuspended: boolean;
}

interface IncidentRow {
  id: string;
  kind: IncidentKind;
  description: string;
  contractor_id: string | null;
  account_id: string | null;
  reported_by: string;
  reported_at: Date;
  account_suspended: boolean;
}

const toIncident = (r: IncidentRow): Incident => ({
  id: r.id, kind: r.kind, description: r.description, contractorId: r.contractor_id, accountId: r.account_id,
  reportedBy: r.reported_by, reportedAt: new Date(r.reported_at), accountSuspended: r.account_suspended,
});

/** Newest report first (index incidents_list_idx). */
export const NEWEST_INCIDENTS = new Keyset('DESC', [['reportedAt', 'i.reported_at', 'instant'], ['id', 'i.id', 'uuid']]);

/** Which incidents a list shows; `reportedBy`: a contractor person who declares nothing sees their own reports only. */
export interface IncidentQuery {
  kind?: IncidentKind;
  contractorId?: string;
  accountId?: string;
  reportedBy?: string;
}

/** Only this class touches the incidents table (R-ART5). */
@Injectable()
export class IncidentsRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: TenantScope, i: Omit<Incident, 'id' | 'accountSuspended'>): Promise<Incident> {
    const [row] = await this.db.query<IncidentRow>(
      `INSERT INTO incidents (tenant_id, contractor_id, account_id, kind, description, reported_by, reported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [scope.tenantId, i.contractorId, i.accountId, i.kind, i.description, i.reportedBy, i.reportedAt],
    );
    return toIncident(row);
  }

  async markAccountSuspended(id: string): Promise<void> {
    await this.db.query(`UPDATE incidents SET account_suspended = true WHERE id = $1`, [id]);
  }

  /** A page of NEWEST_INCIDENTS (limit + 1 rows); a contractor person's scope keeps to its company. */
  async list(scope: TenantScope, filter: IncidentQuery, page: PageQuery): Promise<Incident[]> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const where = [`i.tenant_id = ${bind(scope.tenantId)}`];
    where.push(...equalities(bind, [
      ['i.contractor_id', scope.contractorId], ['i.reported_by', filter.reportedBy], ['i.kind', filter.kind],
      ['i.contractor_id', filter.contractorId], ['i.account_id', filter.accountId],
    ]));
    where.push(NEWEST_INCIDENTS.after(page.cursor, bind));
    const rows = await this.db.query<IncidentRow>(
      `SELECT i.* FROM incidents i WHERE ${where.join(' AND ')} ORDER BY ${NEWEST_INCIDENTS.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
    return rows.map(toIncident);
  }
}
