import { Injectable } from '@nestjs/common';
import { AccountsService, RequestAccount } from '@app/accounts';
import { actorOf, AuditService, Clock, Db, ForbiddenError, isContractorManager, statusWord, UserPrincipal } from '@app/core';
import { ReviewErrors } from './errors';
import { Campaign, Decision } from './review-types';
import { ReviewsRepository } from './reviews.repository';
import { checkDecision, ReviewsService } from './reviews.service';
import { ReviewItemView, ReviewView } from './views';

/** R-ART34: the contractor's security contact (or deputy) attests the list item by item, adds who is missing, and submits. */
@Injectable()
export class ReviewAttestation {
  constructor(
    private readonly db: Db,
    private readonly repo: ReviewsRepository,
    private readonly reviews: ReviewsService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Keep, change the level (habilitations), or remove. */
  async decide(principal: UserPrincipal, id: string, itemId: string, decision: Decision, level?: string): Promise<ReviewItemView> {
    return this.db.transaction(async () => {
      const campaign = await this.attestable(principal, id);
      const item = await this.reviews.item(campaign, itemId);
      checkDecision(item, decision, level);
      // R-INT: the same attestation again changes nothing and is not audited twice.
      const newLevel = decision === 'change' ? level ?? null : null;
      if (item.decision === decision && item.newLevel === newLevel) return (await this.reviews.itemViews(campaign, [item]))[0];
      const decidedAt = this.clock.now();
      await this.repo.decide(itemId, decision, newLevel, principal.userId, decidedAt);
      await this.audit.record({
        tenantId: campaign.tenantId, actor: actorOf(principal), action: 'review.item_decided', targetType: 'review', targetId: id,
        after: { itemId, kind: item.kind, accountId: item.accountId, habilitationId: item.habilitationId, decision, level: level ?? null },
      });
      return (await this.reviews.itemViews(campaign, [{ ...item, decision, newLevel, decidedAt }]))[0];
    });
  }

  /** A person missing from the list: declared here, it becomes an account request (R-ART28) and an item of the campaign. */
  async addPerson(principal: UserPrincipal, id: string, person: RequestAccount): Promise<ReviewItemView> {
    return this.db.transaction(async () => {
      const campaign = await this.attestable(principal, id);
      const account = await this.accounts.request(principal, campaign.contractorId, person);
      const snapshot = { firstName: account.firstName, lastName: account.lastName, email: account.email, status: 'requested' };
      const item = await this.repo.addition(campaign, account.id, snapshot, principal.userId, this.clock.now());
      await this.audit.record({
        tenantId: campaign.tenantId, actor: actorOf(principal), action: 'review.person_added', targetType: 'review', targetId: id,
        after: { accountId: account.id },
      });
      return (await this.reviews.itemViews(campaign, [item]))[0];
    });
  }

  async submit(principal: UserPrincipal, id: string): Promise<ReviewView> {
    return this.db.transaction(async () => {
      const campaign = await this.attestable(principal, id);
      const undecided = await this.repo.undecided(id);
      if (undecided) throw ReviewErrors.error('REVIEW_INCOMPLETE', { count: undecided }, { undecided });
      await this.repo.submitted(id, principal.userId, this.clock.now());
      await this.audit.record({ tenantId: campaign.tenantId, actor: actorOf(principal), action: 'review.submitted', targetType: 'review',
        targetId: id });
      return this.reviews.current(campaign);
    });
  }

  private async attestable(principal: UserPrincipal, id: string): Promise<Campaign> {
    const campaign = await this.reviews.visible(principal, id, 'declare', true);
    if (!isContractorManager(principal) || !principal.contractorId) {
      throw new ForbiddenError(ReviewErrors.text('ATTESTED_BY_CONTACT'));
    }
    if (campaign.status !== 'open') throw ReviewErrors.error('REVIEW_NOT_OPEN', { status: statusWord(campaign.status) },
      { currentStatus: campaign.status });
    return campaign;
  }
}
