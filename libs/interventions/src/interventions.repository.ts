import { Injectable } from '@nestjs/common';
import { bindTo, Db, equalities, Keyset, PageQuery, TenantScope } from '@app/core';
import { EmergencyReview, Intervention, InterventionStatus } from './views';

export interface InterventionFilter {
  contractorId?: string;
  /** A contractor's staff member: only the windows naming their own account. */
  accountUserId?: string;
  accountId?: string;
  status?: InterventionStatus;
  /** R-ART36: emergencies waiting for (`pending`) or given their after-the-fact review. */
  emergencyReview?: EmergencyReview;
  /** Windows overlapping [from, to). */
  from?: Date;
  to?: Date;
}

/** What a new window is made of; the rest is set by its decisions. */
export type NewIntervention = Omit<Intervention, 'id' | 'contractorName' | 'accountIds' | 'resourceIds' | 'decidedBy' | 'decidedAt'
  | 'decisionReason' | 'cancelledAt' | 'cancelReason' | 'startedAt' | 'reportFiledAt' | 'usageOverride'>;

/** The columns a decision, a cancellation or a report changes. */
export type InterventionPatch = Partial<Pick<Intervention, 'status' | 'emergencyReview' | 'usageOverride' | 'decidedBy' | 'decidedAt'
  | 'decisionReason' | 'cancelledAt' | 'cancelReason' | 'reportFiledAt'>>;

const COLUMNS: Record<keyof InterventionPatch, string> = {
  status: 'status', emergencyReview: 'emergency_review', usageOverride: 'usage_override', decidedBy: 'decided_by', decidedAt: 'decided_at',
  decisionReason: 'decision_reason', cancelledAt: 'cancelled_at', cancelReason: 'cancel_reason', reportFiledAt: 'report_filed_at',
};

/** Latest window first (index interventions_list_idx). */
export const LATEST_WINDOW = new Keyset('DESC', [['startsAt', 'i.starts_at', 'instant'], ['id', 'i.id', 'uuid']]);

const SELECT = `SELECT i.id, i.tenant_id AS "tenantId", i.contractor_id AS "contractorId",
  (SELECT c.legal_name FROM contractors c WHERE c.id = i.contractor_id) AS "contractorName",
  i.starts_at AS "startsAt", i.ends_at AS "endsAt", i.nature, i.risks, i.availability_impact AS "availabilityImpact",
  i.changes_settings AS "changesSettings", i.changes_data AS "changesData", i.emergency, i.justification, i.status,
  i.emergency_review AS "emergencyReview", i.usage_conflict AS "usageConflict", i.usage_override AS "usageOverride",
  i.outside_business_hours AS "outsideBusinessHours", i.report_due_on AS "reportDueOn", i.report_late_at AS "reportLateAt",
  i.requested_by AS "requestedBy", i.requested_at AS "requestedAt", i.decided_by AS "decidedBy", i.decided_at AS "decidedAt",
  i.decision_reason AS "decisionReason", i.cancelled_at AS "cancelledAt", i.cancel_reason AS "cancelReason", i.started_at AS "startedAt",
  i.report_filed_at AS "reportFiledAt",
  array(SELECT account_id FROM intervention_accounts WHERE intervention_id = i.id ORDER BY account_id) AS "accountIds",
  array(SELECT resource_id FROM intervention_resources WHERE intervention_id = i.id ORDER BY resource_id) AS "resourceIds"
  FROM interventions i`;

/** Only this class touches the intervention tables (windows, their accounts and resources). */
@Injectable()
export class InterventionsRepository {
  constructor(private readonly db: Db) {}

