import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import {
  APP_CONFIG, AppConfig, AuditService, Clock, Db, randomToken, Secrets, UnauthorizedError, UserPrincipal, Role,
} from '@app/core';

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
 * Sessions (R-ART28): an access token is short-lived, but every request also checks that its
 * session is still open and its person still active, so suspending or deactivating someone cuts
 * their API access at once. Refresh tokens rotate; presenting a used one revokes the session.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly jwt: JwtService,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async open(userId: string, meta: { ip?: string; userAgent?: string }): Promise<TokenPair> {
    const now = this.clock.now();
    const expires = new Date(now.getTime() + this.config.auth.refreshTokenTtl * 1000);
    const [session] = await this.db.query<{ id: string }>(
      `INSERT INTO auth_sessions (user_id, created_at, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [userId, now, expires, meta.ip ?? null, meta.userAgent?.slice(0, 300) ?? null],
    );
    return this.issue(userId, session.id);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = this.secrets.lookupHash(refreshToken);
    return this.db.transaction(async () => {
      const [token] = await this.db.query<{ id: string; session_id: string; used_at: Date | null; user_id: string; tenant_id: string | null; revoked_at: Date | null; expires_at: Date }>(
        `SELECT t.id, t.session_id, t.used_at, s.user_id, u.tenant_id, s.revoked_at, s.expires_at
           FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
          WHERE t.token_hash = $1 FOR UPDATE OF t, s`,
        [hash],
      );
      if (!token) throw new UnauthorizedError('INVALID_REFRESH_TOKEN', 'This refresh token is not valid');
      if (token.used_at) {
        if (!token.revoked_at) {
          await this.revoke(token.session_id, 'refresh_token_reuse');
          await this.audit.record({
            tenantId: token.tenant_id, actor: { type: 'system', id: null, label: 'auth' },
            action: 'session.revoked', targetType: 'user', targetId: token.user_id,
            after: { sessionId: token.session_id, reason: 'refresh_token_reuse' },
          });
        }
        return { reused: true } as const;
      }
      if (token.revoked_at || token.expires_at <= this.clock.now()) {
        throw new UnauthorizedError('SESSION_ENDED', 'This session has ended; sign in again');
      }
      await this.db.query(`UPDATE refresh_tokens SET used_at = $2 WHERE id = $1`, [token.id, this.clock.now()]);
      return this.issue(token.user_id, token.session_id);
    }).then((result) => {
      // The revocation above must commit, so the refusal is thrown after the transaction.
      if ('reused' in result) {
        throw new UnauthorizedError('REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session is revoked');
      }
      return result;
    });
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, this.clock.now(), reason],
    );
  }

  /** Closes every open session of a person (suspension, departure, password change). */
  async revokeAllOf(userId: string, reason: string, exceptSessionId?: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3
        WHERE user_id = $1 AND revoked_at IS NULL AND ($4::uuid IS NULL OR id <> $4) RETURNING id`,
      [userId, this.clock.now(), reason, exceptSessionId ?? null],
    );
    return rows.length;
  }

  /** The per-request check, after passport verified the token: one indexed query on session + person. */
  async principalOf(claims: AccessClaims): Promise<UserPrincipal> {
    if (claims.typ !== 'access') throw new UnauthorizedError('INVALID_TOKEN', 'Not an access token');
    const [row] = await this.db.query<{ id: string; tenant_id: string | null; contractor_id: string | null; roles: Role[]; email: string }>(
      `SELECT u.id, u.tenant_id, u.contractor_id, u.roles, u.email
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3 AND u.status = 'active'`,
      [claims.sid, claims.sub, this.clock.now()],
    );
    if (!row) throw new UnauthorizedError('SESSION_ENDED', 'This session has ended; sign in again');
    return {
      kind: 'user', userId: row.id, sessionId: claims.sid, tenantId: row.tenant_id,
      contractorId: row.contractor_id, roles: row.roles, email: row.email,
    };
  }

  private async issue(userId: string, sessionId: string): Promise<TokenPair> {
    const refreshToken = randomToken(32);
    await this.db.query(`INSERT INTO refresh_tokens (session_id, token_hash, created_at) VALUES ($1, $2, $3)`, [
      sessionId, this.secrets.lookupHash(refreshToken), this.clock.now(),
    ]);
    // Issued-at from the injected clock, so expiry follows the same time as everything else.
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: AccessClaims & { iat: number } = { sub: userId, sid: sessionId, typ: 'access', iat };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: this.config.keys.jwt, algorithm: 'HS256', expiresIn: this.config.auth.accessTokenTtl,
    } as never);
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.config.auth.accessTokenTtl };
  }
}
