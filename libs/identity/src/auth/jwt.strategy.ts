import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig, Clock, UnauthorizedError, UserPrincipal } from '@app/core';
import { AccessClaims, SessionsService } from './sessions.service';

/**
 * passport-jwt checks the bearer token's signature; expiry is checked here against the injected
 * clock at each request (passport-jwt copies its options once, so a clock handed to jsonwebtoken
 * would be read at boot only and no token would ever expire in a long-running process). Then
 * the session itself is checked on every request, so revocation takes effect at once (R-ART28).
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
      throw new UnauthorizedError('INVALID_TOKEN', 'The access token is missing, invalid or expired');
    }
    return this.sessions.principalOf(claims);
  }
}
