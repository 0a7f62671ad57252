import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents, SYSTEM_ACTOR } from '@app/core';
import { PrestationsService } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { AccountLifecycle } from './account-lifecycle';
import { AccountsRepository } from './accounts.repository';
import { DeparturesService } from './departures.service';

/** How accounts follow the other libraries' events, inside the emitter's transaction. */
@Injectable()
export class AccountReactions implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly accounts: AccountsRepository,
    private readonly lifecycle: AccountLifecycle,
    private readonly departures: DeparturesService,
    private readonly prestations: PrestationsService,
    private readonly calendar: TenantCalendar,
  ) {}

  onModuleInit(): void {
    // An account becomes active as soon as its last requirement is met, whichever comes last.
    this.events.on('signature.validated', async (e) => {
      if (e.accountId) await this.lifecycle.tryActivate(e.accountId, SYSTEM_ACTOR);
      else await this.activateAll(await this.accounts.approvedOf({ contractorId: e.contractorId }));
    });
    this.events.on('user.mfa_enrolled', async (e) => this.activateAll(await this.accounts.approvedOf({ userId: e.userId })));
    // R-ART10: a contractor with no prestation left loses its accounts.
    this.events.on('prestation.ended', async (e) => {
      const today = await this.calendar.today(e.tenantId);
      if ((await this.prestations.running(e.contractorId, today)).length) return;
      for (const a of await this.accounts.openOfContractor(e.contractorId)) {
        await this.lifecycle.deactivate(a.id, SYSTEM_ACTOR, `end of prestation: ${e.reason}`);
      }
    });
    this.events.on('contractor.person_named', (e) => this.departures.refuseDeparted(e));
  }

  private async activateAll(accounts: { id: string }[]): Promise<void> {
    for (const a of accounts) await this.lifecycle.tryActivate(a.id, SYSTEM_ACTOR);
  }
}
