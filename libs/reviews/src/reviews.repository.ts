import { Injectable } from '@nestjs/common';
import { bindTo, Db, equalities, Keyset, PageQuery, TenantScope } from '@app/core';
import { Campaign, CampaignRow, Decision, Item, ItemRow, toCampaign, toItem } from './review-types';

/** Campaigns, latest opened first; the scheduler opens many at the same instant, the id orders those (index review_campaigns_list_idx). */
export const LATEST = new Keyset('DESC', [['openedAt', 'opened_at', 'instant'], ['id', 'id', 'uuid']]);

export interface CampaignToOpen {
  contractorId: string;
  periodStart: Date;
  dueOn: string;
}

export interface CampaignQuery {
  contractorId?: string;
  status?: Campaign['status'];
}

/** Only this class writes the review tables. Campaign opening is set-based (no query per account). */
@Injectable()
export class ReviewsRepository {
  constructor(private readonly db: Db) {}

  async campaign(scope: TenantScope, id: string, forUpdate = false): Promise<Campaign | undefined> {
    const [row] = await this.db.query<CampaignRow>(
      `SELECT * FROM review_campaigns WHERE id = $1 AND tenant_id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [id, scope.tenantId],
    );
    return row && toCampaign(row);
  }

  /** A page of LATEST (limit + 1 rows); a contractor person's scope keeps to its company. */
  async list(scope: TenantScope, filter: CampaignQuery, page: PageQuery): Promise<Campaign[]> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const where = [`tenant_id = ${bind(scope.tenantId)}`];
    where.push(...equalities(bind, [
      ['contractor_id', scope.contractorId], ['contractor_id', filter.contractorId], ['status', filter.status],
    ]));
    where.push(LATEST.after(page.cursor, bind));
    const rows = await this.db.query<CampaignRow>(
      `SELECT * FROM review_campaigns WHERE ${where.join(' AND ')} ORDER BY ${LATEST.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
    return rows.map(toCampaign);
  }

  async inProgress(contractorId: string): Promise<boolean> {
    return (await this.db.query(`SELECT id FROM review_campaigns WHERE contractor_id = $1 AND status <> 'certified'`,
      [contractorId])).length > 0;
  }

  async lastCertifiedAt(contractorId: string): Promise<Date | null> {
    const [last] = await this.db.query<{ at: Date | null }>(
      `SELECT max(certified_at) AS at FROM review_campaigns WHERE contractor_id = $1`, [contractorId],
    );
    return last?.at ?? null;
  }

  /** Every tenant, for the scheduler (the tenants table belongs to identity: read only). */
  async tenantIds(): Promise<string[]> {
    return (await this.db.query<{ id: string }>(`SELECT id FROM tenants`)).map((r) => r.id);
  }

  /** The items by kind and name (`byPerson`: by name first, as the evidence lists them). */
  async items(campaignId: string, byPerson = false): Promise<Item[]> {
    const order = byPerson
      ? `snapshot->>'lastName', kind, snapshot->>'resource'`
      : `kind, snapshot->>'lastName', snapshot->>'resource', id`;
    return (await this.db.query<ItemRow>(`SELECT * FROM review_items WHERE campaign_id = $1 ORDER BY ${order}`, [campaignId])).map(toItem);
  }

  async item(campaignId: string, id: string): Promise<Item | undefined> {
    const [row] = await this.db.query<ItemRow>(`SELECT * FROM review_items WHERE id = $1 AND campaign_id = $2`, [id, campaignId]);
    return row && toItem(row);
  }

  async counts(campaignIds: string[]): Promise<Map<string, { total: number; decided: number }>> {
    const rows = await this.db.query<{ campaign_id: string; total: number; decided: number }>(
      `SELECT campaign_id, count(*)::int AS total, count(decision)::int AS decided FROM review_items
        WHERE campaign_id = ANY($1::uuid[]) GROUP BY campaign_id`,
      [campaignIds],
    );
    return new Map(rows.map((r) => [r.campaign_id, { total: r.total, decided: r.decided }]));
  }

  async undecided(campaignId: string): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM review_items WHERE campaign_id = $1 AND decision IS NULL`, [campaignId],
    );
    return n;
  }

  async override(id: string, decision: Decision, level: string | null, by: string): Promise<void> {
    await this.db.query(`UPDATE review_items SET rssi_decision = $2, rssi_level = $3, rssi_by = $4 WHERE id = $1`, [id, decision, level,
      by]);
  }

  /** A person declared during the campaign: kept, as an account request goes through the DSI's approval. */
  async addition(campaign: Campaign, accountId: string, snapshot: Record<string, unknown>, by: string, at: Date): Promise<Item> {
    const [row] = await this.db.query<ItemRow>(
      `INSERT INTO review_items (campaign_id, tenant_id, kind, account_id, snapshot, decision, decided_by, decided_at)
       VALUES ($1, $2, 'addition', $3, $4, 'keep', $5, $6) RETURNING *`,
      [campaign.id, campaign.tenantId, accountId, JSON.stringify(snapshot), by, at],
    );
    return toItem(row);
  }

  async markApplied(itemId: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE review_items SET applied_at = $2 WHERE id = $1`, [itemId, at]);
  }

  async submitted(id: string, by: string, at: Date, statement: string): Promise<void> {
    await this.db.query(`UPDATE review_campaigns SET status = 'submitted', submitted_at = $2, submitted_by = $3, attestation_statement = $4
      WHERE id = $1`, [id, at, by, statement]);
  }

