import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Db, randomToken, Secrets } from '@app/core';

/** The tables of one-time links, each `(id, user_id, token_hash, expires_at, used_at, revoked_at, created_at)`. */
export type LinkTable = 'invitations' | 'mfa_enrolment_links';

/**
 * R-ART28 one-time links e-mailed to a person: an invitation to choose a password (Invitations), an
 * enrolment after a TOTP reset (MfaEnrolmentLinks). Only the HMAC of a link is stored; a person has at
 * most one that works: issuing one revokes the earlier ones; it lasts INVITATION_TTL_SECONDS. Runs inside
 * the caller's transaction.
 */
@Injectable()
export class OneTimeLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
  ) {}

  /** Revokes the person's pending links and stores a new one (`columns`: the table's own, named in code). */
  async issue(table: LinkTable, userId: string, columns: Record<string, unknown> = {}): Promise<{ token: string; expiresAt: Date; revoked: number }> {
    const now = this.clock.now();
    const revoked = await this.db.query(
      `UPDATE ${table} SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`, [userId, now],
    );
    const token = randomToken(32);
    const expiresAt = new Date(now.getTime() + this.config.auth.invitationTtl * 1000);
    const values: Record<string, unknown> = { user_id: userId, token_hash: this.secrets.lookupHash(token), expires_at: expiresAt, created_at: now, ...columns };
    const names = Object.keys(values);
    await this.db.query(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(values));
    return { token, expiresAt, revoked: revoked.length };
  }

  /** The pending (unused, unrevoked, unexpired) link of this token, of `userId` when given; undefined otherwise. */
  async pending(table: LinkTable, token: string, userId?: string): Promise<{ id: string; userId: string } | undefined> {
    const [row] = await this.db.query<{ id: string; user_id: string }>(
      `SELECT id, user_id FROM ${table}
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 AND ($3::uuid IS NULL OR user_id = $3)`,
      [this.secrets.lookupHash(token), this.clock.now(), userId ?? null],
    );
    return row && { id: row.id, userId: row.user_id };
  }

  /** When the person's working link (unused, unrevoked, unexpired) was issued; undefined without one. */
  async pendingSince(table: LinkTable, userId: string): Promise<Date | undefined> {
    const [row] = await this.db.query<{ created_at: Date }>(
      `SELECT created_at FROM ${table} WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 1`,
      [userId, this.clock.now()],
    );
    return row?.created_at;
  }
}
