import { Injectable } from '@nestjs/common';
import { Role, TenantScope } from '@app/core';
import { Recipient } from '../events';
import { UsersRepository } from './users.repository';
import { toUserView, UserView } from './user.mapper';

/** What other libraries read and change of a person (accounts, contacts, departures); runs in the caller's transaction. */
@Injectable()
export class PeopleService {
  constructor(private readonly users: UsersRepository) {}

  async findById(id: string): Promise<UserView | null> {
    const user = await this.users.findById(id);
    return user && toUserView(user);
  }

  /** R-MEMB the person of this e-mail in this establishment; another establishment's are not seen. */
  async findByEmail(tenantId: string, email: string): Promise<UserView | null> {
    const user = await this.users.findByEmailIn(tenantId, email);
    return user && toUserView(user);
  }

  async findInScope(scope: TenantScope, id: string): Promise<UserView | null> {
    const user = await this.users.findInScope(scope, id);
    return user && toUserView(user);
  }

  /** The hospital's active people holding one of these roles (who to tell), by e-mail. */
  hospitalRecipients(tenantId: string, roles: Role[]): Promise<Required<Recipient>[]> {
    return this.users.hospitalRecipients(tenantId, roles);
  }

  setRoles(id: string, roles: Role[]): Promise<void> {
    return this.users.update(id, { roles });
  }

  suspend(id: string): Promise<void> {
    return this.users.update(id, { status: 'suspended' });
  }

  /** Back to "active", or to "invited" for someone who never chose a password (the invitation link works again). */
  reopen(id: string): Promise<void> {
    return this.users.reopen(id);
  }

  /** The person is closed with no role left (R-INT): no sign-in, no access. */
  close(id: string): Promise<void> {
    return this.users.update(id, { roles: [], status: 'deactivated' });
  }
}
