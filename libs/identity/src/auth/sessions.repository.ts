import { Injectable } from '@nestjs/common';
import { Db, Role } from '@app/core';
import { MEMBERSHIPS_OF } from '../users/identity-sql';

/** A refresh token with its session, locked until the caller's transaction ends. */
export interface RefreshTokenRow {
  id: string;
  sessionId: string;
  usedAt: Date | null;
  userId: string;
  tenantId: string | null;
  revokedAt: Date | null;
  expiresAt: Date;
}

/** The person behind an open session (the per-request check). */
export interface SessionPerson {
  id: string;
  tenantId: string | null;
  contractorId: string | null;
  roles: Role[];
  email: string;
  locale: 'fr' | 'en';
}

/** Only this class touches auth_sessions and refresh_tokens (R-ART28). */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: Db) {}

  /** `attestedBy`: R-SSO the establishment whose identity provider attested the second factor (null: Prestagate's TOTP). */
  async open(userId: string, at: Date, expiresAt: Date, meta: { ip?: string; userAgent?: string }, attestedBy?: string): Promise<string> {
    const [session] = await this.db.query<{ id: string }>(
      `INSERT INTO auth_sessions (user_id, created_at, expires_at, ip, user_agent, factor_attested_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [userId, at, expiresAt, meta.ip ?? null, meta.userAgent?.slice(0, 300) ?? null, attestedBy ?? null],
    );
    return session.id;
  }

  /** R-SSO R-MEMB the establishment whose provider attested this session's second factor, or null. */
  async factorAttestedBy(sessionId: string): Promise<string | null> {
    const sql = `SELECT factor_attested_by AS by FROM auth_sessions WHERE id = $1`;
    const [row] = await this.db.query<{ by: string | null }>(sql, [sessionId]);
    return row?.by ?? null;
  }

  async addRefreshToken(sessionId: string, tokenHash: string, at: Date): Promise<void> {
    await this.db.query(`INSERT INTO refresh_tokens (session_id, token_hash, created_at) VALUES ($1, $2, $3)`, [sessionId, tokenHash, at]);
  }

  async lockRefreshToken(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const [row] = await this.db.query<RefreshTokenRow>(
      `SELECT t.id, t.session_id AS "sessionId", t.used_at AS "usedAt", s.user_id AS "userId", u.tenant_id AS "tenantId",
              s.revoked_at AS "revokedAt", s.expires_at AS "expiresAt"
         FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
        WHERE t.token_hash = $1 FOR UPDATE OF t, s`,
      [tokenHash],
    );
    return row;
  }

  async useRefreshToken(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE refresh_tokens SET used_at = $2 WHERE id = $1`, [id, at]);
  }

  /** Ends an open session; false when it was already ended (a parallel logout or switch got there first). */
  async revoke(sessionId: string, at: Date, reason: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
      [sessionId, at, reason],
    );
    return rows.length === 1;
  }

  /**
   * Closes the membership's open sessions but `exceptSessionId` (R-MEMB `everywhere`: those of every membership of its
   * identity, for a password change or a TOTP reset); answers how many.
   */
  async revokeAllOf(userId: string, at: Date, reason: string, exceptSessionId?: string, everywhere = false): Promise<number> {
    const whose = everywhere
      ? `user_id IN ${MEMBERSHIPS_OF}`
      : 'user_id = $1';
    const rows = await this.db.query(
      `UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3
        WHERE ${whose} AND revoked_at IS NULL AND ($4::uuid IS NULL OR id <> $4) RETURNING id`,
      [userId, at, reason, exceptSessionId ?? null],
    );
    return rows.length;
  }

  /** One indexed query on session + person: open, unexpired, and the person active. */
  async activePerson(sessionId: string, userId: string, now: Date): Promise<SessionPerson | undefined> {
    const [row] = await this.db.query<SessionPerson>(
      `SELECT u.id, u.tenant_id AS "tenantId", u.contractor_id AS "contractorId", u.roles, u.email, u.locale
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3 AND u.status = 'active'`,
      [sessionId, userId, now],
    );
    return row;
  }
}
