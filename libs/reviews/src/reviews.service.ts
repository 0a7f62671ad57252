import { Injectable } from '@nestjs/common';
import { AccountEntity, AccountsService, RequestAccount } from '@app/accounts';
import {
  Actor, actorOf, addDays, AuditService, bindTo, Clock, ConflictError, Db, ForbiddenError, hasRole, Keyset, NotFoundError, Page,
  PageQuery, Principal, Role, SYSTEM_ACTOR, UserPrincipal, ValidationFailed,
} from '@app/core';
import { ContractorAccess } from '@app/contractors';
import { TenantCalendar, TenantsService } from '@app/identity';
import { ReviewsRepository } from './reviews.repository';
import { CampaignRow, ItemRow, ReviewItemView, ReviewView, toReviewView } from './views';

/** R-ART34: a campaign opens this many days before its due date (the anniversary). */
export const REVIEW_LEAD_DAYS = 30;

type Decision = 'keep' | 'change' | 'remove';

export type CampaignStatus = CampaignRow['status'];
export const CAMPAIGN_STATUSES: CampaignStatus[] = ['open', 'submitted', 'certified'];

export interface ReviewFilter {
  contractorId?: string;
  status?: CampaignStatus;
}

/** Campaigns, latest opened first; the scheduler opens many at the same instant, the id orders those (index review_campaigns_list_idx). */
const LATEST = new Keyset('DESC', [['openedAt', 'opened_at', 'instant'], ['id', 'id', 'uuid']]);

