import { Injectable } from '@nestjs/common';
import { Actor, AuditService, Clock, Db, DomainEvents, IsoDate, Lifecycle, lockRow, Role, SYSTEM_ACTOR } from '@app/core';
import { PeopleService, SessionsService } from '@app/identity';
import { AccountsRepository, NewAccount } from './accounts.repository';
import { AccountEntity, AccountStatus, SuspensionKind } from './entities';
import { AccountErrors } from './errors';
import './events';
import { AccountReadiness } from './readiness';
import { auditAccount } from './views';

export type AccountAction = 'approved' | 'rejected' | 'activated' | 'suspended' | 'resumed' | 'deactivated';

/** R-ART28 R-INT: legal transitions of the account lifecycle, for the DSI's routes and the scheduler alike; anything else is a 409. */
export const ACCOUNT_LIFECYCLE = new Lifecycle<AccountStatus, AccountAction>('Account', 'ILLEGAL_TRANSITION', {
  approved: ['requested'],
  rejected: ['requested'],
  activated: ['approved'],
  suspended: ['approved', 'active'],
  resumed: ['suspended'],
  deactivated: ['requested', 'approved', 'active', 'suspended'],
});

/**
 * R-ART28: requested -> approved (DSI) -> active (gate open, convention signed, TOTP enrolled) -> suspended |
 * deactivated. Each transition, under the account's row lock, is audited with its actor and reason and announced
 * (events.ts); suspending or deactivating closes the person's sessions at once.
 */
@Injectable()
export class AccountLifecycle {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountsRepository,
    private readonly readiness: AccountReadiness,
    private readonly users: PeopleService,
    private readonly sessions: SessionsService,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** A new request; 409 when the person already holds an account. */
  async create(account: Omit<NewAccount, 'status' | 'requestedAt'>, actor: Actor, reason: string | null): Promise<AccountEntity> {
    const created = await this.accounts.insert({ ...account, status: 'requested', requestedAt: this.clock.now() });
    if (!created) throw AccountErrors.error('ACCOUNT_EXISTS', { person: `${account.firstName} ${account.lastName}` });
    await this.record(created, actor, 'account.requested', null, reason);
    return created;
  }

  /** The DSI's approval, the person (invited or given the staff role) being `userId`; active at once when ready. */
  async approve(account: AccountEntity, userId: string, actor: Actor): Promise<void> {
    await this.accounts.update(account.id, { status: 'approved', userId, approvedBy: actor.id, approvedAt: this.clock.now() });
    await this.record({ ...account, status: 'approved' }, actor, 'account.approved', auditAccount(account), null);
    await this.tryActivate(account.id, SYSTEM_ACTOR);
  }

  async reject(account: AccountEntity, actor: Actor, reason: string): Promise<void> {
    await this.accounts.update(account.id, { status: 'rejected', deactivationReason: reason });
    await this.record({ ...account, status: 'rejected' }, actor, 'account.rejected', auditAccount(account), reason);
  }

  /** Active as soon as its last requirement is met, whoever calls; false when not (yet) possible. */
  async tryActivate(id: string, actor: Actor): Promise<boolean> {
    return this.db.transaction(async () => {
      const account = await this.lockedIf(id, 'activated');
      if (!account) return false;
      if ((await this.readiness.missing(account)).length) return false;
      await this.markActive(account, actor);
      return true;
    });
  }

  async markActive(account: AccountEntity, actor: Actor): Promise<void> {
    await this.accounts.update(account.id, { status: 'active', activatedAt: this.clock.now() });
    await this.record({ ...account, status: 'active' }, actor, 'account.activated', auditAccount(account), null);
    await this.events.emit('account.activated', { tenantId: account.tenantId, accountId: account.id });
  }

  /** Under the account's row lock, whoever calls (DSI, incident, review, scheduler): 409 with the current status unless suspendable. */
  async suspend(id: string, actor: Actor, kind: SuspensionKind, reason: string, resumeOn: IsoDate | null): Promise<void> {
    return this.db.transaction(async () => {
      const account = await this.locked(id, 'suspended');
      await this.accounts.update(id, { status: 'suspended', suspendedAt: this.clock.now(), suspensionKind: kind, suspensionReason: reason,
        resumeOn });
      if (account.userId) {
        await this.users.suspend(account.userId);
        await this.sessions.revokeAllOf(account.userId, `account suspended: ${kind}`);
      }
      const after = { ...account, status: 'suspended' as const, suspensionKind: kind, suspensionReason: reason, resumeOn };
      await this.record(after, actor, 'account.suspended', auditAccount(account), reason);
      await this.events.emit('account.suspended', { tenantId: account.tenantId, accountId: id, kind, reason, resumeOn });
    });
  }

