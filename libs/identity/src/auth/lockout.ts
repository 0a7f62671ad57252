import { Injectable } from '@nestjs/common';
import { AuditService, Clock, Db } from '@app/core';
import { NotificationsService } from '@app/notifications';
import { UserEntity } from '../entities';
import { TenantPolicy } from '../policy/tenant-policy';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';
import { MfaTokens } from './mfa-tokens';

/** Counted against when the e-mail is unknown: the same statement, matching no row. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

export type FailureKind = 'password' | 'current_password' | 'totp' | 'recovery_code';

/**
 * R-ART28 R-INT lockout after repeated failures (tenant policy: 5 failures, 15 minutes). Every wrong
 * password, current password, TOTP or recovery code counts, in one statement, so parallel attempts
 * each count. The failure that reaches the threshold locks the account, revokes its pending sign-in
 * steps, and e-mails the person once (the only place a lock is told: sign-in answers as for a wrong
 * password, so nobody learns which accounts exist or are locked).
 */
@Injectable()
export class Lockout {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly mfa: MfaTokens,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  isLocked(user: UserEntity): boolean {
    return user.lockedUntil !== null && user.lockedUntil > this.clock.now();
  }

  /**
   * `null`: an unknown e-mail, which costs what a counted failure costs (a policy read, the counting
   * statement matching no row; the password hasher verifies a dummy hash), so the time of the answer
   * does not tell which accounts exist. A count that sets no lock commits without waiting for the WAL
   * flush, as a transaction that wrote nothing does: a crash may forget that one failure, never a lock.
   */
  async recordFailure(user: UserEntity | null, kind: FailureKind): Promise<void> {
    const policy = user?.tenantId === null ? new TenantPolicy() : await this.tenants.policyOf(user?.tenantId ?? NOBODY);
    const now = this.clock.now();
    const until = new Date(now.getTime() + policy.lockout.durationMinutes * 60_000);
    await this.db.transaction(async () => {
      await this.db.query(`SET LOCAL synchronous_commit TO off`);
      if (!(await this.users.countFailure(user?.id ?? NOBODY, policy.lockout.maxAttempts, now, until)) || !user) return;
      await this.db.query(`SET LOCAL synchronous_commit TO on`);
      await this.mfa.revokeAllOf(user.id);
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'system', id: null, label: 'auth' },
        action: 'user.locked', targetType: 'user', targetId: user.id, after: { until, lastFailure: kind },
      });
      await this.notifications.email({
        tenantId: user.tenantId, to: user.email, template: 'account-locked', locale: user.locale,
        data: { firstName: user.firstName, until: until.toISOString() },
      });
    });
  }
}
