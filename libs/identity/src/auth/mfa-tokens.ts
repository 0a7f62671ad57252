import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, Clock, UnauthorizedError } from '@app/core';

interface MfaClaims {
  sub: string;
  typ: 'mfa';
  iat: number;
}

/** The short-lived proof that the password was right; only good for the TOTP step. */
@Injectable()
export class MfaTokens {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
  ) {}

  issue(userId: string): Promise<string> {
    const claims: MfaClaims = { sub: userId, typ: 'mfa', iat: this.nowSeconds() };
    return this.jwt.signAsync(claims, {
      secret: this.config.keys.jwt, algorithm: 'HS256', expiresIn: this.config.auth.mfaTokenTtl,
    } as never);
  }

  async userIdOf(token: string): Promise<string> {
    try {
      const claims = await this.jwt.verifyAsync<MfaClaims>(token, {
        secret: this.config.keys.jwt, algorithms: ['HS256'], clockTimestamp: this.nowSeconds(),
      } as never);
      if (claims.typ === 'mfa') return claims.sub;
    } catch {
      // answered below
    }
    throw new UnauthorizedError('INVALID_MFA_TOKEN', 'The sign-in step has expired; enter your password again');
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}