  async resume(id: string, actor: Actor, reason: string): Promise<void> {
    return this.db.transaction(async () => {
      const account = await this.locked(id, 'resumed');
      const ready = (await this.readiness.missing(account)).length === 0 && account.activatedAt !== null;
      const status: 'active' | 'approved' = ready ? 'active' : 'approved';
      await this.accounts.update(id, { status, suspendedAt: null, suspensionKind: null, suspensionReason: null, resumeOn: null });
      if (account.userId) {
        // Someone suspended before choosing a password goes back to "invited", so that the invitation link works again.
        await this.users.reopen(account.userId);
      }
      const after = { ...account, status, suspensionKind: null, suspensionReason: null, resumeOn: null };
      await this.record(after, actor, 'account.resumed', auditAccount(account), reason);
      await this.events.emit('account.resumed', { tenantId: account.tenantId, accountId: id, status });
    });
  }

  /** Deactivation (departure R-ART35, end of prestation R-ART10, review R-ART34): final, at once; already closed: nothing to do. */
  async deactivate(id: string, actor: Actor, reason: string): Promise<void> {
    return this.db.transaction(async () => {
      const account = await this.lockedIf(id, 'deactivated');
      if (!account) return;
      await this.accounts.update(id, { status: 'deactivated', deactivatedAt: this.clock.now(), deactivationReason: reason });
      if (account.userId) {
        const user = await this.users.findById(account.userId);
        const otherRoles = user?.roles.filter((r) => r !== Role.Staff) ?? [];
        // A contact who also held this account keeps their contact roles; otherwise the person is closed, with no role left (R-INT).
        await (otherRoles.length ? this.users.setRoles(account.userId, otherRoles) : this.users.close(account.userId));
        await this.sessions.revokeAllOf(account.userId, `account deactivated: ${reason}`);
      }
      const after = { ...account, status: 'deactivated' as const, deactivationReason: reason };
      await this.record(after, actor, 'account.deactivated', auditAccount(account), reason);
      await this.events.emit('account.deactivated', { tenantId: account.tenantId, contractorId: account.contractorId, accountId: id,
        reason });
    });
  }

  /** R-ART35 R-INT: back to where the departure found it (approved, or requested); the person signs in again. */
  async reinstate(account: AccountEntity, actor: Actor, reason: string, departureId: string): Promise<void> {
    const status: AccountStatus = account.approvedAt ? 'approved' : 'requested';
    await this.accounts.update(account.id, { status, deactivatedAt: null, deactivationReason: null });
    if (account.userId) await this.reopenPerson(account.userId);
    await this.audit.record({
      tenantId: account.tenantId, actor, action: 'account.reinstated', targetType: 'account', targetId: account.id,
      before: auditAccount(account),
      after: { ...auditAccount({ ...account, status, deactivationReason: null }), reason, departureId, contractorId: account.contractorId },
    });
    await this.tryActivate(account.id, SYSTEM_ACTOR);
  }

  /** Locks the account (inside the caller's transaction) and reads it: 409 with its current status unless `action` may follow. */
  async locked(id: string, action: AccountAction): Promise<AccountEntity> {
    await lockRow(this.db, 'accounts', id);
    const account = await this.accounts.get(id);
    ACCOUNT_LIFECYCLE.check(account.status, action);
    return account;
  }

  /** Locks the account and reads it, whatever its status (the caller applies its own rule); null when there is none. */
  async lockedAny(id: string): Promise<AccountEntity | null> {
    return (await lockRow(this.db, 'accounts', id)) ? this.accounts.get(id) : null;
  }

  /** For the scheduler and listeners: the locked account if `action` may follow, else nothing (someone else got there first). */
  async lockedIf(id: string, action: AccountAction): Promise<AccountEntity | null> {
    if (!(await lockRow(this.db, 'accounts', id))) return null;
    const account = await this.accounts.get(id);
    return ACCOUNT_LIFECYCLE.can(account.status, action) ? account : null;
  }

  /** The person gets the staff role back and signs in again (or, with no password yet, accepts a new invitation). */
  private async reopenPerson(userId: string): Promise<void> {
    await lockRow(this.db, 'users', userId);
    const user = await this.users.findById(userId);
    if (!user) return;
    await this.users.setRoles(userId, [...new Set([...user.roles, Role.Staff])]);
    if (user.status === 'deactivated') await this.users.reopen(userId);
  }

  private async record(account: AccountEntity, actor: Actor, action: string, before: object | null, reason: string | null): Promise<void> {
    await this.audit.record({
      tenantId: account.tenantId, actor, action, targetType: 'account', targetId: account.id,
      before, after: { ...auditAccount(account), reason, contractorId: account.contractorId,
        person: `${account.firstName} ${account.lastName}` },
    });
  }
}
