import { Injectable } from '@nestjs/common';
import { Actor, AuditService, Clock, IsoDate, Lifecycle } from '@app/core';
import { TenantCalendar } from '@app/identity';
import { AccountLifecycle } from './account-lifecycle';
import { Departure, DeparturesRepository } from './departures.repository';
import { AccountEntity, AccountStatus } from './entities';

/** R-ART35 R-INT: an open account departs once; whoever declares it second learns that it is closed (409). */
export const DEPARTING = new Lifecycle<AccountStatus, 'declared departed'>('Account', 'ACCOUNT_CLOSED', {
  'declared departed': ['requested', 'approved', 'active', 'suspended'],
});

/** What the company declared: the person, the date, who. */
export interface Declared {
  firstName: string;
  lastName: string;
  effectiveOn: IsoDate;
  declaredBy: string;
}

/**
 * R-ART35 a departure recorded against a locked account, audited, and applied at once when its date has come (else by
 * the scheduler). R-MEMB the same person for the same company elsewhere gets one too, naming where it came from.
 */
@Injectable()
export class DepartureRecords {
  constructor(
    private readonly departures: DeparturesRepository,
    private readonly lifecycle: AccountLifecycle,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  /** Locks the account and its same-company accounts elsewhere, in id order (two declarations at once never deadlock). */
  async lockWithOthers(accountId: string): Promise<{ account: AccountEntity; others: { account: AccountEntity; origin: string }[] }> {
    const others = await this.departures.sameCompanyElsewhere(accountId);
    const locked = new Map<string, AccountEntity>();
    for (const id of [accountId, ...others.map((o) => o.id)].sort()) locked.set(id, (await this.lifecycle.lockedAny(id))!);
    return { account: locked.get(accountId)!, others: others.map((o) => ({ account: locked.get(o.id)!, origin: o.origin })) };
  }

  async declare(
    account: AccountEntity, declared: Declared, actor: Actor, origin?: { id: string; establishment: string },
  ): Promise<Departure> {
    const departure = await this.departures.insert({
      tenantId: account.tenantId, contractorId: account.contractorId, accountId: account.id, firstName: declared.firstName.trim(),
      lastName: declared.lastName.trim(), effectiveOn: declared.effectiveOn, declaredBy: declared.declaredBy,
      declaredAt: this.clock.now(), origin,
    });
    await this.audit.record({
      tenantId: account.tenantId, actor, action: 'departure.declared', targetType: 'account', targetId: account.id, after: departure,
    });
    if (declared.effectiveOn <= (await this.calendar.today(account.tenantId))) return this.apply(departure, actor);
    return departure;
  }

  /** R-MEMB the declaration reaches the person's accounts for the same company elsewhere; a closed one is left as it is. */
  async spread(departure: Departure, declared: Declared, others: { account: AccountEntity; origin: string }[]): Promise<void> {
    for (const { account, origin } of others) {
      if (!DEPARTING.can(account.status, 'declared departed')) continue;
      const actor: Actor = { type: 'system', id: null, label: `departure declared at ${origin}` };
      await this.declare(account, { ...declared, firstName: account.firstName, lastName: account.lastName }, actor, {
        id: departure.id, establishment: origin,
      });
    }
  }

  async apply(departure: Departure, actor: Actor): Promise<Departure> {
    const from = departure.originEstablishment ? `, declared at ${departure.originEstablishment}` : '';
    await this.lifecycle.deactivate(departure.accountId, actor, `departure on ${departure.effectiveOn} (Art. 35)${from}`);
    return this.departures.markApplied(departure.id, this.clock.now());
  }
}
