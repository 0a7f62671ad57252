import { Injectable } from '@nestjs/common';
import {
  actorOf, AuditService, Clock, ConflictError, Db, DomainEvents, lockRow, Role, UserPrincipal, ValidationFailed,
} from '@app/core';
import { SessionsService, TenantCalendar, PeopleService, UsersService } from '@app/identity';
import { ContractorAccess } from './contractor-access';
import { ContractorsRepository } from './contractors.repository';
import { ContactEntity, ContactRole } from './entities';
import { ContactView, toContactView } from './views';

export interface ContactPerson {
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  function?: string;
}

export interface ContactsDeclaration {
  legalRepresentative: ContactPerson;
  securityContact: ContactPerson;
  securityDeputy: ContactPerson;
  rssi?: ContactPerson;
}

/** The roles on this platform that each declared contact gets (the contractor's own RSSI only receives alerts). */
const USER_ROLE: Partial<Record<ContactRole, Role>> = {
  legal_rep: Role.LegalRep,
  security_contact: Role.SecurityContact,
  security_deputy: Role.SecurityDeputy,
};
const CONTACT_USER_ROLES = Object.values(USER_ROLE) as Role[];

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * R-ART3 and section 8 of the charter: the legal representative, the security contact and a
 * distinct deputy, and the contractor's RSSI if it has one. Each of the first three becomes a
 * person who signs in (invitation e-mail, then TOTP). Replacing a contact keeps the old
 * declaration in the history (R-ART6) and ends the access of a person left with no role.
 * R-INT: a declaration replaces the whole set, so declarations of one company take turns on its row:
 * each one starts from the previous one, and nobody outside the last declared set keeps a contact role.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ContractorsRepository,
    private readonly access: ContractorAccess,
    private readonly users: PeopleService,
    private readonly invitations: UsersService,
    private readonly sessions: SessionsService,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  async list(principal: UserPrincipal, contractorId: string): Promise<ContactView[]> {
    await this.access.require(principal, contractorId, 'read');
    return (await this.repo.contactsOf(contractorId)).map(toContactView);
  }

  async declare(principal: UserPrincipal, contractorId: string, input: ContactsDeclaration): Promise<ContactView[]> {
    const { securityContact: a, securityDeputy: b } = input;
    if (sameEmail(a.email, b.email) || (a.firstName.trim().toLowerCase() === b.firstName.trim().toLowerCase() && a.lastName.trim().toLowerCase() === b.lastName.trim().toLowerCase())) {
      throw new ValidationFailed('The security contact and the deputy must be two different people (Art. 3)', [
        { field: 'securityDeputy', message: 'must be a different person from the security contact' },
      ]);
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
      const userIds = await this.syncUsers(principal, contractor.tenantId, contractorId, declared, before);
      await this.repo.contacts.delete({ contractorId });
      const now = this.clock.now();
      const rows = declared.map(([role, p]) => this.repo.contacts.create({
        contractorId, role, firstName: p.firstName.trim(), lastName: p.lastName.trim(), phone: p.phone.trim(),
        email: p.email.trim(), function: p.function?.trim() || null, userId: userIds.get(p.email.trim().toLowerCase()) ?? null,
        declaredAt: now, declaredBy: principal.userId,
      }));
      await this.repo.contacts.save(rows);
      const after = rows.map(snapshot);
      await this.repo.changes.save(this.repo.changes.create({
        tenantId: contractor.tenantId, contractorId, kind: 'contacts', changes: { contacts: after },
        previous: before.length ? { contacts: before.map(snapshot) } : null,
        effectiveOn: await this.calendar.today(contractor.tenantId), declaredAt: now, declaredBy: principal.userId, appliedAt: now,
      }));
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'contractor.contacts_declared',
        targetType: 'contractor', targetId: contractorId, before: before.map(snapshot), after,
      });
      return (await this.repo.contactsOf(contractorId)).map(toContactView);
    });
  }

  /** Gives each declared person their roles (inviting newcomers) and takes contact roles away from those replaced. */
  private async syncUsers(
    principal: UserPrincipal, tenantId: string, contractorId: string, declared: [ContactRole, ContactPerson][], before: ContactEntity[],
  ): Promise<Map<string, string>> {
    const wanted = new Map<string, { person: ContactPerson; roles: Set<Role> }>();
    for (const [role, person] of declared) {
      const key = person.email.trim().toLowerCase();
      const entry = wanted.get(key) ?? { person, roles: new Set<Role>() };
      if (USER_ROLE[role]) entry.roles.add(USER_ROLE[role]!);
      wanted.set(key, entry);
    }
    const ids = new Map<string, string>();
    for (const [email, { person, roles }] of wanted) {
      if (!roles.size) continue;
      const existing = await this.users.findByEmail(email);
      if (existing && existing.contractorId !== contractorId) {
        throw new ConflictError('EMAIL_TAKEN', `${person.email} already belongs to another person of the platform`, {
          errors: [{ field: 'email', message: `${person.email} is already used by someone else` }],
        });
      }
      // R-ART35 R-INT: someone who left is refused here (PERSON_DEPARTED) until the DSI reinstates them.
      await this.events.emit('contractor.person_named', { tenantId, contractorId, email: person.email, userId: existing?.id ?? null });
      if (existing) {
        const kept = existing.roles.filter((r) => !CONTACT_USER_ROLES.includes(r));
        await this.users.setRoles(existing.id, [...new Set([...kept, ...roles])]);
        if (existing.status === 'deactivated') await this.users.reopen(existing.id);
        ids.set(email, existing.id);
      } else {
        const user = await this.invitations.invite(actorOf(principal), { tenantId }, {
          email: person.email.trim(), firstName: person.firstName.trim(), lastName: person.lastName.trim(), roles: [...roles], contractorId,
        });
        ids.set(email, user.id);
      }
    }
    for (const old of before) {
      if (!old.userId || wanted.has(old.email.toLowerCase())) continue;
      const user = await this.users.findById(old.userId);
      if (!user) continue;
      const remaining = user.roles.filter((r) => !CONTACT_USER_ROLES.includes(r));
      if (remaining.length) {
        await this.users.setRoles(user.id, remaining);
        continue;
      }
      await this.users.close(user.id);
      await this.sessions.revokeAllOf(user.id, 'no_longer_a_contact');
    }
    return ids;
  }
}

function sameContacts(before: ContactEntity[], declared: [ContactRole, ContactPerson][]): boolean {
  const key = (c: ReturnType<typeof snapshot>) => JSON.stringify([c.role, c.firstName, c.lastName, c.phone, c.email.toLowerCase(), c.function]);
  const wanted = declared.map(([role, p]) => key(snapshot({
    role, firstName: p.firstName.trim(), lastName: p.lastName.trim(), phone: p.phone.trim(), email: p.email.trim(), function: p.function?.trim() || null,
  })));
  return before.length === wanted.length && before.map((c) => key(snapshot(c))).sort().join() === wanted.sort().join();
}

function snapshot(c: Pick<ContactEntity, 'role' | 'firstName' | 'lastName' | 'phone' | 'email' | 'function'>) {
  return { role: c.role, firstName: c.firstName, lastName: c.lastName, phone: c.phone, email: c.email, function: c.function };
}
