import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEventMap, DomainEvents, Role } from '@app/core';
import { Directory } from '@app/contractors';
import { TenantsService } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { WindowOutcome } from './events';
import { ReferentsRepository } from './referents.repository';
import { ReferentsService } from './referents.service';
import { WindowScopeRepository } from './window-scope.repository';

/** The word the contractor's e-mail uses for each outcome. */
const OUTCOME_WORDS: Record<WindowOutcome, string> = {
  approved: 'approuvée', rejected: 'refusée', confirmed: 'confirmée', challenged: 'contestée', cancelled: 'annulée',
};

/** The e-mails of windows and reports (R-ART36, R-ART42), sent in the transaction of the change that causes them. */
@Injectable()
export class InterventionNotifications implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly notifications: NotificationsService,
    private readonly directory: Directory,
    private readonly referents: ReferentsService,
    private readonly people: ReferentsRepository,
    private readonly scope: WindowScopeRepository,
    private readonly tenants: TenantsService,
  ) {}

  onModuleInit(): void {
    this.events.on('intervention.requested', (e) => this.requested(e));
    this.events.on('intervention.decided', (e) => this.decided(e));
    this.events.on('intervention.started', (e) => this.started(e));
    this.events.on('report.filed', (e) => this.reportFiled(e));
  }

  /** The referents; for an emergency, the DSI too. */
  private async requested({ tenantId, window: w }: DomainEventMap['intervention.requested']): Promise<void> {
    const recipients = [
      ...(await this.referents.recipients(w.contractorId, tenantId)),
      ...(w.emergency ? await this.directory.hospital(tenantId, [Role.Dsi]) : []),
    ];
    await this.notifications.emailEach(recipients, {
      tenantId, template: 'window-requested',
      data: {
        contractor: w.contractorName, nature: w.nature, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(),
        emergency: w.emergency, justification: w.justification, usageConflict: w.usageConflict, risks: w.risks,
        availabilityImpact: w.availabilityImpact,
      },
    });
  }

  /** The requester and the contractor's security contacts. */
  private async decided({ tenantId, window: w, outcome, reason }: DomainEventMap['intervention.decided']): Promise<void> {
    const requester = w.requestedBy ? await this.people.person(w.requestedBy) : [];
    const contacts = await this.directory.contactsOf(w.contractorId, ['security_contact', 'security_deputy']);
    await this.notifications.emailEach([...requester, ...contacts], {
      tenantId, template: 'window-decided',
      data: {
        contractor: w.contractorName, nature: w.nature, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(),
        decision: OUTCOME_WORDS[outcome], reason,
      },
    });
  }

  /** R-ART36: the referents and the DSI hear when an approved intervention actually starts (first allowed access). */
  private async started(e: DomainEventMap['intervention.started']): Promise<void> {
    const contractor = await this.scope.contractorName(e.contractorId);
    const who = await this.scope.names(e.accountId, e.resourceId);
    await this.notifications.emailEach([
      ...(await this.referents.recipients(e.contractorId, e.tenantId)),
      ...(await this.directory.hospital(e.tenantId, [Role.Dsi])),
    ], {
      tenantId: e.tenantId, template: 'intervention-started',
      data: { contractor, nature: e.nature, person: who.person, resource: who.resource, at: e.at.toISOString() },
    });
  }

  /** To the referents; after hours, also to the address registered beforehand, the same day (Art. 43). */
  private async reportFiled({ tenantId, window: w, report: r }: DomainEventMap['report.filed']): Promise<void> {
    const recipients = await this.referents.recipients(w.contractorId, tenantId);
    const policy = await this.tenants.policyOf(tenantId);
    if (w.outsideBusinessHours && policy.reportEmail) recipients.push({ email: policy.reportEmail, locale: policy.locale });
    await this.notifications.emailEach(recipients, {
      tenantId, template: 'report-filed',
      data: {
        contractor: w.contractorName, nature: w.nature, startsAt: w.startsAt.toISOString(), endsAt: w.endsAt.toISOString(),
        version: r.version, operations: r.operations, intervenants: r.intervenants.join(', '), actions: r.actions,
        difficulties: r.difficulties, referentsInformed: r.referentsInformed.join(', '),
      },
    });
  }
}
