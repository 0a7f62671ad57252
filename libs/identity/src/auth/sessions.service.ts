import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, AuditService, Clock, Db, randomToken, Secrets, UserPrincipal } from '@app/core';
import { IdentityErrors } from '../errors';
import { MfaTokens } from './mfa-tokens';
import { SessionsRepository } from './sessions.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface AccessClaims {
  sub: string;
  sid: string;
  typ: 'access';
}

/**
 * R-ART28 sessions: an access token is short-lived, and every request also checks that its session is open and
 * its person active, so a suspension cuts API access at once. Refresh tokens rotate; a used one revokes the session.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly sessions: SessionsRepository,
    private readonly jwt: JwtService,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly mfa: MfaTokens,
  ) {}

  /** `attestedBy`: R-SSO the establishment whose identity provider attested the second factor. */
  async open(userId: string, meta: { ip?: string; userAgent?: string }, attestedBy?: string): Promise<TokenPair> {
    const now = this.clock.now();
    const expires = new Date(now.getTime() + this.config.auth.refreshTokenTtl * 1000);
    return this.issue(userId, await this.sessions.open(userId, now, expires, meta, attestedBy));
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const result = await this.db.transaction(async () => {
      const token = await this.sessions.lockRefreshToken(this.secrets.lookupHash(refreshToken));
      if (!token) throw IdentityErrors.error('INVALID_REFRESH_TOKEN');
      if (token.usedAt) {
        if (!token.revokedAt) {
          await this.revoke(token.sessionId, 'refresh_token_reuse');
          await this.audit.record({
            tenantId: token.tenantId, actor: { type: 'system', id: null, label: 'auth' },
            action: 'session.revoked', targetType: 'user', targetId: token.userId,
            after: { sessionId: token.sessionId, reason: 'refresh_token_reuse' },
          });
        }
        return { reused: true } as const;
      }
      if (token.revokedAt || token.expiresAt <= this.clock.now()) throw IdentityErrors.error('SESSION_ENDED');
      await this.sessions.useRefreshToken(token.id, this.clock.now());
      return this.issue(token.userId, token.sessionId);
    });
    // The revocation above must commit, so the refusal is thrown after the transaction.
    if ('reused' in result) throw IdentityErrors.error('REFRESH_TOKEN_REUSED');
    return result;
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.sessions.revoke(sessionId, this.clock.now(), reason);
  }

  /** Closes every open session of a person (suspension, departure, password change). */
  revokeAllOf(userId: string, reason: string, exceptSessionId?: string): Promise<number> {
    return this.sessions.revokeAllOf(userId, this.clock.now(), reason, exceptSessionId);
  }

  /**
   * Ends every way in of the person but `exceptSessionId`, in every establishment (R-MEMB): pending sign-in steps, then
   * sessions (password change, TOTP reset).
   */
  async endEverywhere(userId: string, reason: string, exceptSessionId?: string): Promise<number> {
    await this.mfa.revokeAllOf(userId);
    return this.sessions.revokeAllOf(userId, this.clock.now(), reason, exceptSessionId, true);
  }

  /** The per-request check, after passport verified the token: one indexed query on session + person. */
  async principalOf(claims: AccessClaims): Promise<UserPrincipal> {
    if (claims.typ !== 'access') throw IdentityErrors.error('NOT_ACCESS_TOKEN');
    const person = await this.sessions.activePerson(claims.sid, claims.sub, this.clock.now());
    if (!person) throw IdentityErrors.error('SESSION_ENDED');
    return {
      kind: 'user', userId: person.id, sessionId: claims.sid, tenantId: person.tenantId,
      contractorId: person.contractorId, roles: person.roles, email: person.email, locale: person.locale,
    };
  }

  private async issue(userId: string, sessionId: string): Promise<TokenPair> {
    const refreshToken = randomToken(32);
    await this.sessions.addRefreshToken(sessionId, this.secrets.lookupHash(refreshToken), this.clock.now());
    // Issued-at from the injected clock, so expiry follows the same time as everything else.
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: AccessClaims & { iat: number } = { sub: userId, sid: sessionId, typ: 'access', iat };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.config.keys.jwt, algorithm: 'HS256', expiresIn: this.config.auth.accessTokenTtl,
    } as never);
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.config.auth.accessTokenTtl };
  }
}
