import { Injectable } from '@nestjs/common';
import { actorOf, Db, Role, Transactional, UserPrincipal } from '@app/core';
import { PeopleService, TenantCalendar, UsersService } from '@app/identity';
import { AccountAccess } from './account-access';
import { AccountAction, AccountLifecycle } from './account-lifecycle';
import { AccountsRepository } from './accounts.repository';
import { AccountEntity } from './entities';
import { AccountErrors } from './errors';
import { AccountReadiness } from './readiness';
import { AccountView, toAccountView } from './views';

/** R-ART28: what the DSI decides about an account (approval, rejection, activation, suspension, resumption), and what it still lacks. */
@Injectable()
export class AccountDecisions {
  constructor(
    readonly db: Db,
    private readonly access: AccountAccess,
    private readonly accounts: AccountsRepository,
    private readonly lifecycle: AccountLifecycle,
    private readonly readiness: AccountReadiness,
    private readonly users: PeopleService,
    private readonly invitations: UsersService,
    private readonly calendar: TenantCalendar,
  ) {}

  /** The DSI approves; the person is invited (or, already a person of this company, given the staff role). */
  @Transactional()
  async approve(principal: UserPrincipal, id: string): Promise<AccountView> {
    const account = await this.transitionable(principal, id, 'approved');
    let user = await this.users.findByEmail(account.tenantId, account.email);
    if (user && user.contractorId !== account.contractorId) {
      throw AccountErrors.error('EMAIL_TAKEN', { email: account.email });
    }
    if (user) {
      await this.users.setRoles(user.id, [...new Set([...user.roles, Role.Staff])]);
    } else {
      user = await this.invitations.invite(actorOf(principal), { tenantId: account.tenantId }, {
        email: account.email, firstName: account.firstName, lastName: account.lastName, roles: [Role.Staff],
        contractorId: account.contractorId,
      });
    }
    await this.lifecycle.approve(account, user.id, actorOf(principal));
    return this.view(id);
  }

  @Transactional()
  async reject(principal: UserPrincipal, id: string, reason: string): Promise<AccountView> {
    await this.lifecycle.reject(await this.transitionable(principal, id, 'rejected'), actorOf(principal), reason);
    return this.view(id);
  }

  /** Explicit activation by the DSI: refused with the list of what is missing. */
  @Transactional()
  async activate(principal: UserPrincipal, id: string): Promise<AccountView> {
    const account = await this.transitionable(principal, id, 'activated');
    const missing = await this.readiness.missing(account);
    if (missing.length) {
      throw AccountErrors.error('ACCOUNT_NOT_READY', { person: `${account.firstName} ${account.lastName}`, count: missing.length },
        { missing });
    }
    await this.lifecycle.markActive(account, actorOf(principal));
    return this.view(id);
  }

  async readinessOf(principal: UserPrincipal, id: string) {
    const account = await this.access.require(principal, id, 'read');
    const missing = account.status === 'requested' ? [{ code: 'ACCOUNT_NOT_APPROVED',
      detail: 'The DSI has not approved this account yet' }] : [];
    missing.push(...(await this.readiness.missing(account)));
    return { ready: missing.length === 0, missing };
  }

  /** Suspension by the DSI (reason), or a prolonged absence with the date it resumes on its own (CPAM 4.2). */
  async suspend(principal: UserPrincipal, id: string, reason: string, resumeOn?: string): Promise<AccountView> {
    if (resumeOn && resumeOn <= (await this.calendar.today(principal.tenantId!))) {
      throw AccountErrors.invalid('RESUMPTION_NOT_FUTURE', 'resumeOn');
    }
    return this.db.transaction(async () => {
      await this.transitionable(principal, id, 'suspended');
      await this.lifecycle.suspend(id, actorOf(principal), resumeOn ? 'absence' : 'manual', reason, resumeOn ?? null);
      return this.view(id);
    });
  }

  @Transactional()
  async resume(principal: UserPrincipal, id: string): Promise<AccountView> {
    await this.transitionable(principal, id, 'resumed');
    await this.lifecycle.resume(id, actorOf(principal), 'resumed by the DSI');
    return this.view(id);
  }

  /** The access check, then the row lock, then the lifecycle's check on the state read under the lock (R-INT). */
  private async transitionable(principal: UserPrincipal, id: string, action: AccountAction): Promise<AccountEntity> {
    await this.access.require(principal, id, 'administer', true);
    return this.lifecycle.locked(id, action);
  }

  private async view(id: string): Promise<AccountView> {
    return toAccountView(await this.accounts.get(id));
  }
}
