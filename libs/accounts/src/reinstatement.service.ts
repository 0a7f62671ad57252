import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, Db, Lifecycle, lockRow, Role, SYSTEM_ACTOR, UserPrincipal } from '@app/core';
import { Directory } from '@app/contractors';
import { UsersRepository } from '@app/identity';
import { NotificationsService, WebhooksService } from '@app/notifications';
import { AccountAccess } from './account-access';
import { AccountsService } from './accounts.service';
import { AccountEntity, AccountStatus } from './entities';
import { AccountView, auditAccount, toAccountView } from './views';

/** Only an account closed by a departure that still stands can be reinstated. */
type Standing = AccountStatus | 'departed';
const REINSTATING = new Lifecycle<Standing, 'reinstated'>('account', 'ACCOUNT_NOT_DEPARTED', { reinstated: ['departed'] });

/**
 * R-ART35 R-INT: a departure is final for the contractor; only the DSI reinstates the person (a
 * departure declared by mistake, a person back in the company). The account goes back to where the
 * departure found it (approved, or requested) and becomes active again as soon as it is ready; the
 * person signs in again; the RSSI is told, and downstream systems through the `account.reinstated` webhook.
 */
@Injectable()
export class ReinstatementService {
  constructor(
    private readonly db: Db,
    private readonly access: AccountAccess,
    private readonly accounts: AccountsService,
    private readonly users: UsersRepository,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhooksService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async reinstate(principal: UserPrincipal, id: string, reason: string): Promise<AccountView> {
    return this.db.transaction(async () => {
      await lockRow(this.db, 'accounts', id);
      const account = await this.access.require(principal, id, 'administer');
      const [departure] = await this.db.query<{ id: string; effective_on: string }>(
        `SELECT id, effective_on FROM departures WHERE account_id = $1 AND applied_at IS NOT NULL AND reinstated_at IS NULL
          ORDER BY applied_at DESC LIMIT 1 FOR UPDATE`,
        [id],
      );
      REINSTATING.check(account.status === 'deactivated' && departure ? 'departed' : account.status, 'reinstated');
      const now = this.clock.now();
      await this.db.query(`UPDATE departures SET reinstated_at = $2, reinstated_by = $3, reinstate_reason = $4 WHERE account_id = $1 AND reinstated_at IS NULL`, [
        id, now, principal.userId, reason.trim(),
      ]);
      const status: AccountStatus = account.approvedAt ? 'approved' : 'requested';
      await this.db.manager.getRepository(AccountEntity).update({ id }, { status, deactivatedAt: null, deactivationReason: null });
      if (account.userId) await this.reopenPerson(account.userId);
      await this.audit.record({
        tenantId: account.tenantId, actor: actorOf(principal), action: 'account.reinstated', targetType: 'account', targetId: id,
        before: auditAccount(account),
        after: { ...auditAccount({ ...account, status, deactivationReason: null }), reason: reason.trim(), departureId: departure.id, contractorId: account.contractorId },
      });
      await this.accounts.tryActivate(id, SYSTEM_ACTOR);
      await this.tell(principal, account, reason.trim(), departure.effective_on);
      return toAccountView(await this.db.manager.getRepository(AccountEntity).findOneByOrFail({ id }));
    });
  }

  /** The person gets the staff role back and signs in again (or, with no password yet, accepts a new invitation). */
  private async reopenPerson(userId: string): Promise<void> {
    await lockRow(this.db, 'users', userId);
    const user = await this.users.findById(userId);
    if (!user) return;
    const status = user.status === 'deactivated' ? (user.passwordHash ? 'active' : 'invited') : user.status;
    await this.users.update(userId, { roles: [...new Set([...user.roles, Role.Staff])], status });
  }

  private async tell(principal: UserPrincipal, account: AccountEntity, reason: string, departedOn: string): Promise<void> {
    const contractor = await this.directory.companyName(account.contractorId);
    await this.notifications.emailEach(await this.directory.hospital(account.tenantId, [Role.Rssi]), {
      tenantId: account.tenantId, template: 'account-reinstated',
      data: { person: `${account.firstName} ${account.lastName}`, contractor, departedOn, reason, by: principal.email },
    });
    await this.webhooks.publish(account.tenantId, 'account.reinstated', {
      accountId: account.id, contractorId: account.contractorId, email: account.email, reason, reinstatedAt: this.clock.now().toISOString(),
    });
  }
}
