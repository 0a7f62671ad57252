import { Injectable } from '@nestjs/common';
import { actorOf, DomainEvents, Role, UserPrincipal } from '@app/core';
import { PeopleService, SessionsService, UsersService } from '@app/identity';
import { ContactEntity } from './entities';
import { ContractorErrors } from './errors';
import type { ContactPerson, ContactRole } from './types';

/** The roles on this platform that each declared contact gets (the contractor's own RSSI only receives alerts). */
const USER_ROLE: Partial<Record<ContactRole, Role>> = {
  legal_rep: Role.LegalRep,
  security_contact: Role.SecurityContact,
  security_deputy: Role.SecurityDeputy,
};
const CONTACT_USER_ROLES = Object.values(USER_ROLE) as Role[];

/** R-ART3: each declared contact is a person who signs in (invitation, then TOTP); one left with no role loses access. */
@Injectable()
export class ContactPeople {
  constructor(
    private readonly users: PeopleService,
    private readonly invitations: UsersService,
    private readonly sessions: SessionsService,
    private readonly events: DomainEvents,
  ) {}

  /** Gives each declared person their roles (inviting newcomers) and takes contact roles away from those replaced. */
  async sync(
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
      const existing = await this.users.findByEmail(tenantId, email);
      if (existing && existing.contractorId !== contractorId) {
        throw ContractorErrors.error('EMAIL_TAKEN', { email: person.email }, {
          errors: [{ field: 'email', message: ContractorErrors.text('EMAIL_TAKEN', { email: person.email }) }],
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
