import { Injectable } from '@nestjs/common';
import {
  actorOf, addDays, AuditService, Clock, Db, FieldError, NotFoundError, Page, PageQuery, Principal, SYSTEM_ACTOR, Transactional,
  UserPrincipal, ValidationFailed,
} from '@app/core';
import { ContractorAccess } from '@app/contractors';
import { TenantCalendar, TenantsService } from '@app/identity';
import { ReviewErrors } from './errors';
import { ReviewReportsRepository } from './review-reports.repository';
import { Campaign, Decision, Item } from './review-types';
import { LATEST, ReviewsRepository } from './reviews.repository';
import { ReviewItemView, ReviewView, toReviewView } from './views';

/** R-ART34: a campaign opens this many days before its due date (the anniversary). */
export const REVIEW_LEAD_DAYS = 30;

export type CampaignStatus = Campaign['status'];
export const CAMPAIGN_STATUSES: CampaignStatus[] = ['open', 'submitted', 'certified'];

export interface ReviewFilter {
  contractorId?: string;
  status?: CampaignStatus;
}

/** An item's decision is possible: an addition goes through the account approval; only a habilitation changes level. */
export function checkDecision(item: Item, decision: Decision, level?: string): void {
  if (item.kind === 'addition') throw ReviewErrors.error('ITEM_NOT_DECIDABLE');
  if (decision === 'change' && item.kind !== 'habilitation') {
    throw ReviewErrors.invalid('LEVEL_ONLY_FOR_HABILITATION', 'decision');
  }
  if (decision === 'change' && !level) throw ReviewErrors.invalid('CHANGE_NEEDS_LEVEL', 'level');
}

/** What stops a decision of a batch (`items.<index>`): the same rules as checkDecision, as field problems. */
export function decisionProblems(item: Item, d: { decision: Decision; level?: string }, index: number): FieldError[] {
  const at = `items.${index}`;
  if (item.kind === 'addition') {
    return [{ field: `${at}.itemId`, message: ReviewErrors.text('ITEM_NOT_DECIDABLE') }];
  }
  if (d.decision === 'change' && item.kind !== 'habilitation') {
    return [{ field: `${at}.decision`, message: ReviewErrors.text('LEVEL_ONLY_FOR_HABILITATION', {}, 'field') }];
  }
  if (d.decision === 'change' && !d.level) return [{ field: `${at}.level`, message: ReviewErrors.text('CHANGE_NEEDS_LEVEL', {}, 'field') }];
  return [];
}

/**
 * R-ART34 (charter Art. 34): a campaign per contractor and review period snapshots every account of the contractor
 * and its subcontractors with their habilitations; the security contact attests item by item (ReviewAttestation),
 * the RSSI certifies (ReviewCertification). This class opens campaigns and reads them.
 */
