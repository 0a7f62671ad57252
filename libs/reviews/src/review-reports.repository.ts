import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';
import { Campaign, CampaignRow, toCampaign } from './review-types';

export interface DashboardCampaignRow extends Campaign {
  contractor: string;
  undecided: number;
  total: number;
}

export interface SuspendedForReview {
  accountId: string;
  firstName: string;
  lastName: string;
  email: string;
  contractor: string;
  suspendedAt: Date;
  campaignId: string | null;
  total: number;
}

export interface Usage {
  accountId: string;
  resourceId: string | null;
  whole: number;
  last: Date;
}

/** What the dashboard, the item views and the evidence read about campaigns and around them (read only). */
@Injectable()
export class ReviewReportsRepository {
  constructor(private readonly db: Db) {}

  /** Dashboard: campaigns of the tenant by state. */
  async statusCounts(scope: TenantScope): Promise<Record<Campaign['status'], number>> {
    const rows = await this.db.query<{ status: Campaign['status']; n: number }>(
      `SELECT status, count(*)::int AS n FROM review_campaigns WHERE tenant_id = $1 GROUP BY status`, [scope.tenantId],
    );
    return { open: 0, submitted: 0, certified: 0, ...Object.fromEntries(rows.map((r) => [r.status, r.n])) };
  }

  /** Dashboard: open campaigns past their due date (oldest first), or submitted ones waiting for the RSSI, with the total. */
  async campaignsIn(scope: TenantScope, which: 'overdue' | 'to_certify', today: string, limit: number): Promise<DashboardCampaignRow[]> {
    const where = which === 'overdue' ? `c.status = 'open' AND c.due_on < $3::date` : `c.status = 'submitted'`;
    const rows = await this.db.query<CampaignRow & { contractor: string; undecided: number; total: number }>(
      `SELECT c.*, co.legal_name AS contractor, count(*) OVER ()::int AS total,
              (SELECT count(*)::int FROM review_items i WHERE i.campaign_id = c.id AND i.decision IS NULL) AS undecided
         FROM review_campaigns c JOIN contractors co ON co.id = c.contractor_id
        WHERE c.tenant_id = $1 AND ${where}
        ORDER BY c.due_on, co.legal_name LIMIT $2`,
      which === 'overdue' ? [scope.tenantId, limit, today] : [scope.tenantId, limit],
    );
    return rows.map((r) => ({ ...toCampaign(r), contractor: r.contractor, undecided: r.undecided, total: r.total }));
  }

  /** Dashboard: accounts suspended because nobody attested them (R-ART34 silence), with the campaign that did it and the total. */
  async suspendedForReview(scope: TenantScope, limit: number): Promise<SuspendedForReview[]> {
    const rows = await this.db.query<{
      account_id: string; first_name: string; last_name: string; email: string; contractor: string; suspended_at: Date;
      campaign_id: string | null; total: number;
    }>(
      `SELECT a.id AS account_id, a.first_name, a.last_name, a.email, co.legal_name AS contractor, a.suspended_at,
              count(*) OVER ()::int AS total,
              (SELECT i.campaign_id FROM review_items i JOIN review_campaigns rc ON rc.id = i.campaign_id
                WHERE i.account_id = a.id AND rc.status <> 'certified' LIMIT 1) AS campaign_id
         FROM accounts a JOIN contractors co ON co.id = a.contractor_id
        WHERE a.tenant_id = $1 AND a.status = 'suspended' AND a.suspension_kind = 'review'
        ORDER BY a.suspended_at, a.last_name, a.first_name LIMIT $2`,
      [scope.tenantId, limit],
    );
    return rows.map((r) => ({
      accountId: r.account_id, firstName: r.first_name, lastName: r.last_name, email: r.email, contractor: r.contractor,
      suspendedAt: new Date(r.suspended_at), campaignId: r.campaign_id, total: r.total,
    }));
  }

