import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, Clock } from '@app/core';
import { Person } from '../entities';
import { IdentityErrors } from '../errors';
import { UsersRepository } from '../users/users.repository';
import { MfaChallengesRepository } from './mfa-challenges.repository';
import { assertActive, isLocked } from './sign-in-rules';

interface MfaClaims {
  sub: string;
  typ: 'mfa';
  jti: string;
  iat: number;
}

/** A pending sign-in step: the person whose password was right, and the challenge row its token names. */
export interface MfaChallenge {
  userId: string;
  id: string;
}

/**
 * R-ART28 R-INT the short-lived proof that the password was right, good for one session: its challenge is spent
 * by the verify or enrolment that opens it; a password change, a TOTP reset or a lock revokes the pending ones.
 */
@Injectable()
export class MfaTokens {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    private readonly challenges: MfaChallengesRepository,
    private readonly users: UsersRepository,
  ) {}

  async issue(userId: string): Promise<string> {
    const now = this.clock.now();
    const id = await this.challenges.create(userId, now, new Date(now.getTime() + this.config.auth.mfaTokenTtl * 1000));
    const claims: MfaClaims = { sub: userId, typ: 'mfa', jti: id, iat: this.nowSeconds() };
    return this.jwt.signAsync(claims, {
      secret: this.config.keys.jwt, algorithm: 'HS256', expiresIn: this.config.auth.mfaTokenTtl,
    } as never);
  }

  /** The pending challenge a token names; 401 when the token is forged, expired, spent or revoked. */
  async challengeOf(token: string): Promise<MfaChallenge> {
    const challenge = await this.claimsOf(token);
    if (challenge && (await this.challenges.exists(challenge.id))) return challenge;
    throw IdentityErrors.error('INVALID_MFA_TOKEN');
  }

  /** The person of a pending sign-in step; a lock set since the password step ends it like an expiry. */
  async pendingUser(token: string): Promise<{ user: Person; challenge: MfaChallenge }> {
    const challenge = await this.challengeOf(token);
    const user = await this.users.findById(challenge.userId);
    if (!user || isLocked(user, this.clock.now())) throw IdentityErrors.error('INVALID_MFA_TOKEN');
    assertActive(user);
    return { user, challenge };
  }

  /** In the transaction that may open a session: parallel verifies of one token take turns, the later ones find it spent (401). */
  async claim(challenge: MfaChallenge): Promise<void> {
    if (!(await this.challenges.lock(challenge.userId, challenge.id))) throw IdentityErrors.error('INVALID_MFA_TOKEN');
  }

  /** The session is opened: the token is spent (in the transaction that claimed it). */
  spend(challenge: MfaChallenge): Promise<void> {
    return this.challenges.delete(challenge.id);
  }

  /** Every pending sign-in step of the person dies (password change, TOTP reset, lock). */
  revokeAllOf(userId: string): Promise<void> {
    return this.challenges.deleteAllOf(userId);
  }

  private async claimsOf(token: string): Promise<MfaChallenge | null> {
    try {
      const claims = await this.jwt.verifyAsync<MfaClaims>(token, {
        secret: this.config.keys.jwt, algorithms: ['HS256'], clockTimestamp: this.nowSeconds(),
      } as never);
      if (claims.typ === 'mfa' && typeof claims.jti === 'string') return { userId: claims.sub, id: claims.jti };
    } catch {
      // answered by the caller
    }
    return null;
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}
