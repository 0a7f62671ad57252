import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';
import { IdentityErrors } from '../errors';
import { UsersRepository } from '../users/users.repository';
import { Lockout } from './lockout';
import { MfaTokens } from './mfa-tokens';
import { SecondFactor } from './second-factor';
import { SessionsService, TokenPair } from './sessions.service';
import { assertActive } from './sign-in-rules';

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}

/**
 * R-ART28 sign-in: password (argon2id, tenant policy), then a TOTP code (the first sign-in enrols it,
 * MfaEnrolmentService). Failures count towards the tenant's lockout; the `mfaToken` opens one session at most.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly lockout: Lockout,
    private readonly mfa: MfaTokens,
    private readonly secondFactor: SecondFactor,
    private readonly sessions: SessionsService,
  ) {}

  async login(email: string, password: string): Promise<{ mfaToken: string; next: 'enroll' | 'verify' }> {
    const user = await this.users.signInMembership(email);
    // R-ART28 one answer, in the same time, for an unknown e-mail, a locked account and a wrong password.
    if (!(await this.lockout.checkPassword(user, password, 'password')) || !user) throw IdentityErrors.error('INVALID_CREDENTIALS');
    assertActive(user);
    return { mfaToken: await this.mfa.issue(user.id), next: user.totpEnabledAt ? 'verify' : 'enroll' };
  }

  async verify(mfaToken: string, input: { code?: string; recoveryCode?: string }, meta: RequestMeta): Promise<TokenPair> {
    const { user, challenge } = await this.mfa.pendingUser(mfaToken);
    if (!user.totpEnabledAt || !user.totpSecretEnc) throw IdentityErrors.error('MFA_NOT_ENROLLED');
    // Under the person's row lock then the token's: parallel verifies take turns, the later ones find it spent;
    // a concurrent TOTP reset or password change waits for this session, then revokes it.
    const tokens = await this.db.transaction(async () => {
      await this.mfa.claim(challenge);
      const accepted = input.recoveryCode
        ? await this.secondFactor.useRecoveryCode(user, input.recoveryCode)
        : await this.secondFactor.useTotp(user, input.code ?? '');
      if (!accepted) return null;
      await this.users.update(user.id, { failedAttempts: 0 });
      await this.mfa.spend(challenge);
      return this.sessions.open(user.id, meta);
    });
    if (!tokens) {
      await this.lockout.recordFailure(user, input.recoveryCode ? 'recovery_code' : 'totp');
      throw IdentityErrors.error('TOTP_USED');
    }
    return tokens;
  }
}