  /** The listed items of a campaign, locked in id order (a batch of decisions). */
  async itemsForUpdate(campaignId: string, ids: string[]): Promise<Item[]> {
    return (await this.db.query<ItemRow>(
      `SELECT * FROM review_items WHERE campaign_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`, [campaignId, ids],
    )).map(toItem);
  }

  /** Several decisions in one statement. */
  async decideAll(decisions: { id: string; decision: Decision; level: string | null }[], by: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE review_items i SET decision = d.decision, new_level = d.level, decided_by = $4, decided_at = $5
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS d(id, decision, level) WHERE i.id = d.id`,
      [decisions.map((d) => d.id), decisions.map((d) => d.decision), decisions.map((d) => d.level), by, at],
    );
  }

  /** Legal names of companies by id (campaign lists). */
  async legalNames(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.db.query<{ id: string; legal_name: string }>(
      `SELECT id, legal_name FROM contractors WHERE id = ANY($1::uuid[])`, [ids],
    );
    return new Map(rows.map((r) => [r.id, r.legal_name]));
  }

  async certified(id: string, by: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE review_campaigns SET status = 'certified', certified_at = $2, certified_by = $3 WHERE id = $1`, [id, at,
      by]);
  }

  /** R-ART34 silence, once per campaign: locks it and answers whether it is still open and not silenced yet. */
  async lockForSilence(id: string): Promise<boolean> {
    const [row] = await this.db.query<{ status: string; overdue_suspended_at: Date | null }>(
      `SELECT status, overdue_suspended_at FROM review_campaigns WHERE id = $1 FOR UPDATE`, [id],
    );
    return row?.status === 'open' && !row.overdue_suspended_at;
  }

  async silenced(id: string): Promise<void> {
    await this.db.query(`UPDATE review_campaigns SET overdue_suspended_at = now() WHERE id = $1`, [id]);
  }

  /** Open campaigns with their number of undecided items (the escalation's work list). */
  async openWithUndecided(): Promise<(Campaign & { undecided: number; contractor: string })[]> {
    const rows = await this.db.query<CampaignRow & { undecided: number; contractor: string }>(
      `SELECT c.*, co.legal_name AS contractor,
              (SELECT count(*)::int FROM review_items i WHERE i.campaign_id = c.id AND i.decision IS NULL) AS undecided
         FROM review_campaigns c JOIN contractors co ON co.id = c.contractor_id WHERE c.status = 'open'`,
    );
    return rows.map((r) => ({ ...toCampaign(r), undecided: r.undecided, contractor: r.contractor }));
  }

  /** The accounts of a campaign nobody attested, still approved or active (R-ART34 silence). */
  async unattested(campaignId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT a.id FROM accounts a
        WHERE a.id IN (SELECT account_id FROM review_items WHERE campaign_id = $1 AND kind = 'account' AND decision IS NULL)
          AND a.status IN ('approved', 'active')`,
      [campaignId],
    );
    return rows.map((r) => r.id);
  }

  /** The accounts of a campaign suspended for the review (suspension kind 'review'). */
  async suspendedForCampaign(campaignId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT a.id FROM accounts a
        WHERE a.status = 'suspended' AND a.suspension_kind = 'review'
          AND a.id IN (SELECT account_id FROM review_items WHERE campaign_id = $1)`,
      [campaignId],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Opens one campaign per listed contractor and snapshots, in three statements whatever their
   * number, every living account of the contractor and its subcontractors and each in-force habilitation.
   */
  async open(scope: TenantScope, contractors: CampaignToOpen[], openedBy: string | null, now: Date, today: string): Promise<Campaign[]> {
    if (!contractors.length) return [];
    const campaigns = await this.db.query<CampaignRow>(
      `INSERT INTO review_campaigns (tenant_id, contractor_id, status, period_start, opened_at, opened_by, due_on)
       SELECT $1, c, 'open', p, $2, $3, d FROM unnest($4::uuid[], $5::timestamptz[], $6::date[]) AS x(c, p, d)
       RETURNING *`,
      [scope.tenantId, now, openedBy, contractors.map((c) => c.contractorId), contractors.map((c) => c.periodStart),
        contractors.map((c) => c.dueOn)],
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
              jsonb_build_object('firstName', a.first_name, 'lastName', a.last_name, 'email', a.email, 'resourceId', r.id, 'resource',
                r.name,
                                 'accessType', h.access_type, 'level', h.level, 'endsOn', h.ends_on, 'company', co.legal_name)
         FROM review_campaigns rc
         JOIN contractors co ON co.id = rc.contractor_id OR co.prime_contractor_id = rc.contractor_id
         JOIN accounts a ON a.contractor_id = co.id AND a.status IN ('approved', 'active', 'suspended')
         JOIN habilitations h ON h.account_id = a.id AND h.status = 'approved' AND (h.ends_on IS NULL OR h.ends_on >= $2::date)
         JOIN resources r ON r.id = h.resource_id
        WHERE rc.id = ANY($1::uuid[])`,
      [ids, today],
    );
    return campaigns.map(toCampaign);
  }

  /**
   * Contractors (primes: subcontractors are reviewed with their prime) whose next campaign is due
   * to open: one review period after their last certified campaign, or after their first activation.
   */
  async dueToOpen(scope: TenantScope, periodMonths: number, openBefore: string): Promise<CampaignToOpen[]> {
    const rows = await this.db.query<{ contractor_id: string; anchor: Date; due_on: string }>(
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
      [scope.tenantId, periodMonths, openBefore],
    );
    return rows.map((r) => ({ contractorId: r.contractor_id, periodStart: r.anchor, dueOn: r.due_on }));
  }
}
