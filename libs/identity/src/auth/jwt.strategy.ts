import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig, Clock, UserPrincipal } from '@app/core';
import { AccessClaims, SessionsService } from './sessions.service';

/**
 * passport-jwt checks the bearer token's signature and expiry (against the injected clock);
 * then the session itself is checked on every request, so revocation takes effect at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    clock: Clock,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.keys.jwt,
      algorithms: ['HS256'],
      jsonWebTokenOptions: {
        get clockTimestamp() {
          return Math.floor(clock.now().getTime() / 1000);
        },
      } as object,
    });
  }

  validate(claims: AccessClaims): Promise<UserPrincipal> {
    return this.sessions.principalOf(claims);
  }
}
