import { Injectable } from '@nestjs/common';
import { AccountLifecycle, Level, ScopesService } from '@app/accounts';
import { actorOf, AuditService, Clock, Db, ForbiddenError, hasRole, Role, statusWord, Transactional, UserPrincipal } from '@app/core';
import { ReviewErrors } from './errors';
import { Campaign, Decision } from './review-types';
import { ReviewsRepository } from './reviews.repository';
import { checkDecision, ReviewsService } from './reviews.service';
import { ReviewItemView, ReviewView } from './views';

/** R-ART34: the RSSI may override the contractor's decisions, then certifies: only then are removals and level changes applied. */
@Injectable()
export class ReviewCertification {
  constructor(
    readonly db: Db,
    private readonly repo: ReviewsRepository,
    private readonly reviews: ReviewsService,
    private readonly lifecycle: AccountLifecycle,
    private readonly scopes: ScopesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async override(principal: UserPrincipal, id: string, itemId: string, decision: Decision, level?: string): Promise<ReviewItemView> {
    const campaign = await this.certifiable(principal, id);
    const item = await this.reviews.item(campaign, itemId);
    checkDecision(item, decision, level);
    const rssiLevel = decision === 'change' ? level ?? null : null;
    if (item.rssiDecision === decision && item.rssiLevel === rssiLevel) return (await this.reviews.itemViews(campaign, [item]))[0];
    await this.repo.override(itemId, decision, rssiLevel, principal.userId);
    await this.audit.record({
      tenantId: campaign.tenantId, actor: actorOf(principal), action: 'review.item_overridden', targetType: 'review', targetId: id,
      before: { decision: item.decision, level: item.newLevel }, after: { itemId, decision, level: level ?? null },
    });
    return (await this.reviews.itemViews(campaign, [{ ...item, rssiDecision: decision, rssiLevel }]))[0];
  }

  /** Applies the final decisions (removals deactivate, level changes update) and resumes accounts suspended for this review. */
  @Transactional()
  async certify(principal: UserPrincipal, id: string): Promise<ReviewView> {
    const campaign = await this.certifiable(principal, id);
    const actor = actorOf(principal);
    const reason = `access review ${id}`;
    for (const item of await this.repo.items(id)) {
      const decision = item.rssiDecision ?? item.decision;
      const level = item.rssiLevel ?? item.newLevel;
      if (item.kind === 'account' && decision === 'remove') {
        await this.lifecycle.deactivate(item.accountId!, actor, reason);
      } else if (item.kind === 'habilitation' && decision === 'remove') {
        await this.scopes.applyReview(campaign.tenantId, item.habilitationId!, { revoke: true }, actor, id, item.snapshot.level);
      } else if (item.kind === 'habilitation' && decision === 'change' && level !== item.snapshot.level) {
        await this.scopes.applyReview(campaign.tenantId, item.habilitationId!, { level: level as Level }, actor, id, item.snapshot.level);
      }
      await this.repo.markApplied(item.id, this.clock.now());
    }
    for (const accountId of await this.repo.suspendedForCampaign(id)) {
      // R-INT: the DSI may have resumed or suspended it otherwise meanwhile: only a review suspension ends here.
      const account = await this.lifecycle.lockedIf(accountId, 'resumed');
      if (account?.suspensionKind === 'review') await this.lifecycle.resume(accountId, actor, `${reason} certified`);
    }
    await this.repo.certified(id, principal.userId, this.clock.now());
    await this.audit.record({ tenantId: campaign.tenantId, actor, action: 'review.certified', targetType: 'review', targetId: id });
    return this.reviews.current(campaign);
  }

  private async certifiable(principal: UserPrincipal, id: string): Promise<Campaign> {
    if (!hasRole(principal, Role.Rssi)) throw new ForbiddenError(ReviewErrors.text('CERTIFIED_BY_RSSI'));
    const campaign = await this.reviews.visible(principal, id, 'read', true);
    if (campaign.status !== 'submitted') {
      throw ReviewErrors.error('REVIEW_NOT_SUBMITTED', { status: statusWord(campaign.status) }, { currentStatus: campaign.status });
    }
    return campaign;
  }
}
