import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DomainEventMap, DomainEvents, Role } from '@app/core';
import { TenantCalendar } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { ContractorsRepository } from './contractors.repository';
import { Directory } from './directory';
import './events';

const MANAGERS = ['legal_rep', 'security_contact', 'security_deputy'] as const;

/** R-ART10 e-mails: the attestation is due once a prestation ends; the DSI learns when it is received. */
@Injectable()
export class PrestationNotifications implements OnApplicationBootstrap {
  constructor(
    private readonly events: DomainEvents,
    private readonly repo: ContractorsRepository,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly calendar: TenantCalendar,
  ) {}

  /** After every module's own listeners (accounts deactivated first), as when the service sent these itself. */
  onApplicationBootstrap(): void {
    this.events.on('prestation.ended', (e) => this.ended(e));
    this.events.on('prestation.attested', (e) => this.attested(e));
  }

  private async ended(e: DomainEventMap['prestation.ended']): Promise<void> {
    const p = (await this.repo.prestationById(e.prestationId))!;
    await this.notifications.emailEach(await this.directory.contactsOf(e.contractorId, [...MANAGERS]), {
      tenantId: e.tenantId, template: 'attestation-required',
      data: {
        contractor: await this.directory.companyName(e.contractorId), prestation: p.title, endedOn: await this.calendar.today(e.tenantId),
        days: 0, contractorId: e.contractorId,
      },
      dedupeKey: `attestation:${p.id}:ended`,
    });
  }

  private async attested(e: DomainEventMap['prestation.attested']): Promise<void> {
    const p = (await this.repo.prestationById(e.prestationId))!;
    await this.notifications.emailEach(await this.directory.hospital(e.tenantId, [Role.Dsi]), {
      tenantId: e.tenantId, template: 'attestation-received',
      data: {
        contractor: await this.directory.companyName(e.contractorId), contractorId: e.contractorId, prestation: p.title, sha256: e.sha256,
      },
    });
  }
}
