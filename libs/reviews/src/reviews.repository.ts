import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';
import { CampaignRow, ItemRow } from './views';

/** Only this class touches the review tables. Campaign opening is set-based (no query per account). */
@Injectable()
export class ReviewsRepository {
  constructor(private readonly db: Db) {}

  async campaign(tenantId: string, id: string, forUpdate = false): Promise<CampaignRow | undefined> {
    const [row] = await this.db.query<CampaignRow>(
      `SELECT * FROM review_campaigns WHERE id = $1 AND tenant_id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [id, tenantId],
    );
    return row;
  }

  items(campaignId: string): Promise<ItemRow[]> {
    return this.db.query<ItemRow>(`SELECT * FROM review_items WHERE campaign_id = $1 ORDER BY kind, snapshot->>'lastName', snapshot->>'resource', id`, [campaignId]);
  }

  async counts(campaignIds: string[]): Promise<Map<string, { total: number; decided: number }>> {
    const rows = await this.db.query<{ campaign_id: string; total: number; decided: number }>(
      `SELECT campaign_id, count(*)::int AS total, count(decision)::int AS decided FROM review_items WHERE campaign_id = ANY($1::uuid[]) GROUP BY campaign_id`,
      [campaignIds],
    );
    return new Map(rows.map((r) => [r.campaign_id, { total: r.total, decided: r.decided }]));
  }

  /**
   * Opens one campaign per listed contractor and snapshots, in three statements whatever their
   * number, every living account of the contractor and its subcontractors and each in-force habilitation.
   */
  async open(tenantId: string, contractors: { contractorId: string; periodStart: Date; dueOn: string }[], openedBy: string | null, now: Date, today: string): Promise<CampaignRow[]> {
    if (!contractors.length) return [];
    const campaigns = await this.db.query<CampaignRow>(
      `INSERT INTO review_campaigns (tenant_id, contractor_id, status, period_start, opened_at, opened_by, due_on)
       SELECT $1, c, 'open', p, $2, $3, d FROM unnest($4::uuid[], $5::timestamptz[], $6::date[]) AS x(c, p, d)
       RETURNING *`,
      [tenantId, now, openedBy, contractors.map((c) => c.contractorId), contractors.map((c) => c.periodStart), contractors.map((c) => c.dueOn)],
    );
    const ids = campaigns.map((c) => c.id);
    await this.db.query(
      `INSERT INTO review_items (campaign_id, tenant_id, kind, account_id, snapshot)
       SELECT rc.id, rc.tenant_id, 'account', a.id,
              jsonb_build_object('firstName', a.first_name, 'lastName', a.last_name, 'email', a.email, 'status', a.status,
                                 'contractorId', a.contractor_id, 'company', co.legal_name)
         FROM review_campaigns rc
         JOIN contractors co ON co.id = rc.contractor_id OR co.prime_contractor_id = rc.contractor_id
         JOIN accounts a ON a.contractor_id = co.id AND a.status IN ('approved', 'active', 'suspended')
        WHERE rc.id = ANY($1::uuid[])`,
      [ids],
    );
    await this.db.query(
      `INSERT INTO review_items (campaign_id, tenant_id, kind, account_id, habilitation_id, snapshot)
       SELECT rc.id, rc.tenant_id, 'habilitation', a.id, h.id,
              jsonb_build_object('firstName', a.first_name, 'lastName', a.last_name, 'email', a.email, 'resourceId', r.id, 'resource', r.name,
                                 'accessType', h.access_type, 'level', h.level, 'endsOn', h.ends_on, 'company', co.legal_name)
         FROM review_campaigns rc
         JOIN contractors co ON co.id = rc.contractor_id OR co.prime_contractor_id = rc.contractor_id
         JOIN accounts a ON a.contractor_id = co.id AND a.status IN ('approved', 'active', 'suspended')
         JOIN habilitations h ON h.account_id = a.id AND h.status = 'approved' AND (h.ends_on IS NULL OR h.ends_on >= $2::date)
         JOIN resources r ON r.id = h.resource_id
        WHERE rc.id = ANY($1::uuid[])`,
      [ids, today],
    );
    return campaigns;
  }

  /** Dashboard: campaigns of the tenant by state. */
  async statusCounts(tenantId: string): Promise<Record<CampaignRow['status'], number>> {
    const rows = await this.db.query<{ status: CampaignRow['status']; n: number }>(
      `SELECT status, count(*)::int AS n FROM review_campaigns WHERE tenant_id = $1 GROUP BY status`, [tenantId],
    );
    return { open: 0, submitted: 0, certified: 0, ...Object.fromEntries(rows.map((r) => [r.status, r.n])) };
  }

  /** Dashboard: open campaigns past their due date (oldest first), or submitted ones waiting for the RSSI, with the total. */
  campaignsIn(tenantId: string, which: 'overdue' | 'to_certify', today: string, limit: number): Promise<(CampaignRow & { contractor: string; undecided: number; total: number })[]> {
    const where = which === 'overdue' ? `c.status = 'open' AND c.due_on < $3::date` : `c.status = 'submitted'`;
    return this.db.query(
      `SELECT c.*, co.legal_name AS contractor, count(*) OVER ()::int AS total,
              (SELECT count(*)::int FROM review_items i WHERE i.campaign_id = c.id AND i.decision IS NULL) AS undecided
         FROM review_campaigns c JOIN contractors co ON co.id = c.contractor_id
        WHERE c.tenant_id = $1 AND ${where}
        ORDER BY c.due_on, co.legal_name LIMIT $2`,
      which === 'overdue' ? [tenantId, limit, today] : [tenantId, limit],
    );
  }

  /** Dashboard: accounts suspended because nobody attested them (R-ART34 silence), with the campaign that did it and the total. */
  suspendedForReview(tenantId: string, limit: number): Promise<{ account_id: string; first_name: string; last_name: string; email: string; contractor: string; suspended_at: Date; campaign_id: string | null; total: number }[]> {
    return this.db.query(
      `SELECT a.id AS account_id, a.first_name, a.last_name, a.email, co.legal_name AS contractor, a.suspended_at, count(*) OVER ()::int AS total,
              (SELECT i.campaign_id FROM review_items i JOIN review_campaigns rc ON rc.id = i.campaign_id
                WHERE i.account_id = a.id AND rc.status <> 'certified' LIMIT 1) AS campaign_id
         FROM accounts a JOIN contractors co ON co.id = a.contractor_id
        WHERE a.tenant_id = $1 AND a.status = 'suspended' AND a.suspension_kind = 'review'
        ORDER BY a.suspended_at, a.last_name, a.first_name LIMIT $2`,
      [tenantId, limit],
    );
  }

  /**
   * Contractors (primes: subcontractors are reviewed with their prime) whose next campaign is due
   * to open: one review period after their last certified campaign, or after their first activation.
   */
  dueToOpen(tenantId: string, periodMonths: number, openBefore: string): Promise<{ contractor_id: string; anchor: Date; due_on: string }[]> {
    return this.db.query(
      `WITH anchors AS (
         SELECT c.id AS contractor_id,
                coalesce((SELECT max(rc.certified_at) FROM review_campaigns rc WHERE rc.contractor_id = c.id AND rc.status = 'certified'),
                         (SELECT min(a.activated_at) FROM accounts a JOIN contractors s ON s.id = a.contractor_id
                           WHERE (s.id = c.id OR s.prime_contractor_id = c.id))) AS anchor
           FROM contractors c
          WHERE c.tenant_id = $1 AND c.prime_contractor_id IS NULL
            AND NOT EXISTS (SELECT 1 FROM review_campaigns rc WHERE rc.contractor_id = c.id AND rc.status <> 'certified')
       )
       -- R-ART34: a campaign opened late (first deployment, a shortened period, a stopped worker) still gives the
       -- contractor the whole lead time ($3 = today + lead): a due date in the past would suspend at once.
       SELECT contractor_id, anchor, greatest((anchor + make_interval(months => $2))::date, $3::date) AS due_on
         FROM anchors WHERE anchor IS NOT NULL AND (anchor + make_interval(months => $2))::date <= $3::date`,
      [tenantId, periodMonths, openBefore],
    );
  }
}
