import { Injectable } from '@nestjs/common';
import { actorOf, Clock, Db, DomainEvents, Lifecycle, Transactional, UserPrincipal } from '@app/core';
import { AccountAccess } from './account-access';
import { AccountLifecycle } from './account-lifecycle';
import { AccountsRepository } from './accounts.repository';
import { DeparturesRepository } from './departures.repository';
import { AccountStatus } from './entities';
import { AccountView, toAccountView } from './views';

/** Only an account closed by a departure that still stands can be reinstated. */
type Standing = AccountStatus | 'departed';
const REINSTATING = new Lifecycle<Standing, 'reinstated'>('Account', 'ACCOUNT_NOT_DEPARTED', { reinstated: ['departed'] });

/**
 * R-ART35 R-INT: a departure is final for the contractor; only the DSI reinstates the person (a departure declared
 * by mistake, a person back in the company). The account goes back to where the departure found it and becomes
 * active again as soon as it is ready; the RSSI and downstream systems are told (AccountNotifications).
 */
@Injectable()
export class ReinstatementService {
  constructor(
    readonly db: Db,
    private readonly access: AccountAccess,
    private readonly accounts: AccountsRepository,
    private readonly departures: DeparturesRepository,
    private readonly lifecycle: AccountLifecycle,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async reinstate(principal: UserPrincipal, id: string, reason: string): Promise<AccountView> {
    await this.lifecycle.lockedAny(id);
    const account = await this.access.require(principal, id, 'administer');
    const departure = await this.departures.lockStandingOf(id);
    REINSTATING.check(account.status === 'deactivated' && departure ? 'departed' : account.status, 'reinstated');
    const now = this.clock.now();
    await this.departures.reinstate(id, now, principal.userId, reason.trim());
    await this.lifecycle.reinstate(account, actorOf(principal), reason.trim(), departure!.id);
    await this.events.emit('account.reinstated', {
      tenantId: account.tenantId, accountId: id, reason: reason.trim(), departedOn: departure!.effectiveOn, by: principal.email,
      reinstatedAt: now,
    });
    return toAccountView(await this.accounts.get(id));
  }
}
