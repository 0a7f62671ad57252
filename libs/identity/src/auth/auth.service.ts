import { Injectable, Logger } from '@nestjs/common';
import {
  AuditService, Clock, ConflictError, Db, DomainError, DomainEvents, randomToken, Secrets, UnauthorizedError, UserPrincipal,
} from '@app/core';
import { NotificationsService } from '@app/notifications';
import { UserEntity } from '../entities';
import { PasswordPolicyService } from '../policy/password-policy.service';
import { UsersRepository } from '../users/users.repository';
import { Lockout } from './lockout';
import { MfaEnrolmentLinks } from './mfa-enrolment-links';
import { MfaChallenge, MfaTokens, invalidMfaToken } from './mfa-tokens';
import { PasswordHasher } from './password-hasher';
import { SessionsService, TokenPair } from './sessions.service';
import { Totp } from './totp';

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Prestagate';

/**
 * R-ART28 sign-in: password (argon2id, tenant policy), then a TOTP code. TOTP is mandatory: the
 * first sign-in enrols it. Failed passwords and codes count towards the tenant's lockout (Lockout);
 * the `mfaToken` between the two steps opens one session at most (MfaTokens).
 */
@Injectable()
export class AuthService {
  private readonly log = new Logger(AuthService.name);

  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly totp: Totp,
    private readonly mfa: MfaTokens,
    private readonly sessions: SessionsService,
    private readonly secrets: Secrets,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly passwordPolicy: PasswordPolicyService,
    private readonly events: DomainEvents,
    private readonly enrolmentLinks: MfaEnrolmentLinks,
    private readonly lockout: Lockout,
  ) {}

  async login(email: string, password: string): Promise<{ mfaToken: string; next: 'enroll' | 'verify' }> {
    const user = await this.users.findByEmail(email);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password);
    // R-ART28 one answer, in the same time, for an unknown e-mail, a locked account (whatever the password:
    // a lock counts nothing) and a wrong password; the locked person learns of the lock by e-mail (Lockout).
    if (!user || !ok || this.lockout.isLocked(user)) {
      await this.lockout.recordFailure(user, 'password');
      throw invalidCredentials();
    }
    this.assertActive(user);
    return { mfaToken: await this.mfa.issue(user.id), next: user.totpEnabledAt ? 'verify' : 'enroll' };
  }

  /** `enrolmentLink`: after a TOTP reset, the token of the link e-mailed to the person (R-ART28, MfaEnrolmentLinks). */
  async startEnrollment(mfaToken: string, enrolmentLink?: string): Promise<{ secret: string; otpauthUrl: string }> {
    const { user } = await this.userForMfa(mfaToken);
    if (user.totpEnabledAt) throw new ConflictError('MFA_ALREADY_ENROLLED', 'TOTP is already enrolled; verify a code instead');
    // The secret is shown here: after a reset, only to whoever also holds the e-mailed link.
    await this.enrolmentLinks.assertHeld(user.id, enrolmentLink);
    const secret = this.totp.newSecret();
    await this.users.update(user.id, { totpPendingEnc: this.secrets.encrypt(secret) });
    return { secret, otpauthUrl: this.totp.uri(ISSUER, user.email, secret) };
  }

  async confirmEnrollment(mfaToken: string, code: string, meta: RequestMeta): Promise<TokenPair & { recoveryCodes: string[] }> {
    const { user, challenge } = await this.userForMfa(mfaToken);
    if (user.totpEnabledAt) throw new ConflictError('MFA_ALREADY_ENROLLED', 'TOTP is already enrolled; verify a code instead');
    if (!user.totpPendingEnc) throw new ConflictError('MFA_ENROLLMENT_NOT_STARTED', 'Start the enrollment first');
    const check = await this.totp.check(this.totpSecret(user, user.totpPendingEnc), code, null);
    if (!check.valid) {
      await this.lockout.recordFailure(user, 'totp');
      throw new UnauthorizedError('INVALID_TOTP', 'This code is not valid');
    }
    return this.db.transaction(async () => {
      await this.mfa.claim(challenge);
      // Only the enrolment this code was checked against: a reset or a restarted enrolment meanwhile wins.
      if (!(await this.users.completeEnrollment(user.id, user.totpPendingEnc!, check.timeStep!, this.clock.now()))) {
        throw new ConflictError('MFA_ENROLLMENT_NOT_STARTED', 'This enrolment was restarted or reset meanwhile; start it again');
      }
      await this.enrolmentLinks.spend(user.id);
      const recoveryCodes = await this.replaceRecoveryCodes(user.id);
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'user', id: user.id, label: user.email },
        action: 'user.mfa_enrolled', targetType: 'user', targetId: user.id,
      });
      await this.events.emit('user.mfa_enrolled', { tenantId: user.tenantId, userId: user.id });
      await this.mfa.spend(challenge);
      const tokens = await this.sessions.open(user.id, meta);
      return { ...tokens, recoveryCodes };
    });
  }

  async verify(mfaToken: string, input: { code?: string; recoveryCode?: string }, meta: RequestMeta): Promise<TokenPair> {
    const { user, challenge } = await this.userForMfa(mfaToken);
    if (!user.totpEnabledAt || !user.totpSecretEnc) {
      throw new ConflictError('MFA_NOT_ENROLLED', 'TOTP is not enrolled yet; enroll first');
    }
    // One transaction from the code to the session, under the person's row lock then the token's (MfaTokens.claim):
    // parallel verifies of one token take turns, the later ones find it spent; a concurrent TOTP reset or password
    // change waits for this session, then revokes it; one that committed first revoked the token.
    const tokens = await this.db.transaction(async () => {
      await this.mfa.claim(challenge);
      const accepted = input.recoveryCode
        ? await this.useRecoveryCode(user, input.recoveryCode)
        : await this.useTotp(user, input.code ?? '');
      if (!accepted) return null;
      await this.users.update(user.id, { failedAttempts: 0 });
      await this.mfa.spend(challenge);
      return this.sessions.open(user.id, meta);
    });
    if (!tokens) {
      await this.lockout.recordFailure(user, input.recoveryCode ? 'recovery_code' : 'totp');
      throw new UnauthorizedError('INVALID_TOTP', 'This code is not valid or was already used');
    }
    return tokens;
  }

  async changePassword(principal: UserPrincipal, current: string, next: string): Promise<void> {
    const user = await this.users.findById(principal.userId);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, current);
    // R-ART28 a stolen session cannot guess the password: wrong ones count, and a locked account answers the same.
    if (!user || !ok || this.lockout.isLocked(user)) {
      await this.lockout.recordFailure(user, 'current_password');
      throw wrongCurrentPassword();
    }
    await this.passwordPolicy.assert(user.tenantId, next, user.email);
    const hash = await this.hasher.hash(next);
    await this.db.transaction(async () => {
      await this.users.update(user.id, { passwordHash: hash, passwordChangedAt: this.clock.now() });
      await this.mfa.revokeAllOf(user.id);
      await this.sessions.revokeAllOf(user.id, 'password_changed', principal.sessionId);
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'user', id: user.id, label: user.email },
        action: 'user.password_changed', targetType: 'user', targetId: user.id,
      });
      await this.notifications.email({
        tenantId: user.tenantId, to: user.email, template: 'password-changed', locale: user.locale,
        data: { firstName: user.firstName, at: this.clock.now().toISOString() },
      });
    });
  }

  /** The person of a pending sign-in step; a lock set since the password step ends it like an expiry. */
  private async userForMfa(mfaToken: string): Promise<{ user: UserEntity; challenge: MfaChallenge }> {
    const challenge = await this.mfa.challengeOf(mfaToken);
    const user = await this.users.findById(challenge.userId);
    if (!user || this.lockout.isLocked(user)) throw invalidMfaToken();
    this.assertActive(user);
    return { user, challenge };
  }

  private async useTotp(user: UserEntity, code: string): Promise<boolean> {
    const last = user.totpLastStep === null ? null : Number(user.totpLastStep);
    const check = await this.totp.check(this.totpSecret(user, user.totpSecretEnc!), code, last);
    // The conditional update makes replay impossible even for two concurrent requests.
    return check.valid && this.users.advanceTotpStep(user.id, check.timeStep!, user.totpSecretEnc!);
  }

  /**
   * The person's TOTP secret. One this server cannot decrypt (stored under another data key: APP_SECRET
   * changed, docs/operations.md "Key rotation") is no reason to answer a 500 nor to call the code wrong:
   * the person is told to have the enrolment reset, the operators see an error in the log.
   */
  private totpSecret(user: UserEntity, sealed: string): string {
    try {
      return this.secrets.decrypt(sealed);
    } catch (error) {
      this.log.error(`The TOTP secret of user ${user.id} cannot be decrypted with this server's data key: ${(error as Error).message}`);
      throw new ConflictError('MFA_SECRET_UNREADABLE', 'Your second factor can no longer be checked by this server; ask an administrator to reset your TOTP enrolment');
    }
  }

  private async useRecoveryCode(user: UserEntity, code: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
      [user.id, this.secrets.lookupHash(normaliseRecovery(code)), this.clock.now()],
    );
    if (rows.length) {
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'user', id: user.id, label: user.email },
        action: 'user.recovery_code_used', targetType: 'user', targetId: user.id,
      });
    }
    return rows.length === 1;
  }

  private async replaceRecoveryCodes(userId: string): Promise<string[]> {
    await this.db.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => formatRecovery(randomToken(8)));
    for (const code of codes) {
      await this.db.query(`INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, [
        userId, this.secrets.lookupHash(normaliseRecovery(code)),
      ]);
    }
    return codes;
  }

  private assertActive(user: UserEntity): void {
    if (user.status !== 'active') {
      throw new DomainError(`ACCOUNT_${user.status.toUpperCase()}`, 403, `This account is ${user.status}`);
    }
  }
}

function invalidCredentials(): UnauthorizedError {
  return new UnauthorizedError('INVALID_CREDENTIALS', 'E-mail or password is not correct');
}

function wrongCurrentPassword(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 400, 'The current password is not correct');
}

function formatRecovery(raw: string): string {
  const s = raw.replace(/[^A-Za-z0-9]/g, '').slice(0, 10).toUpperCase().padEnd(10, 'X');
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

function normaliseRecovery(code: string): string {
  return code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}