  /** The contractor's certified campaign before this one (what "since the last campaign" compares with). */
  async previousCertified(campaign: Campaign): Promise<{ id: string; certifiedAt: Date } | undefined> {
    const [row] = await this.db.query<{ id: string; certified_at: Date }>(
      `SELECT id, certified_at FROM review_campaigns WHERE contractor_id = $1 AND status = 'certified' AND id <> $2 AND opened_at < $3
        ORDER BY certified_at DESC LIMIT 1`,
      [campaign.contractorId, campaign.id, campaign.openedAt],
    );
    return row && { id: row.id, certifiedAt: new Date(row.certified_at) };
  }

  /** The items of the previous certified campaign, with the level each habilitation had. */
  async previousItems(campaign: Campaign): Promise<{ accountId: string; habilitationId: string | null; level: string | null }[]> {
    const previous = await this.previousCertified(campaign);
    if (!previous) return [];
    const rows = await this.db.query<{ account_id: string; habilitation_id: string | null; level: string | null }>(
      `SELECT account_id, habilitation_id, snapshot->>'level' AS level FROM review_items WHERE campaign_id = $1`, [previous.id],
    );
    return rows.map((r) => ({ accountId: r.account_id, habilitationId: r.habilitation_id, level: r.level }));
  }

  /**
   * R-INT R-ART34: the last use of each account (whole) and of each of its resources from `since` to `until`: an allow
   * about the present (a gateway's `at` within a minute of when it asked), or a successful connection.
   */
  async usage(scope: TenantScope, accountIds: string[], since: Date, until: Date): Promise<Usage[]> {
    const rows = await this.db.query<{ account_id: string; resource_id: string | null; whole: number; last: Date }>(
      `SELECT account_id, resource_id, grouping(resource_id) AS whole, max(at) AS last FROM (
         SELECT account_id, resource_id, least(at, decided_at) AS at FROM access_decisions
          WHERE account_id = ANY($1::uuid[]) AND decision = 'allow' AND at >= $2
            AND at BETWEEN decided_at - interval '1 minute' AND decided_at + interval '1 minute'
         UNION ALL
         SELECT account_id, resource_id, started_at FROM connection_events
          WHERE tenant_id = $3 AND account_id = ANY($1::uuid[]) AND outcome = 'success' AND started_at >= $2
       ) u WHERE at <= $4 GROUP BY GROUPING SETS ((account_id, resource_id), (account_id))`,
      [accountIds, since, scope.tenantId, until],
    );
    return rows.map((r) => ({ accountId: r.account_id, resourceId: r.resource_id, whole: r.whole, last: new Date(r.last) }));
  }

  /** Evidence: people of the tenant by id, with their name and e-mail. */
  async people(ids: (string | null)[]): Promise<{ id: string; name: string; email: string }[]> {
    return this.db.query(
      `SELECT id, trim(first_name || ' ' || last_name) AS name, email FROM users WHERE id = ANY($1::uuid[])`, [ids.filter(Boolean)],
    );
  }

  async legalName(contractorId: string): Promise<string> {
    const [row] = await this.db.query<{ legal_name: string }>(`SELECT legal_name FROM contractors WHERE id = $1`, [contractorId]);
    return row.legal_name;
  }

  /** Evidence: the people and habilitations of the previous campaign that are no longer in this one. */
  async goneSince(previousId: string, campaignId: string): Promise<{ snapshot: Record<string, string | null>; kind: string }[]> {
    return this.db.query(
      `SELECT p.snapshot, p.kind FROM review_items p
        WHERE p.campaign_id = $1 AND p.kind <> 'addition'
          AND NOT EXISTS (SELECT 1 FROM review_items i WHERE i.campaign_id = $2 AND i.account_id = p.account_id
                             AND i.habilitation_id IS NOT DISTINCT FROM p.habilitation_id)
        ORDER BY p.snapshot->>'lastName', p.kind, p.snapshot->>'resource'`,
      [previousId, campaignId],
    );
  }
}