/**
 * R-ART34 (charter Art. 34: "tous les 12 mois la liste à jour des personnes habilitées ... ainsi
 * que leur niveau d'habilitation"). A campaign per contractor and review period snapshots every
 * account of the contractor and its subcontractors with their habilitations; the contractor's
 * security contact (or deputy) decides item by item and submits; the RSSI certifies, and only
 * then are removals and level changes applied.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ReviewsRepository,
    private readonly access: ContractorAccess,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly tenants: TenantsService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  /** The DSI or the RSSI opens a campaign now (the scheduler opens them on time). */
  async openNow(principal: UserPrincipal, contractorId: string): Promise<ReviewView> {
    return this.db.transaction(async () => {
      const contractor = await this.access.require(principal, contractorId, 'read');
      if (contractor.primeContractorId) {
        throw new ConflictError('REVIEWED_WITH_PRIME', 'A subcontractor is reviewed within its prime contractor\'s campaign (R-ART4)');
      }
      const [inProgress] = await this.db.query(`SELECT id FROM review_campaigns WHERE contractor_id = $1 AND status <> 'certified'`, [contractorId]);
      if (inProgress) throw new ConflictError('REVIEW_IN_PROGRESS', 'A campaign of this contractor is already in progress');
      const today = await this.calendar.today(contractor.tenantId);
      const [last] = await this.db.query<{ at: Date }>(`SELECT max(certified_at) AS at FROM review_campaigns WHERE contractor_id = $1`, [contractorId]);
      const [campaign] = await this.repo.open(contractor.tenantId, [{
        contractorId, periodStart: last?.at ?? contractor.createdAt, dueOn: addDays(today, REVIEW_LEAD_DAYS),
      }], principal.userId, this.clock.now(), today);
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'review.opened', targetType: 'review', targetId: campaign.id,
        after: { contractorId, dueOn: campaign.due_on },
      });
      return this.view(campaign, today);
    });
  }

  /** Scheduler: opens, set-based, every campaign due in each tenant (R-ART34 "tous les 12 mois"). */
  async openDue(): Promise<number> {
    let opened = 0;
    for (const { id: tenantId } of await this.db.query<{ id: string }>(`SELECT id FROM tenants`)) {
      const policy = await this.tenants.policyOf(tenantId);
      const today = await this.calendar.today(tenantId);
      const due = await this.repo.dueToOpen(tenantId, policy.reviewPeriodMonths, addDays(today, REVIEW_LEAD_DAYS));
      if (!due.length) continue;
      await this.db.transaction(async () => {
        const campaigns = await this.repo.open(tenantId, due.map((d) => ({ contractorId: d.contractor_id, periodStart: d.anchor, dueOn: d.due_on })), null, this.clock.now(), today);
        for (const c of campaigns) {
          await this.audit.record({ tenantId, actor: SYSTEM_ACTOR, action: 'review.opened', targetType: 'review', targetId: c.id, after: { contractorId: c.contractor_id, dueOn: c.due_on } });
        }
        opened += campaigns.length;
      });
    }
    return opened;
  }

  async list(principal: UserPrincipal, filter: ReviewFilter, page: PageQuery): Promise<Page<ReviewView>> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const where = [`tenant_id = ${bind(principal.tenantId)}`];
    // Only the company's own campaigns: a subcontractor is reviewed in its prime's campaign, which it cannot open (404).
    if (principal.contractorId) where.push(`contractor_id = ${bind(principal.contractorId)}`);
    // One company's campaigns, the caller's access to it checked first.
    if (filter.contractorId) {
      await this.access.require(principal, filter.contractorId, 'read');
      where.push(`contractor_id = ${bind(filter.contractorId)}`);
    }
    if (filter.status) where.push(`status = ${bind(filter.status)}`);
    where.push(LATEST.after(page.cursor, bind));
    const campaigns = await this.db.query<CampaignRow>(
      `SELECT * FROM review_campaigns WHERE ${where.join(' AND ')} ORDER BY ${LATEST.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
    const counts = await this.repo.counts(campaigns.map((c) => c.id));
    const today = await this.calendar.today(principal.tenantId!);
    return LATEST.page(campaigns, page.limit, (c) => toReviewView(c, counts.get(c.id) ?? { total: 0, decided: 0 }, today), (c) => ({ openedAt: c.opened_at, id: c.id }));
  }

  async get(principal: UserPrincipal, id: string): Promise<ReviewView> {
    const campaign = await this.visible(principal, id, 'read');
    return this.view(campaign, await this.calendar.today(campaign.tenant_id), true);
  }

  /** The contractor's attestation, item by item: keep, change the level (habilitations), or remove. */
  async decide(principal: UserPrincipal, id: string, itemId: string, decision: Decision, level?: string): Promise<ReviewItemView> {
    return this.db.transaction(async () => {
      const campaign = await this.attestable(principal, id);
      const item = await this.item(campaign, itemId);
      this.checkDecision(item, decision, level);
      // R-INT: the same attestation again changes nothing and is not audited twice.
      const newLevel = decision === 'change' ? level ?? null : null;
      if (item.decision === decision && item.new_level === newLevel) return (await this.itemViews(campaign, [item]))[0];
      const decidedAt = this.clock.now();
      await this.db.query(
        `UPDATE review_items SET decision = $2, new_level = $3, decided_by = $4, decided_at = $5 WHERE id = $1`,
        [itemId, decision, decision === 'change' ? level : null, principal.userId, decidedAt],
      );
      await this.audit.record({
        tenantId: campaign.tenant_id, actor: actorOf(principal), action: 'review.item_decided', targetType: 'review', targetId: id,
        after: { itemId, kind: item.kind, accountId: item.account_id, habilitationId: item.habilitation_id, decision, level: level ?? null },
      });
      return (await this.itemViews(campaign, [{ ...item, decision, new_level: decision === 'change' ? level ?? null : null, decided_at: decidedAt }]))[0];
    });
  }

  /** A person missing from the list: declared here, it becomes an account request (R-ART28) and an item of the campaign. */
  async addPerson(principal: UserPrincipal, id: string, person: RequestAccount): Promise<ReviewItemView> {
    return this.db.transaction(async () => {
      const campaign = await this.attestable(principal, id);
      const account = await this.accounts.request(principal, campaign.contractor_id, person);
      const [item] = await this.db.query<ItemRow>(
        `INSERT INTO review_items (campaign_id, tenant_id, kind, account_id, snapshot, decision, decided_by, decided_at)
         VALUES ($1, $2, 'addition', $3, $4, 'keep', $5, $6) RETURNING *`,
        [id, campaign.tenant_id, account.id, JSON.stringify({ firstName: account.firstName, lastName: account.lastName, email: account.email, status: 'requested' }),
          principal.userId, this.clock.now()],
      );
      await this.audit.record({
        tenantId: campaign.tenant_id, actor: actorOf(principal), action: 'review.person_added', targetType: 'review', targetId: id, after: { accountId: account.id },
      });
      return (await this.itemViews(campaign, [item]))[0];
    });
  }

  async submit(principal: UserPrincipal, id: string): Promise<ReviewView> {
    return this.db.transaction(async () => {
      const campaign = await this.attestable(principal, id);
      const [{ undecided }] = await this.db.query<{ undecided: number }>(
        `SELECT count(*)::int AS undecided FROM review_items WHERE campaign_id = $1 AND decision IS NULL`, [id],
      );
      if (undecided) throw new ConflictError('REVIEW_INCOMPLETE', `${undecided} item(s) have no decision yet`, { undecided });
      await this.db.query(`UPDATE review_campaigns SET status = 'submitted', submitted_at = $2, submitted_by = $3 WHERE id = $1`, [id, this.clock.now(), principal.userId]);
      await this.audit.record({ tenantId: campaign.tenant_id, actor: actorOf(principal), action: 'review.submitted', targetType: 'review', targetId: id });
      return this.view((await this.repo.campaign(campaign.tenant_id, id))!, await this.calendar.today(campaign.tenant_id));
    });
  }

  /** The RSSI may override a contractor's decision before certifying. */
  async override(principal: UserPrincipal, id: string, itemId: string, decision: Decision, level?: string): Promise<ReviewItemView> {
    return this.db.transaction(async () => {
      const campaign = await this.certifiable(principal, id);
      const item = await this.item(campaign, itemId);
      this.checkDecision(item, decision, level);
      const rssiLevel = decision === 'change' ? level ?? null : null;
      if (item.rssi_decision === decision && item.rssi_level === rssiLevel) return (await this.itemViews(campaign, [item]))[0];
      await this.db.query(`UPDATE review_items SET rssi_decision = $2, rssi_level = $3, rssi_by = $4 WHERE id = $1`, [itemId, decision, decision === 'change' ? level : null, principal.userId]);
      await this.audit.record({
        tenantId: campaign.tenant_id, actor: actorOf(principal), action: 'review.item_overridden', targetType: 'review', targetId: id,
        before: { decision: item.decision, level: item.new_level }, after: { itemId, decision, level: level ?? null },
      });
      return (await this.itemViews(campaign, [{ ...item, rssi_decision: decision, rssi_level: decision === 'change' ? level ?? null : null }]))[0];
    });
  }

  /** Certification applies the final decisions (removals deactivate, level changes update) and resumes accounts suspended for this review. */
  async certify(principal: UserPrincipal, id: string): Promise<ReviewView> {
    return this.db.transaction(async () => {
      const campaign = await this.certifiable(principal, id);
      const actor = actorOf(principal);
      const reason = `access review ${id}`;
      for (const item of await this.repo.items(id)) {
        const decision = item.rssi_decision ?? item.decision;
        const level = item.rssi_level ?? item.new_level;
        if (item.kind === 'account' && decision === 'remove') {
          const account = await this.db.manager.getRepository(AccountEntity).findOneBy({ id: item.account_id! });
          if (account) await this.accounts.deactivate(account, actor, reason);
        } else if (item.kind === 'habilitation' && decision === 'remove') {
          await this.changeHabilitation(campaign, item, actor, { status: 'revoked', revoked_at: this.clock.now(), reason });
        } else if (item.kind === 'habilitation' && decision === 'change' && level !== item.snapshot.level) {
          await this.changeHabilitation(campaign, item, actor, { level, reason });
        }
        await this.db.query(`UPDATE review_items SET applied_at = $2 WHERE id = $1`, [item.id, this.clock.now()]);
      }
      const suspended = await this.db.manager.getRepository(AccountEntity).createQueryBuilder('a')
        .where("a.status = 'suspended' AND a.suspension_kind = 'review' AND a.id IN (SELECT account_id FROM review_items WHERE campaign_id = :id)", { id })
        .getMany();
      for (const { id: accountId } of suspended) {
        // R-INT: the DSI may have resumed or suspended it otherwise meanwhile: only a review suspension ends here.
        const account = await this.accounts.lockedIf(accountId, 'resumed');
        if (account?.suspensionKind === 'review') await this.accounts.resumeAccount(account, actor, `${reason} certified`);
      }
      await this.db.query(`UPDATE review_campaigns SET status = 'certified', certified_at = $2, certified_by = $3 WHERE id = $1`, [id, this.clock.now(), principal.userId]);
      await this.audit.record({ tenantId: campaign.tenant_id, actor, action: 'review.certified', targetType: 'review', targetId: id });
      return this.view((await this.repo.campaign(campaign.tenant_id, id))!, await this.calendar.today(campaign.tenant_id));
    });
  }

  private async changeHabilitation(campaign: CampaignRow, item: ItemRow, actor: Actor, changes: Record<string, unknown>): Promise<void> {
    const keys = Object.keys(changes).filter((k) => k !== 'reason');
    const changed = await this.db.query(
      `UPDATE habilitations SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')}, reason = $${keys.length + 2} WHERE id = $1 AND status = 'approved' RETURNING id`,
      [item.habilitation_id, ...keys.map((k) => changes[k]), changes.reason],
    );
    // R-INT: revoked meanwhile by the DSI: nothing changed, nothing to audit.
    if (!changed.length) return;
    await this.audit.record({
      tenantId: campaign.tenant_id, actor, action: changes.status === 'revoked' ? 'habilitation.revoked' : 'habilitation.level_changed',
      targetType: 'habilitation', targetId: item.habilitation_id, before: { level: item.snapshot.level, status: 'approved' },
      after: { ...changes, campaignId: campaign.id },
    });
  }

  private checkDecision(item: ItemRow, decision: Decision, level?: string): void {
    if (item.kind === 'addition') throw new ConflictError('ITEM_NOT_DECIDABLE', 'A person added during the campaign goes through the account approval');
    if (decision === 'change' && item.kind !== 'habilitation') {
      throw new ValidationFailed('Only a habilitation has a level to change', [{ field: 'decision', message: 'keep or remove a person' }]);
    }
    if (decision === 'change' && !level) throw new ValidationFailed('A change needs the new level', [{ field: 'level', message: 'read, operate or admin' }]);
  }

  private async item(campaign: CampaignRow, itemId: string): Promise<ItemRow> {
    const [item] = await this.db.query<ItemRow>(`SELECT * FROM review_items WHERE id = $1 AND campaign_id = $2`, [itemId, campaign.id]);
    if (!item) throw new NotFoundError('Review item');
    return item;
  }

  private async attestable(principal: UserPrincipal, id: string): Promise<CampaignRow> {
    const campaign = await this.visible(principal, id, 'declare', true);
    if (!hasRole(principal, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy) || !principal.contractorId) {
      throw new ForbiddenError('The contractor\'s security contact or deputy attests the list');
    }
    if (campaign.status !== 'open') throw new ConflictError('REVIEW_NOT_OPEN', `This campaign is ${campaign.status}`, { currentStatus: campaign.status });
    return campaign;
  }

  private async certifiable(principal: UserPrincipal, id: string): Promise<CampaignRow> {
    if (!hasRole(principal, Role.Rssi)) throw new ForbiddenError('The RSSI certifies campaigns');
    const campaign = await this.visible(principal, id, 'read', true);
    if (campaign.status !== 'submitted') {
      throw new ConflictError('REVIEW_NOT_SUBMITTED', `This campaign is ${campaign.status}`, { currentStatus: campaign.status });
    }
    return campaign;
  }

  async visible(principal: Principal, id: string, need: 'read' | 'declare', forUpdate = false): Promise<CampaignRow> {
    const campaign = principal.tenantId ? await this.repo.campaign(principal.tenantId, id, forUpdate && this.db.inTransaction) : undefined;
    if (!campaign) throw new NotFoundError('Review');
    await this.access.require(principal, campaign.contractor_id, need).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Review') : error;
    });
    return campaign;
  }

  async view(campaign: CampaignRow, today: string, withItems = false): Promise<ReviewView> {
    const counts = (await this.repo.counts([campaign.id])).get(campaign.id) ?? { total: 0, decided: 0 };
    const items = withItems ? await this.itemViews(campaign, await this.repo.items(campaign.id)) : undefined;
    return toReviewView(campaign, counts, today, items);
  }

  /** Items with what changed since the last certified campaign and the last use in the period (unused accounts, never-used habilitations). */
  async itemViews(campaign: CampaignRow, items: ItemRow[]): Promise<ReviewItemView[]> {
    const previous = await this.db.query<{ account_id: string; habilitation_id: string | null; level: string | null }>(
      `SELECT i.account_id, i.habilitation_id, i.snapshot->>'level' AS level FROM review_items i
        WHERE i.campaign_id = (SELECT id FROM review_campaigns WHERE contractor_id = $1 AND status = 'certified' AND id <> $2 AND opened_at < $3
                                 ORDER BY certified_at DESC LIMIT 1)`,
      [campaign.contractor_id, campaign.id, campaign.opened_at],
    );
    const accountIds = [...new Set(items.map((i) => i.account_id).filter((x): x is string => !!x))];
    // R-INT R-ART34 a use is what happened by the certification (or now): an allow about the present (a gateway's `at`
    // within a minute of when it asked, as DecisionsService starts a window), not a question about another instant.
    const until = campaign.certified_at ?? this.clock.now();
    const usage = await this.db.query<{ account_id: string; resource_id: string | null; whole: number; last: Date }>(
      `SELECT account_id, resource_id, grouping(resource_id) AS whole, max(at) AS last FROM (
         SELECT account_id, resource_id, least(at, decided_at) AS at FROM access_decisions
          WHERE account_id = ANY($1::uuid[]) AND decision = 'allow' AND at >= $2
            AND at BETWEEN decided_at - interval '1 minute' AND decided_at + interval '1 minute'
         UNION ALL
         SELECT account_id, resource_id, started_at FROM connection_events WHERE tenant_id = $3 AND account_id = ANY($1::uuid[]) AND outcome = 'success' AND started_at >= $2
       ) u WHERE at <= $4 GROUP BY GROUPING SETS ((account_id, resource_id), (account_id))`,
      [accountIds, campaign.period_start, campaign.tenant_id, until],
    );
    return items.map((i) => {
      const before = previous.find((p) => (i.kind === 'habilitation' ? p.habilitation_id === i.habilitation_id : p.account_id === i.account_id && !p.habilitation_id));
      const last = usage.find((u) => u.account_id === i.account_id && (i.kind === 'habilitation' ? u.resource_id === i.snapshot.resourceId : u.whole === 1));
      return {
        id: i.id, kind: i.kind, accountId: i.account_id, habilitationId: i.habilitation_id, snapshot: i.snapshot, decision: i.decision,
        newLevel: i.new_level, decidedAt: i.decided_at ? new Date(i.decided_at).toISOString() : null, rssiDecision: i.rssi_decision,
        rssiLevel: i.rssi_level, sinceLastCampaign: !previous.length || !before ? 'new' : before.level !== (i.snapshot.level ?? null) ? 'changed' : 'unchanged',
        lastUsedAt: last ? new Date(last.last).toISOString() : null,
      };
    });
  }
}
