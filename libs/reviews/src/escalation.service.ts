import { Injectable } from '@nestjs/common';
import { AccountEntity, AccountsService } from '@app/accounts';
import { AuditService, daysBetween, Db, lockRow, Role, SYSTEM_ACTOR } from '@app/core';
import { Directory } from '@app/contractors';
import { TenantCalendar, TenantsRepository } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { CampaignRow } from './views';

/**
 * R-ART34 escalation (scheduler, hourly, idempotent): reminders before the due date to whoever
 * still has items to decide; once overdue, the deputy and the RSSI; after the tenant's grace
 * period, every account not attested is suspended (or deactivated, for a stricter tenant).
 * Silence never keeps access.
 */
@Injectable()
export class ReviewEscalation {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountsService,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly tenants: TenantsRepository,
    private readonly calendar: TenantCalendar,
  ) {}

  async runDaily(): Promise<void> {
    const open = await this.db.query<CampaignRow & { undecided: number }>(
      `SELECT c.*, (SELECT count(*)::int FROM review_items i WHERE i.campaign_id = c.id AND i.decision IS NULL) AS undecided
         FROM review_campaigns c WHERE c.status = 'open'`,
    );
    for (const campaign of open) {
      if (!campaign.undecided) continue;
      const policy = await this.tenants.policyOf(campaign.tenant_id);
      const today = await this.calendar.today(campaign.tenant_id);
      const daysLeft = daysBetween(today, campaign.due_on);
      const contractor = await this.directory.companyName(campaign.contractor_id);
      const data = { contractor, dueOn: campaign.due_on, undecided: campaign.undecided, daysLeft: Math.max(daysLeft, 0) };
      if (daysLeft >= 0) {
        const step = [...policy.reviewReminderDays].sort((a, b) => a - b).find((d) => daysLeft <= d);
        if (step !== undefined) {
          await this.notifications.emailEach(await this.directory.contactsOf(campaign.contractor_id, ['security_contact']), {
            tenantId: campaign.tenant_id, template: 'review-reminder', data, dedupeKey: `review:${campaign.id}:d${step}`,
          });
        }
        continue;
      }
      await this.notifications.emailEach([
        ...(await this.directory.contactsOf(campaign.contractor_id, ['security_contact', 'security_deputy'])),
        ...(await this.directory.hospital(campaign.tenant_id, [Role.Rssi])),
      ], { tenantId: campaign.tenant_id, template: 'review-overdue', data, dedupeKey: `review:${campaign.id}:overdue` });
      if (-daysLeft > policy.reviewGraceDays && !campaign.overdue_suspended_at) await this.silence(campaign, policy.reviewSilence, contractor);
    }
  }

  /** After the grace period: the accounts nobody attested lose their access (never "keep" by default). */
  private async silence(campaign: CampaignRow, mode: 'suspend' | 'deactivate', legalName: string): Promise<void> {
    await this.db.transaction(async () => {
      // R-INT: one silence per campaign, even if two schedulers run at once; each account is checked again under its lock.
      await lockRow(this.db, 'review_campaigns', campaign.id);
      const [current] = await this.db.query<{ status: string; overdue_suspended_at: Date | null }>(
        `SELECT status, overdue_suspended_at FROM review_campaigns WHERE id = $1`, [campaign.id],
      );
      if (current.status !== 'open' || current.overdue_suspended_at) return;
      const accounts = await this.db.manager.getRepository(AccountEntity).createQueryBuilder('a')
        .where(`a.id IN (SELECT account_id FROM review_items WHERE campaign_id = :id AND kind = 'account' AND decision IS NULL)`, { id: campaign.id })
        .andWhere("a.status IN ('approved', 'active')")
        .getMany();
      const reason = `access review overdue (campaign ${campaign.id}, due ${campaign.due_on})`;
      for (const account of accounts) {
        if (mode === 'deactivate') await this.accounts.deactivate(account, SYSTEM_ACTOR, reason);
        else if (await this.accounts.lockedIf(account.id, 'suspended')) await this.accounts.suspendAccount(account, SYSTEM_ACTOR, 'review', reason, null);
      }
      await this.db.query(`UPDATE review_campaigns SET overdue_suspended_at = now() WHERE id = $1`, [campaign.id]);
      await this.audit.record({
        tenantId: campaign.tenant_id, actor: SYSTEM_ACTOR, action: mode === 'deactivate' ? 'review.silence_deactivated' : 'review.silence_suspended',
        targetType: 'review', targetId: campaign.id, after: { accounts: accounts.map((a) => a.id), contractor: legalName },
      });
    });
  }
}
