import { Injectable } from '@nestjs/common';
import { bindTo, Db, Keyset, PageQuery } from '@app/core';
import { EmergencyReview, InterventionRow, InterventionStatus } from './views';

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

/** Latest window first (index interventions_list_idx). */
export const LATEST_WINDOW = new Keyset('DESC', [['startsAt', 'i.starts_at', 'instant'], ['id', 'i.id', 'uuid']]);

const SELECT = `SELECT i.*,
  array(SELECT account_id FROM intervention_accounts WHERE intervention_id = i.id ORDER BY account_id) AS account_ids,
  array(SELECT resource_id FROM intervention_resources WHERE intervention_id = i.id ORDER BY resource_id) AS resource_ids
  FROM interventions i`;

/** Only this class touches the intervention tables. */
@Injectable()
export class InterventionsRepository {
  constructor(private readonly db: Db) {}

  async find(tenantId: string, id: string, forUpdate = false): Promise<InterventionRow | undefined> {
    if (forUpdate) await this.db.query(`SELECT 1 FROM interventions WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, [id, tenantId]);
    const [row] = await this.db.query<InterventionRow>(`${SELECT} WHERE i.id = $1 AND i.tenant_id = $2`, [id, tenantId]);
    return row;
  }

  /** `limit + 1` rows after the cursor, for LATEST_WINDOW.page. */
  list(tenantId: string, filter: InterventionFilter, page: PageQuery): Promise<InterventionRow[]> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const where = [`i.tenant_id = ${bind(tenantId)}`];
    if (filter.contractorId) where.push(`i.contractor_id = ${bind(filter.contractorId)}`);
    if (filter.accountUserId) {
      where.push(`EXISTS (SELECT 1 FROM intervention_accounts ia JOIN accounts a ON a.id = ia.account_id WHERE ia.intervention_id = i.id AND a.user_id = ${bind(filter.accountUserId)})`);
    }
    if (filter.accountId) where.push(`EXISTS (SELECT 1 FROM intervention_accounts ia WHERE ia.intervention_id = i.id AND ia.account_id = ${bind(filter.accountId)})`);
    if (filter.status) where.push(`i.status = ${bind(filter.status)}`);
    if (filter.emergencyReview) where.push(`i.emergency_review = ${bind(filter.emergencyReview)}`);
    if (filter.from) where.push(`i.ends_at > ${bind(filter.from)}`);
    if (filter.to) where.push(`i.starts_at < ${bind(filter.to)}`);
    where.push(LATEST_WINDOW.after(page.cursor, bind));
    return this.db.query<InterventionRow>(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY ${LATEST_WINDOW.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
  }

  async insert(values: Omit<InterventionRow, 'id' | 'account_ids' | 'resource_ids' | 'decided_by' | 'decided_at' | 'decision_reason' | 'cancelled_at' | 'cancel_reason' | 'started_at' | 'report_filed_at' | 'usage_override'>, accountIds: string[], resourceIds: string[]): Promise<string> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO interventions (tenant_id, contractor_id, starts_at, ends_at, nature, risks, availability_impact, changes_settings,
         changes_data, emergency, justification, status, emergency_review, usage_conflict, outside_business_hours, report_due_on,
         requested_by, requested_at, report_late_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) RETURNING id`,
      [values.tenant_id, values.contractor_id, values.starts_at, values.ends_at, values.nature, values.risks, values.availability_impact,
        values.changes_settings, values.changes_data, values.emergency, values.justification, values.status, values.emergency_review,
        values.usage_conflict, values.outside_business_hours, values.report_due_on, values.requested_by, values.requested_at, values.report_late_at],
    );
    await this.db.query(`INSERT INTO intervention_accounts (intervention_id, account_id) SELECT $1, unnest($2::uuid[])`, [row.id, accountIds]);
    await this.db.query(`INSERT INTO intervention_resources (intervention_id, resource_id) SELECT $1, unnest($2::uuid[])`, [row.id, resourceIds]);
    return row.id;
  }

  async update(id: string, values: Record<string, unknown>): Promise<void> {
    const keys = Object.keys(values);
    await this.db.query(`UPDATE interventions SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...keys.map((k) => values[k])]);
  }

  /** Interventions of a contractor whose report is overdue at `now` (R-ART42). */
  overdueReports(contractorId: string, now: Date): Promise<{ id: string; report_due_on: string }[]> {
    return this.db.query(
      `SELECT id, report_due_on FROM interventions
        WHERE contractor_id = $1 AND status = 'approved' AND report_filed_at IS NULL AND report_late_at <= $2 AND starts_at < $2`,
      [contractorId, now],
    );
  }

  /** Future windows that name an account (to take it out when the account is deactivated, R-ART35). */
  futureWindowsOf(accountId: string, now: Date): Promise<InterventionRow[]> {
    return this.db.query<InterventionRow>(
      `${SELECT} WHERE i.status IN ('requested', 'approved') AND i.starts_at > $2
         AND EXISTS (SELECT 1 FROM intervention_accounts ia WHERE ia.intervention_id = i.id AND ia.account_id = $1)`,
      [accountId, now],
    );
  }

  async removeAccount(interventionId: string, accountId: string): Promise<void> {
    await this.db.query(`DELETE FROM intervention_accounts WHERE intervention_id = $1 AND account_id = $2`, [interventionId, accountId]);
  }

  referentsOf(contractorId: string): Promise<{ user_id: string; email: string; locale: 'fr' | 'en' }[]> {
    return this.db.query(
      `SELECT r.user_id, u.email, u.locale FROM contractor_referents r JOIN users u ON u.id = r.user_id
        WHERE r.contractor_id = $1 AND u.status = 'active' ORDER BY u.email`,
      [contractorId],
    );
  }
}