@Injectable()
export class ReviewsService {
  constructor(
    readonly db: Db,
    private readonly repo: ReviewsRepository,
    private readonly reports: ReviewReportsRepository,
    private readonly access: ContractorAccess,
    private readonly audit: AuditService,
    private readonly tenants: TenantsService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  /** The DSI or the RSSI opens a campaign now (the scheduler opens them on time). */
  @Transactional()
  async openNow(principal: UserPrincipal, contractorId: string): Promise<ReviewView> {
    const contractor = await this.access.require(principal, contractorId, 'read');
    if (contractor.primeContractorId) throw ReviewErrors.error('REVIEWED_WITH_PRIME');
    if (await this.repo.inProgress(contractorId)) throw ReviewErrors.error('REVIEW_IN_PROGRESS');
    const today = await this.calendar.today(contractor.tenantId);
    const last = await this.repo.lastCertifiedAt(contractorId);
    const [campaign] = await this.repo.open({ tenantId: contractor.tenantId }, [{
      contractorId, periodStart: last ?? contractor.createdAt, dueOn: addDays(today, REVIEW_LEAD_DAYS),
    }], principal.userId, this.clock.now(), today);
    await this.audit.record({
      tenantId: contractor.tenantId, actor: actorOf(principal), action: 'review.opened', targetType: 'review', targetId: campaign.id,
      after: { contractorId, dueOn: campaign.dueOn },
    });
    return this.view(campaign, today);
  }

  /** Scheduler: opens, set-based, every campaign due in each tenant (R-ART34 "tous les 12 mois"). */
  async openDue(): Promise<number> {
    let opened = 0;
    for (const tenantId of await this.repo.tenantIds()) {
      const policy = await this.tenants.policyOf(tenantId);
      const today = await this.calendar.today(tenantId);
      const due = await this.repo.dueToOpen({ tenantId }, policy.reviewPeriodMonths, addDays(today, REVIEW_LEAD_DAYS));
      if (!due.length) continue;
      await this.db.transaction(async () => {
        const campaigns = await this.repo.open({ tenantId }, due, null, this.clock.now(), today);
        for (const c of campaigns) {
          await this.audit.record({
            tenantId, actor: SYSTEM_ACTOR, action: 'review.opened', targetType: 'review', targetId: c.id,
            after: { contractorId: c.contractorId, dueOn: c.dueOn },
          });
        }
        opened += campaigns.length;
      });
    }
    return opened;
  }

  /** Only the company's own campaigns: a subcontractor is reviewed in its prime's campaign, which it cannot open (404). */
  async list(principal: UserPrincipal, filter: ReviewFilter, page: PageQuery): Promise<Page<ReviewView>> {
    // One company's campaigns, the caller's access to it checked first.
    if (filter.contractorId) await this.access.require(principal, filter.contractorId, 'read');
    const campaigns = await this.repo.list({ tenantId: principal.tenantId!, contractorId: principal.contractorId }, filter, page);
    const counts = await this.repo.counts(campaigns.map((c) => c.id));
    const names = await this.repo.legalNames([...new Set(campaigns.map((c) => c.contractorId))]);
    const today = await this.calendar.today(principal.tenantId!);
    const toView = (c: Campaign) => toReviewView(c, names.get(c.contractorId) ?? '', counts.get(c.id) ?? { total: 0, decided: 0 }, today);
    return LATEST.page(campaigns, page.limit, toView, (c) => ({ openedAt: c.openedAt, id: c.id }));
  }

  async get(principal: UserPrincipal, id: string): Promise<ReviewView> {
    const campaign = await this.visible(principal, id, 'read');
    return this.view(campaign, await this.calendar.today(campaign.tenantId), true);
  }

  async visible(principal: Principal, id: string, need: 'read' | 'declare', forUpdate = false): Promise<Campaign> {
    const campaign = principal.tenantId ? await this.repo.campaign({ tenantId: principal.tenantId }, id,
      forUpdate && this.db.inTransaction) : undefined;
    if (!campaign) throw new NotFoundError('Review');
    await this.access.require(principal, campaign.contractorId, need).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Review') : error;
    });
    return campaign;
  }

  /** The item of a campaign, or 404. */
  async item(campaign: Campaign, itemId: string): Promise<Item> {
    const item = await this.repo.item(campaign.id, itemId);
    if (!item) throw new NotFoundError('Review item');
    return item;
  }

  /** The campaign as it stands now (read again), in the tenant's day. */
  async current(campaign: Campaign): Promise<ReviewView> {
    return this.view((await this.repo.campaign({ tenantId: campaign.tenantId }, campaign.id))!,
      await this.calendar.today(campaign.tenantId));
  }

  async view(campaign: Campaign, today: string, withItems = false): Promise<ReviewView> {
    const counts = (await this.repo.counts([campaign.id])).get(campaign.id) ?? { total: 0, decided: 0 };
    const items = withItems ? await this.itemViews(campaign, await this.repo.items(campaign.id)) : undefined;
    const names = await this.repo.legalNames([campaign.contractorId]);
    return toReviewView(campaign, names.get(campaign.contractorId) ?? '', counts, today, items);
  }

  /** Items with what changed since the last certified campaign and their last use in the period (unused accounts and habilitations). */
  async itemViews(campaign: Campaign, items: Item[]): Promise<ReviewItemView[]> {
    const previous = await this.reports.previousItems(campaign);
    const accountIds = [...new Set(items.map((i) => i.accountId).filter((x): x is string => !!x))];
    // R-INT R-ART34: a use is what happened by the certification (or now), as DecisionsService dates an allow.
    const usage = await this.reports.usage({ tenantId: campaign.tenantId }, accountIds, campaign.periodStart,
      campaign.certifiedAt ?? this.clock.now());
    return items.map((i) => {
      const habilitation = i.kind === 'habilitation';
      const before = previous.find((p) => (habilitation
        ? p.habilitationId === i.habilitationId
        : p.accountId === i.accountId && !p.habilitationId));
      const last = usage.find((u) => u.accountId === i.accountId
        && (habilitation ? u.resourceId === i.snapshot.resourceId : u.whole === 1));
      const since = !previous.length || !before ? 'new' : before.level !== (i.snapshot.level ?? null) ? 'changed' : 'unchanged';
      return {
        id: i.id, kind: i.kind, accountId: i.accountId, habilitationId: i.habilitationId, snapshot: i.snapshot, decision: i.decision,
        newLevel: i.newLevel, decidedAt: i.decidedAt?.toISOString() ?? null, rssiDecision: i.rssiDecision, rssiLevel: i.rssiLevel,
        sinceLastCampaign: since, lastUsedAt: last ? last.last.toISOString() : null,
      };
    });
  }
}
