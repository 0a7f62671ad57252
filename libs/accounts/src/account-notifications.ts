import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEventMap, DomainEvents, Role } from '@app/core';
import { Directory } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { NotificationsService, WebhooksService } from '@app/notifications';
import { AccountsRepository } from './accounts.repository';
import './events';

/** The e-mails and webhooks of the accounts library, sent inside the transaction of the change they announce (outbox). */
@Injectable()
export class AccountNotifications implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly accounts: AccountsRepository,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhooksService,
    private readonly calendar: TenantCalendar,
  ) {}

  onModuleInit(): void {
    this.events.on('account.suspended', (e) => this.suspended(e));
    this.events.on('account.resumed', async (e) => {
      const account = await this.accounts.get(e.accountId);
      await this.webhooks.publish(e.tenantId, 'account.resumed', { accountId: account.id, contractorId: account.contractorId,
        status: e.status });
    });
    this.events.on('account.deactivated', (e) => this.deactivated(e));
    this.events.on('account.reinstated', (e) => this.reinstated(e));
    this.events.on('incident.reported', (e) => this.incident(e));
  }

  /** The person and the company's security contacts; downstream systems through `account.suspended`. */
  private async suspended(e: DomainEventMap['account.suspended']): Promise<void> {
    const account = await this.accounts.get(e.accountId);
    const contractor = await this.legalName(account.contractorId);
    const data = {
      person: `${account.firstName} ${account.lastName}`, contractor, contractorId: account.contractorId, reason: e.reason,
      resumeOn: e.resumeOn,
    };
    await this.notifications.emailEach([
      { email: account.email, locale: 'fr' as const },
      ...(await this.directory.contactsOf(account.contractorId, ['security_contact', 'security_deputy'])),
    ], { tenantId: e.tenantId, template: 'account-suspended', data });
    await this.webhooks.publish(e.tenantId, 'account.suspended', {
      accountId: account.id, contractorId: account.contractorId, kind: e.kind, reason: e.reason, resumeOn: e.resumeOn,
    });
  }

  /** R-ART35 R-ART10 R-ART34: the DSI is told; downstream systems close the access through `account.deactivated`. */
  private async deactivated(e: DomainEventMap['account.deactivated']): Promise<void> {
    const account = await this.accounts.get(e.accountId);
    await this.notifications.emailEach(await this.directory.hospital(e.tenantId, [Role.Dsi]), {
      tenantId: e.tenantId, template: 'account-deactivated',
      data: {
        person: `${account.firstName} ${account.lastName}`, contractor: await this.legalName(account.contractorId), reason: e.reason,
        contractorId: account.contractorId, effectiveOn: await this.calendar.today(e.tenantId),
      },
    });
    await this.webhooks.publish(e.tenantId, 'account.deactivated', {
      accountId: account.id, contractorId: account.contractorId, email: account.email, reason: e.reason,
      deactivatedAt: account.deactivatedAt?.toISOString(),
    });
  }

  /** R-ART35 R-INT: the RSSI is told; downstream systems through `account.reinstated`. */
  private async reinstated(e: DomainEventMap['account.reinstated']): Promise<void> {
    const account = await this.accounts.get(e.accountId);
    await this.notifications.emailEach(await this.directory.hospital(e.tenantId, [Role.Rssi]), {
      tenantId: e.tenantId, template: 'account-reinstated',
      data: {
        person: `${account.firstName} ${account.lastName}`, contractor: await this.legalName(account.contractorId),
        contractorId: account.contractorId, departedOn: e.departedOn,
        reason: e.reason, by: e.by,
      },
    });
    await this.webhooks.publish(e.tenantId, 'account.reinstated', {
      accountId: account.id, contractorId: account.contractorId, email: account.email, reason: e.reason,
      reinstatedAt: e.reinstatedAt.toISOString(),
    });
  }

  /** R-ART5: the RSSI and the company's security contacts (and its RSSI) are alerted. */
  private async incident(e: DomainEventMap['incident.reported']): Promise<void> {
    const account = e.accountId ? await this.accounts.get(e.accountId) : null;
    const recipients = [
      ...(await this.directory.hospital(e.tenantId, [Role.Rssi])),
      ...(e.contractorId ? await this.directory.contactsOf(e.contractorId, ['security_contact', 'security_deputy', 'rssi']) : []),
    ];
    await this.notifications.emailEach(recipients, {
      tenantId: e.tenantId, template: 'incident-reported',
      data: {
        contractor: e.contractorId ? await this.legalName(e.contractorId) : '—', kind: e.kind, description: e.description,
        reporter: e.reporter,
        person: account ? `${account.firstName} ${account.lastName}` : null, suspended: e.accountSuspended,
      },
    });
    await this.webhooks.publish(e.tenantId, 'incident.reported', {
      incidentId: e.incidentId, kind: e.kind, contractorId: e.contractorId, accountId: e.accountId, accountSuspended: e.accountSuspended,
    });
  }

  private legalName(contractorId: string): Promise<string> {
    return this.directory.companyName(contractorId);
  }
}