  async find(scope: TenantScope, id: string, forUpdate = false): Promise<Intervention | undefined> {
    if (forUpdate) await this.db.query(`SELECT 1 FROM interventions WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, [id, scope.tenantId]);
    const [row] = await this.db.query<Intervention>(`${SELECT} WHERE i.id = $1 AND i.tenant_id = $2`, [id, scope.tenantId]);
    return row;
  }

  /** `limit + 1` rows after the cursor, for LATEST_WINDOW.page. */
  list(scope: TenantScope, filter: InterventionFilter, page: PageQuery): Promise<Intervention[]> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const where = [`i.tenant_id = ${bind(scope.tenantId)}`];
    if (filter.contractorId) where.push(`i.contractor_id = ${bind(filter.contractorId)}`);
    if (filter.accountUserId) {
      where.push(`EXISTS (SELECT 1 FROM intervention_accounts ia JOIN accounts a ON a.id = ia.account_id
        WHERE ia.intervention_id = i.id AND a.user_id = ${bind(filter.accountUserId)})`);
    }
    if (filter.accountId) {
      where.push(`EXISTS (SELECT 1 FROM intervention_accounts ia
        WHERE ia.intervention_id = i.id AND ia.account_id = ${bind(filter.accountId)})`);
    }
    where.push(...equalities(bind, [['i.status', filter.status], ['i.emergency_review', filter.emergencyReview]]));
    if (filter.from) where.push(`i.ends_at > ${bind(filter.from)}`);
    if (filter.to) where.push(`i.starts_at < ${bind(filter.to)}`);
    where.push(LATEST_WINDOW.after(page.cursor, bind));
    return this.db.query<Intervention>(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY ${LATEST_WINDOW.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
  }

  async insert(v: NewIntervention, accountIds: string[], resourceIds: string[]): Promise<string> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO interventions (tenant_id, contractor_id, starts_at, ends_at, nature, risks, availability_impact, changes_settings,
         changes_data, emergency, justification, status, emergency_review, usage_conflict, outside_business_hours, report_due_on,
         requested_by, requested_at, report_late_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) RETURNING id`,
      [v.tenantId, v.contractorId, v.startsAt, v.endsAt, v.nature, v.risks, v.availabilityImpact, v.changesSettings, v.changesData,
        v.emergency, v.justification, v.status, v.emergencyReview, v.usageConflict, v.outsideBusinessHours, v.reportDueOn, v.requestedBy,
        v.requestedAt, v.reportLateAt],
    );
    await this.db.query(`INSERT INTO intervention_accounts (intervention_id, account_id) SELECT $1, unnest($2::uuid[])`, [
      row.id, accountIds,
    ]);
    await this.db.query(`INSERT INTO intervention_resources (intervention_id, resource_id) SELECT $1, unnest($2::uuid[])`, [
      row.id, resourceIds,
    ]);
    return row.id;
  }

  async update(id: string, patch: InterventionPatch): Promise<void> {
    const keys = Object.keys(patch) as (keyof InterventionPatch)[];
    await this.db.query(
      `UPDATE interventions SET ${keys.map((k, i) => `${COLUMNS[k]} = $${i + 2}`).join(', ')} WHERE id = $1`,
      [id, ...keys.map((k) => patch[k])],
    );
  }

  /** R-ART36: the first allowed access starts the window, once; undefined when it had already started. */
  async claimStart(interventionId: string, now: Date): Promise<{ nature: string; contractorId: string } | undefined> {
    const [claimed] = await this.db.query<{ nature: string; contractorId: string }>(
      `UPDATE interventions SET started_at = $2 WHERE id = $1 AND started_at IS NULL RETURNING nature, contractor_id AS "contractorId"`,
      [interventionId, now],
    );
    return claimed;
  }

  /** Interventions of a contractor whose report is overdue at `now` (R-ART42). */
  overdueReports(contractorId: string, now: Date): Promise<{ id: string }[]> {
    return this.db.query(
      `SELECT id FROM interventions
        WHERE contractor_id = $1 AND status = 'approved' AND report_filed_at IS NULL AND report_late_at <= $2 AND starts_at < $2`,
      [contractorId, now],
    );
  }

  /** Future windows that name an account (to take it out when the account is deactivated, R-ART35). */
  futureWindowsOf(scope: TenantScope, accountId: string, now: Date): Promise<Intervention[]> {
    return this.db.query<Intervention>(
      `${SELECT} WHERE i.tenant_id = $3 AND i.status IN ('requested', 'approved') AND i.starts_at > $2
         AND EXISTS (SELECT 1 FROM intervention_accounts ia WHERE ia.intervention_id = i.id AND ia.account_id = $1)`,
      [accountId, now, scope.tenantId],
    );
  }

  async removeAccount(interventionId: string, accountId: string): Promise<void> {
    await this.db.query(`DELETE FROM intervention_accounts WHERE intervention_id = $1 AND account_id = $2`, [interventionId, accountId]);
  }

  /** A staff member sees a window that names their own account. */
  async namesUser(interventionId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM intervention_accounts ia JOIN accounts a ON a.id = ia.account_id WHERE ia.intervention_id = $1 AND a.user_id = $2`,
      [interventionId, userId],
    );
    return rows.length > 0;
  }
}
