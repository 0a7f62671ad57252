import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig, Clock, UserPrincipal } from '@app/core';
import { IdentityErrors } from '../errors';
import { AccessClaims, SessionsService } from './sessions.service';

/**
 * passport-jwt checks the signature; the expiry is checked here on the injected clock (passport-jwt reads its options
 * once, so a clock handed to jsonwebtoken would stop at boot). Then the session, so a revocation applies at once (R-ART28).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.keys.jwt,
      algorithms: ['HS256'],
      ignoreExpiration: true,
    });
  }

  validate(claims: AccessClaims & { exp?: number }): Promise<UserPrincipal> {
    if (typeof claims.exp !== 'number' || claims.exp <= Math.floor(this.clock.now().getTime() / 1000)) {
      throw IdentityErrors.error('INVALID_TOKEN');
    }
    return this.sessions.principalOf(claims);
  }
}
