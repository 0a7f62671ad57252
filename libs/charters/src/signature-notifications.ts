import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DomainEventMap, DomainEvents, Role } from '@app/core';
import { Directory } from '@app/contractors';
import { NotificationsService } from '@app/notifications';
import { ChartersRepository } from './charters.repository';
import { DocumentEntity } from './entities';
import './events';

/** R-ART2 e-mails: the DSI learns that a signed document waits; the company's contacts learn the DSI's decision. */
@Injectable()
export class SignatureNotifications implements OnApplicationBootstrap {
  constructor(
    private readonly events: DomainEvents,
    private readonly repo: ChartersRepository,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
  ) {}

  /** After every module's own listeners, as when the service sent these itself. */
  onApplicationBootstrap(): void {
    this.events.on('signature.submitted', (e) => this.submitted(e));
    this.events.on('signature.decided', (e) => this.decided(e));
  }

  private async submitted(e: DomainEventMap['signature.submitted']): Promise<void> {
    const doc = await this.document(e);
    await this.notifications.emailEach(await this.directory.hospital(e.tenantId, [Role.Dsi]), {
      tenantId: e.tenantId, template: 'signature-submitted',
      data: {
        contractor: await this.directory.companyName(e.contractorId), document: doc.title, version: doc.versionLabel,
        signer: e.signer,
      },
    });
  }

  private async decided(e: DomainEventMap['signature.decided']): Promise<void> {
    const contractor = await this.directory.companyName(e.contractorId);
    const doc = await this.document(e);
    const contacts = await this.directory.contactsOf(e.contractorId, ['legal_rep', 'security_contact', 'security_deputy']);
    await this.notifications.emailEach(contacts, {
      tenantId: e.tenantId, template: 'signature-decided',
      data: { contractor, document: doc.title, version: doc.versionLabel, decision: e.status, reason: e.reason },
    });
  }

  private async document(e: { tenantId: string; documentId: string }): Promise<DocumentEntity> {
    return (await this.repo.document(e, e.documentId))!;
  }
}
