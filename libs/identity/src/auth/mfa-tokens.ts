import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, Clock, Db, lockRow, UnauthorizedError } from '@app/core';

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
 * The short-lived proof that the password was right; only good for the TOTP step, and for one session
 * (R-ART28 R-INT): its challenge row is spent by the verify or enrolment that opens the session, and a
 * password change, a TOTP reset or a lock revokes every pending one of the person.
 */
@Injectable()
export class MfaTokens {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    private readonly db: Db,
  ) {}

  async issue(userId: string): Promise<string> {
    const now = this.clock.now();
    await this.db.query(`DELETE FROM mfa_challenges WHERE user_id = $1 AND expires_at <= $2`, [userId, now]);
    const [challenge] = await this.db.query<{ id: string }>(
      `INSERT INTO mfa_challenges (user_id, expires_at) VALUES ($1, $2) RETURNING id`,
      [userId, new Date(now.getTime() + this.config.auth.mfaTokenTtl * 1000)],
    );
    const claims: MfaClaims = { sub: userId, typ: 'mfa', jti: challenge.id, iat: this.nowSeconds() };
    return this.jwt.signAsync(claims, {
      secret: this.config.keys.jwt, algorithm: 'HS256', expiresIn: this.config.auth.mfaTokenTtl,
    } as never);
  }

  /** The pending challenge a token names; 401 when the token is forged, expired, spent or revoked. */
  async challengeOf(token: string): Promise<MfaChallenge> {
    const challenge = await this.claimsOf(token);
    if (challenge && (await this.db.query(`SELECT 1 FROM mfa_challenges WHERE id = $1`, [challenge.id])).length) return challenge;
    throw invalidMfaToken();
  }

  /**
   * Inside the transaction that may open a session: locks the person's row, then the challenge (the
   * order a password change and a TOTP reset take too), so parallel verifies of one token take turns
   * and the ones after the winner find it spent (401).
   */
  async claim(challenge: MfaChallenge): Promise<void> {
    await lockRow(this.db, 'users', challenge.userId);
    if (!(await lockRow(this.db, 'mfa_challenges', challenge.id))) throw invalidMfaToken();
  }

  /** The session is opened: the token is spent (in the transaction that claimed it). */
  async spend(challenge: MfaChallenge): Promise<void> {
    await this.db.query(`DELETE FROM mfa_challenges WHERE id = $1`, [challenge.id]);
  }

  /** Every pending sign-in step of the person dies (password change, TOTP reset, lock). */
  async revokeAllOf(userId: string): Promise<void> {
    await this.db.query(`DELETE FROM mfa_challenges WHERE user_id = $1`, [userId]);
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

export function invalidMfaToken(): UnauthorizedError {
  return new UnauthorizedError('INVALID_MFA_TOKEN', 'The sign-in step has expired; enter your password again');
}
