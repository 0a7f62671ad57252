import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '@app/core';
import { NotificationsService } from '@app/notifications';
import './events';
import { TenantsRepository } from './tenants/tenants.repository';

/** R-NOT the e-mails of identity's events, written to the outbox in the emitter's transaction. */
@Injectable()
export class IdentityNotifications implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly notifications: NotificationsService,
    private readonly tenants: TenantsRepository,
  ) {}

  onModuleInit(): void {
    this.events.on('user.invitation_issued', async (e) => {
      await this.notifications.email({
        tenantId: e.tenantId, to: e.email, template: 'invitation', locale: e.locale,
        data: {
          firstName: e.firstName, tenantName: e.tenantName, expiresAt: e.expiresAt, link: e.link, roles: e.roles,
          existingAccount: e.existingAccount,
          ...(await this.zone(e.tenantId)),
        },
      });
    });
    this.events.on('user.locked', async (e) => {
      await this.notifications.email({
        tenantId: e.tenantId, to: e.email, template: 'account-locked', locale: e.locale,
        data: { firstName: e.firstName, until: e.until, ...(await this.zone(e.tenantId)) },
      });
    });
    this.events.on('user.password_changed', async (e) => {
      await this.notifications.email({
        tenantId: e.tenantId, to: e.email, template: 'password-changed', locale: e.locale,
        data: { firstName: e.firstName, at: e.at, ...(await this.zone(e.tenantId)) },
      });
    });
    this.events.on('user.mfa_reset', async (e) => {
      const { firstName, at, reason, link, expiresAt, byOperator } = e;
      await this.notifications.email({
        tenantId: e.tenantId, to: e.email, template: 'mfa-reset', locale: e.locale,
        data: { firstName, at, reason, link, expiresAt, ...(byOperator ? { byOperator } : {}), ...(await this.zone(e.tenantId)) },
      });
    });
    this.events.on('user.mfa_reset_by_operator', async ({ tenantId, person, email, tenant, operator, reason, at, recipients }) => {
      await this.notifications.emailEach(recipients, {
        tenantId, template: 'mfa-reset-by-operator', data: { person, email, tenant, operator, reason, at, ...(await this.zone(tenantId)) },
      });
    });
    this.events.on('user.mfa_reset_requested', async ({ tenantId, person, email, userId, requester, reason, at, recipients }) => {
      await this.notifications.emailEach(recipients, {
        tenantId, template: 'mfa-reset-requested', data: { person, email, userId, requester, reason, at, ...(await this.zone(tenantId)) },
      });
    });
  }

  /** The establishment's time zone, in which the e-mail shows its instants ("12 décembre 2026 à 22:25", R-L10N). */
  private async zone(tenantId: string | null): Promise<{ timeZone?: string }> {
    return tenantId ? { timeZone: (await this.tenants.policyOf(tenantId)).businessHours.timezone } : {};
  }
}
