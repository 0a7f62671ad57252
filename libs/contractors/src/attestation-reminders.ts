import { Injectable } from '@nestjs/common';
import { daysBetween, localDate, Role } from '@app/core';
import { TenantCalendar, TenantsService } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { ContractorsRepository } from './contractors.repository';
import { Directory } from './directory';
import { PrestationEntity } from './entities';

/** R-ART10: days after the end when the contractor is reminded, and when the DSI and RSSI are told. */
export const ATTESTATION_REMINDER_DAYS = [7, 14, 21];
export const ATTESTATION_ESCALATION_DAYS = 30;

/** Scheduler (daily, idempotent by de-duplication keys): missing destruction attestations are reminded, then escalated. */
@Injectable()
export class AttestationReminders {
  constructor(
    private readonly repo: ContractorsRepository,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly calendar: TenantCalendar,
    private readonly tenants: TenantsService,
  ) {}

  async run(): Promise<number> {
    let reminded = 0;
    for (const p of await this.repo.endedWithoutAttestation()) reminded += await this.remind(p);
    return reminded;
  }

  private async remind(p: PrestationEntity): Promise<number> {
    const policy = await this.tenants.policyOf(p.tenantId);
    const endedOn = localDate(p.endedAt!, policy.businessHours.timezone);
    const days = daysBetween(endedOn, await this.calendar.today(p.tenantId));
    const contractor = await this.directory.companyName(p.contractorId);
    const data = { contractor, contractorId: p.contractorId, prestation: p.title, endedOn, days };
    let sent = 0;
    const step = [...ATTESTATION_REMINDER_DAYS].reverse().find((d) => days >= d);
    if (step !== undefined) {
      const contacts = await this.directory.contactsOf(p.contractorId, ['legal_rep', 'security_contact', 'security_deputy']);
      await this.notifications.emailEach(contacts, {
        tenantId: p.tenantId, template: 'attestation-required', data, dedupeKey: `attestation:${p.id}:reminder:${step}`,
      });
      sent++;
    }
    if (days >= ATTESTATION_ESCALATION_DAYS) {
      await this.notifications.emailEach(await this.directory.hospital(p.tenantId, [Role.Dsi, Role.Rssi]), {
        tenantId: p.tenantId, template: 'attestation-overdue', data, dedupeKey: `attestation:${p.id}:escalation`,
      });
      sent++;
    }
    return sent;
  }
}
