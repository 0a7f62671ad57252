import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, Db, lockRow, UserPrincipal } from '@app/core';
import { TenantCalendar } from '@app/identity';
import { ContractorErrors } from './errors';
import { ContactPeople } from './contact-people';
import { ContractorAccess } from './contractor-access';
import { ContractorsRepository } from './contractors.repository';
import { ContactEntity } from './entities';
import type { ContactPerson, ContactRole, ContactsDeclaration } from './types';
import { ContactView, toContactView } from './views';


const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const samePerson = (a: ContactPerson, b: ContactPerson) =>
  same(a.email, b.email) || (same(a.firstName, b.firstName) && same(a.lastName, b.lastName));

/**
 * R-ART3, charter section 8: legal representative, security contact, a distinct deputy, the RSSI if any; the
 * history keeps each declaration (R-ART6). R-INT: a declaration replaces the set, taking turns on the company's row.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ContractorsRepository,
    private readonly access: ContractorAccess,
    private readonly people: ContactPeople,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  async list(principal: UserPrincipal, contractorId: string): Promise<ContactView[]> {
    await this.access.require(principal, contractorId, 'read');
    return (await this.repo.contactsOf(contractorId)).map(toContactView);
  }

  /** The declared legal representative, who signs the company's documents (R-ART2). */
  async legalRepresentative(contractorId: string): Promise<ContactView | null> {
    const legalRep = (await this.repo.contactsOf(contractorId)).find((c) => c.role === 'legal_rep');
    return legalRep ? toContactView(legalRep) : null;
  }

  async declare(principal: UserPrincipal, contractorId: string, input: ContactsDeclaration): Promise<ContactView[]> {
    const { securityContact: a, securityDeputy: b } = input;
    if (samePerson(a, b)) {
      throw ContractorErrors.invalid('SAME_CONTACT_AND_DEPUTY', 'securityDeputy');
    }
    const declared: [ContactRole, ContactPerson][] = [
      ['legal_rep', input.legalRepresentative], ['security_contact', a], ['security_deputy', b],
      ...(input.rssi ? [['rssi', input.rssi] as [ContactRole, ContactPerson]] : []),
    ];
    return this.db.transaction(async () => {
      await lockRow(this.db, 'contractors', contractorId);
      const contractor = await this.access.require(principal, contractorId, 'declare');
      const before = await this.repo.contactsOf(contractorId);
      // R-INT: the same declaration again (a retry, a double click) changes nothing and records nothing.
      if (sameContacts(before, declared)) return before.map(toContactView);
      const userIds = await this.people.sync(principal, contractor.tenantId, contractorId, declared, before);
      const now = this.clock.now();
      const rows = declared.map(([role, p]) => ({
        contractorId, role, firstName: p.firstName.trim(), lastName: p.lastName.trim(), phone: p.phone.trim(),
        email: p.email.trim(), function: p.function?.trim() || null, userId: userIds.get(p.email.trim().toLowerCase()) ?? null,
        declaredAt: now, declaredBy: principal.userId,
      }));
      await this.repo.replaceContacts(contractorId, rows);
      const after = rows.map(snapshot);
      await this.repo.insertChange({
        tenantId: contractor.tenantId, contractorId, kind: 'contacts', changes: { contacts: after },
        previous: before.length ? { contacts: before.map(snapshot) } : null,
        effectiveOn: await this.calendar.today(contractor.tenantId), declaredAt: now, declaredBy: principal.userId, appliedAt: now,
      });
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'contractor.contacts_declared',
        targetType: 'contractor', targetId: contractorId, before: before.map(snapshot), after,
      });
      return (await this.repo.contactsOf(contractorId)).map(toContactView);
    });
  }
}

function sameContacts(before: ContactEntity[], declared: [ContactRole, ContactPerson][]): boolean {
  const key = (c: ReturnType<typeof snapshot>) =>
    JSON.stringify([c.role, c.firstName, c.lastName, c.phone, c.email.toLowerCase(), c.function]);
  const wanted = declared.map(([role, p]) => key(snapshot({
    role, firstName: p.firstName.trim(), lastName: p.lastName.trim(), phone: p.phone.trim(), email: p.email.trim(),
    function: p.function?.trim() || null,
  })));
  return before.length === wanted.length && before.map((c) => key(snapshot(c))).sort().join() === wanted.sort().join();
}

function snapshot(c: Pick<ContactEntity, 'role' | 'firstName' | 'lastName' | 'phone' | 'email' | 'function'>) {
  return { role: c.role, firstName: c.firstName, lastName: c.lastName, phone: c.phone, email: c.email, function: c.function };
}
