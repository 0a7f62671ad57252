import { Injectable } from '@nestjs/common';
import { GateService } from '@app/charters';
import { TenantCalendar } from '@app/identity';
import { normalDn, Person } from './ldap-directory';
import { AccountFacts, ProvisioningRepository } from './provisioning.repository';
import type { GroupMapping, Wanted } from './types';

/** An account, the person its entry names and what the entry should be. */
export interface AccountWanted {
  facts: AccountFacts;
  person: Person;
  wanted: Wanted;
}

/** R-PROV the entry's login: the e-mail's local part and four characters of the account id (stable, nominative, unique enough). */
export function uidOf(facts: AccountFacts): string {
  const local = facts.email.split('@')[0].toLowerCase().normalize('NFD').replace(/[^a-z0-9._-]/g, '').slice(0, 15) || 'p';
  return `${local}-${facts.accountId.replace(/-/g, '').slice(0, 4)}`;
}

export const sameWanted = (a: Wanted, b: Wanted): boolean =>
  a.enabled === b.enabled && a.groups.map(normalDn).sort().join('\n') === b.groups.map(normalDn).sort().join('\n');

/**
 * R-PROV R-ART28 R-ART35 R-ART34 what the directory should show, read from Prestagate alone: enabled when the account is
 * active and its company's gate open; in the groups of its approved, in-force habilitations while enabled.
 */
@Injectable()
export class WantedState {
  constructor(
    private readonly repo: ProvisioningRepository,
    private readonly gates: GateService,
    private readonly calendar: TenantCalendar,
  ) {}

  async of(tenantId: string, groupMap: GroupMapping[], accountId?: string): Promise<Map<string, AccountWanted>> {
    const facts = await this.repo.facts(tenantId, await this.calendar.today(tenantId), accountId);
    const active = facts.filter((f) => f.status === 'active');
    const gates = active.length ? await this.gates.evaluateMany(tenantId, active.map((f) => f.contractorId)) : new Map();
    const result = new Map<string, AccountWanted>();
    for (const f of facts) {
      const enabled = f.status === 'active' && gates.get(f.contractorId)?.open === true;
      const groups = enabled ? [...new Set(groupMap.filter((g) => f.resourceIds.includes(g.resourceId)).map((g) => g.groupDn))].sort() : [];
      const person = { accountId: f.accountId, uid: uidOf(f), firstName: f.firstName, lastName: f.lastName, email: f.email };
      result.set(f.accountId, { facts: f, person, wanted: { enabled, groups } });
    }
    return result;
  }
}
