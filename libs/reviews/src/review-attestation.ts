import { Injectable } from '@nestjs/common';
import { AccountsService, RequestAccount } from '@app/accounts';
import {
  actorOf, AuditService, Clock, Db, FieldError, ForbiddenError, isContractorManager, statusWord, Transactional, UserPrincipal,
  ValidationFailed,
} from '@app/core';
import { ReviewErrors } from './errors';
import { Campaign, Decision, Item, ItemDecision } from './review-types';
import { ReviewsRepository } from './reviews.repository';
import { checkDecision, decisionProblems, ReviewsService } from './reviews.service';
import { ReviewItemView, ReviewView } from './views';

/** R-ART34: the contractor's security contact (or deputy) attests the list item by item, adds who is missing, and submits. */
@Injectable()
export class ReviewAttestation {
  constructor(
    readonly db: Db,
    private readonly repo: ReviewsRepository,
    private readonly reviews: ReviewsService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Keep, change the level (habilitations), or remove. */
  @Transactional()
  async decide(principal: UserPrincipal, id: string, itemId: string, decision: Decision, level?: string): Promise<ReviewItemView> {
    const campaign = await this.attestable(principal, id);
    const item = await this.reviews.item(campaign, itemId);
    checkDecision(item, decision, level);
    const [decided] = await this.record(principal, campaign, [item], [{ itemId, decision, level }]);
    return (await this.reviews.itemViews(campaign, [decided]))[0];
  }

  /**
   * The whole list saved at once: one transaction under the campaign's lock, the items locked, all or nothing (an unknown
   * item or an impossible decision refuses the batch with each problem named). Answers the campaign with its items.
   */
  @Transactional()
  async decideAll(principal: UserPrincipal, id: string, decisions: ItemDecision[]): Promise<ReviewView> {
    const campaign = await this.attestable(principal, id);
    const ids = decisions.map((d) => d.itemId);
    const items = new Map((await this.repo.itemsForUpdate(id, ids)).map((i) => [i.id, i]));
    const problems: FieldError[] = [];
    decisions.forEach((d, index) => {
      const item = items.get(d.itemId);
      const field = `items.${index}.itemId`;
      if (!item) problems.push({ field, message: ReviewErrors.text('BATCH_ITEM_UNKNOWN', {}, 'field') });
      else if (ids.indexOf(d.itemId) !== index) problems.push({ field, message: ReviewErrors.text('BATCH_ITEM_TWICE', {}, 'field') });
      else problems.push(...decisionProblems(item, d, index));
    });
    if (problems.length) throw new ValidationFailed(ReviewErrors.text('BATCH_REFUSED'), problems);
    await this.record(principal, campaign, decisions.map((d) => items.get(d.itemId)!), decisions);
    return this.reviews.get(principal, id);
  }

  /** R-INT: the same decision again changes nothing and is not audited twice; answers each item as it now stands. */
  private async record(principal: UserPrincipal, campaign: Campaign, items: Item[], decisions: ItemDecision[]): Promise<Item[]> {
    const decidedAt = this.clock.now();
    const result = items.map((item, i) => {
      const { decision, level } = decisions[i];
      const newLevel = decision === 'change' ? level ?? null : null;
      return item.decision === decision && item.newLevel === newLevel ? item : { ...item, decision, newLevel, decidedAt };
    });
    const changed = result.filter((r, i) => r !== items[i]);
    if (!changed.length) return result;
    await this.repo.decideAll(changed.map((c) => ({ id: c.id, decision: c.decision!, level: c.newLevel })), principal.userId, decidedAt);
    for (const item of changed) {
      await this.audit.record({
        tenantId: campaign.tenantId, actor: actorOf(principal), action: 'review.item_decided', targetType: 'review', targetId: campaign.id,
        after: { itemId: item.id, kind: item.kind, accountId: item.accountId, habilitationId: item.habilitationId, decision: item.decision,
          level: item.newLevel },
      });
    }
    return result;
  }

  /** A person missing from the list: declared here, it becomes an account request (R-ART28) and an item of the campaign. */
  @Transactional()
  async addPerson(principal: UserPrincipal, id: string, person: RequestAccount): Promise<ReviewItemView> {
    const campaign = await this.attestable(principal, id);
    const account = await this.accounts.request(principal, campaign.contractorId, person);
    const snapshot = { firstName: account.firstName, lastName: account.lastName, email: account.email, status: 'requested' };
    const item = await this.repo.addition(campaign, account.id, snapshot, principal.userId, this.clock.now());
    await this.audit.record({
      tenantId: campaign.tenantId, actor: actorOf(principal), action: 'review.person_added', targetType: 'review', targetId: id,
      after: { accountId: account.id },
    });
    return (await this.reviews.itemViews(campaign, [item]))[0];
  }

  /** R-ART34: every item decided, the contact submits with the statement it ticked (kept with who and when). */
  @Transactional()
  async submit(principal: UserPrincipal, id: string, statement: string): Promise<ReviewView> {
    const campaign = await this.attestable(principal, id);
    const undecided = await this.repo.undecided(id);
    if (undecided) throw ReviewErrors.error('REVIEW_INCOMPLETE', { count: undecided }, { undecided });
    await this.repo.submitted(id, principal.userId, this.clock.now(), statement.trim());
    await this.audit.record({ tenantId: campaign.tenantId, actor: actorOf(principal), action: 'review.submitted', targetType: 'review',
      targetId: id, after: { statement: statement.trim() } });
    return this.reviews.current(campaign);
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
