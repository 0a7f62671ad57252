import { Injectable } from '@nestjs/common';
import { AuditService, Clock, Db, DomainEvents, UserPrincipal } from '@app/core';
import { CredentialChangeErrors } from '../errors';
import { PasswordPolicyService } from '../policy/password-policy.service';
import { UsersRepository } from '../users/users.repository';
import { Lockout } from './lockout';
import { SessionsService } from './sessions.service';

/** R-ART28 a signed-in person changes their password: every other session and pending sign-in step ends. */
@Injectable()
export class PasswordsService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly lockout: Lockout,
    private readonly policy: PasswordPolicyService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async change(principal: UserPrincipal, current: string, next: string): Promise<void> {
    const user = await this.users.findById(principal.userId);
    // R-ART28 a stolen session cannot guess the password: wrong ones count, and a locked account answers the same.
    const ok = await this.lockout.checkPassword(user, current, 'current_password');
    if (!ok || !user) throw CredentialChangeErrors.error('INVALID_CREDENTIALS');
    const hash = await this.policy.hashChecked(user.tenantId, next, user.email);
    await this.db.transaction(async () => {
      await this.users.update(user.id, { passwordHash: hash, passwordChangedAt: this.clock.now() });
      await this.sessions.endEverywhere(user.id, 'password_changed', principal.sessionId);
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'user', id: user.id, label: user.email },
        action: 'user.password_changed', targetType: 'user', targetId: user.id,
      });
      await this.events.emit('user.password_changed', {
        tenantId: user.tenantId, userId: user.id, email: user.email, locale: user.locale, firstName: user.firstName,
        at: this.clock.now().toISOString(),
      });
    });
  }
}
