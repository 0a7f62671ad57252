import { Injectable } from '@nestjs/common';
import { AuditService, Clock, Db, DomainEvents } from '@app/core';
import { Person } from '../entities';
import { TenantPolicy } from '../policy/tenant-policy';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';
import { MfaTokens } from './mfa-tokens';
import { PasswordHasher } from './password-hasher';
import { isLocked } from './sign-in-rules';

/** Counted against when the e-mail is unknown: the same statement, matching no row. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

export type FailureKind = 'password' | 'current_password' | 'totp' | 'recovery_code';

/**
 * R-ART28 R-INT lockout after repeated failures (tenant policy); docs/adr/sign-in-lockout.md says why every
 * failure counts in one statement and why a lock is told only by e-mail.
 */
@Injectable()
export class Lockout {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly hasher: PasswordHasher,
    private readonly mfa: MfaTokens,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  isLocked(user: Person): boolean {
    return isLocked(user, this.clock.now());
  }

  /**
   * R-ART28 whether `password` is the person's and the person is not locked; otherwise the failure is counted.
   * An unknown e-mail, a lock and a wrong password take the same time, so the answer tells none of them apart.
   */
  async checkPassword(user: Person | null, password: string, kind: FailureKind): Promise<boolean> {
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password);
    if (user && ok && !this.isLocked(user)) return true;
    await this.recordFailure(user, kind);
    return false;
  }

  /** `null`: an unknown e-mail, which costs what a counted failure costs (a policy read, a statement matching no row). */
  async recordFailure(user: Person | null, kind: FailureKind): Promise<void> {
    const policy = user?.tenantId === null ? new TenantPolicy() : await this.tenants.policyOf(user?.tenantId ?? NOBODY);
    const now = this.clock.now();
    const until = new Date(now.getTime() + policy.lockout.durationMinutes * 60_000);
    await this.db.transaction(async () => {
      if (!(await this.users.countFailure(user?.id ?? NOBODY, policy.lockout.maxAttempts, now, until)) || !user) return;
      await this.mfa.revokeAllOf(user.id);
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'system', id: null, label: 'auth' },
        action: 'user.locked', targetType: 'user', targetId: user.id, after: { until, lastFailure: kind },
      });
      await this.events.emit('user.locked', {
        tenantId: user.tenantId, userId: user.id, email: user.email, locale: user.locale, firstName: user.firstName,
        until: until.toISOString(),
      });
    });
  }
}
