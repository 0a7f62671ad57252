import { Injectable } from '@nestjs/common';
import { AccountLifecycle } from '@app/accounts';
import { AuditService, daysBetween, Db, Role, SYSTEM_ACTOR } from '@app/core';
import { Directory } from '@app/contractors';
import { TenantCalendar, TenantsService } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { Campaign } from './review-types';
import { ReviewsRepository } from './reviews.repository';

/**
 * R-ART34 escalation (scheduler, hourly, idempotent): reminders before the due date to whoever still has items to
 * decide; once overdue, the deputy and the RSSI; after the tenant's grace period, every account not attested is
 * suspended (or deactivated, for a stricter tenant). Silence never keeps access.
 */
@Injectable()
export class ReviewEscalation {
  constructor(
    private readonly db: Db,
    private readonly repo: ReviewsRepository,
    private readonly lifecycle: AccountLifecycle,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly tenants: TenantsService,
    private readonly calendar: TenantCalendar,
  ) {}

  async runDaily(): Promise<void> {
    for (const campaign of await this.repo.openWithUndecided()) {
      if (!campaign.undecided) continue;
      const policy = await this.tenants.policyOf(campaign.tenantId);
      const today = await this.calendar.today(campaign.tenantId);
      const daysLeft = daysBetween(today, campaign.dueOn);
      const data = {
        contractor: campaign.contractor, reviewId: campaign.id, dueOn: campaign.dueOn, undecided: campaign.undecided,
        daysLeft: Math.max(daysLeft, 0),
      };
      if (daysLeft >= 0) {
        const step = [...policy.reviewReminderDays].sort((a, b) => a - b).find((d) => daysLeft <= d);
        if (step !== undefined) {
          await this.notifications.emailEach(await this.directory.contactsOf(campaign.contractorId, ['security_contact']), {
            tenantId: campaign.tenantId, template: 'review-reminder', data, dedupeKey: `review:${campaign.id}:d${step}`,
          });
        }
        continue;
      }
      await this.notifications.emailEach([
        ...(await this.directory.contactsOf(campaign.contractorId, ['security_contact', 'security_deputy'])),
        ...(await this.directory.hospital(campaign.tenantId, [Role.Rssi])),
      ], { tenantId: campaign.tenantId, template: 'review-overdue', data, dedupeKey: `review:${campaign.id}:overdue` });
      if (-daysLeft > policy.reviewGraceDays && !campaign.overdueSuspendedAt) await this.silence(campaign, policy.reviewSilence,
        campaign.contractor);
    }
  }

  /** After the grace period: the accounts nobody attested lose their access (never "keep" by default). */
  private async silence(campaign: Campaign, mode: 'suspend' | 'deactivate', legalName: string): Promise<void> {
    await this.db.transaction(async () => {
      // R-INT: one silence per campaign, even if two schedulers run at once; each account is checked again under its lock.
      if (!(await this.repo.lockForSilence(campaign.id))) return;
      const accounts = await this.repo.unattested(campaign.id);
      const reason = `access review overdue (campaign ${campaign.id}, due ${campaign.dueOn})`;
      for (const id of accounts) {
        if (mode === 'deactivate') await this.lifecycle.deactivate(id, SYSTEM_ACTOR, reason);
        else if (await this.lifecycle.lockedIf(id, 'suspended')) await this.lifecycle.suspend(id, SYSTEM_ACTOR, 'review', reason, null);
      }
      await this.repo.silenced(campaign.id);
      await this.audit.record({
        tenantId: campaign.tenantId, actor: SYSTEM_ACTOR,
        action: mode === 'deactivate' ? 'review.silence_deactivated' : 'review.silence_suspended',
        targetType: 'review', targetId: campaign.id, after: { accounts, contractor: legalName },
      });
    });
  }
}
