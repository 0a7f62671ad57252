import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Db, randomToken, RateLimitedError, Secrets } from '@app/core';
import { NotificationsService } from '@app/notifications';
import { UserEntity } from '../entities';

const HOUR = 3_600_000;

/**
 * One-time invitation links (R-ART28: a nominative account whose holder chooses the password). Only
 * the HMAC of a token is stored; a person has at most one link that works: issuing a new one revokes
 * the earlier ones. Runs inside the caller's transaction.
 */
@Injectable()
export class Invitations {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly secrets: Secrets,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /**
   * R-ART28 a resend beyond INVITATION_RESENDS_PER_HOUR for this person within the last hour is a 429, with
   * the seconds until the oldest of them leaves the hour. Counted in the caller's transaction with the
   * person's row locked (UsersRepository.findInScope forUpdate), so two API processes cannot both pass.
   */
  async assertResendAllowed(userId: string): Promise<void> {
    const limit = this.config.auth.invitationResendsPerHour;
    const since = new Date(this.clock.now().getTime() - HOUR);
    const rows = await this.db.query<{ created_at: Date }>(
      `SELECT created_at FROM invitations WHERE user_id = $1 AND resent AND created_at > $2 ORDER BY created_at DESC LIMIT $3`,
      [userId, since, limit],
    );
    if (rows.length < limit) return;
    const oldest = new Date(rows[rows.length - 1].created_at).getTime();
    const retryAfter = Math.max(1, Math.ceil((oldest - since.getTime()) / 1000));
    throw new RateLimitedError(`This person was already sent ${limit} new invitation links within the hour: try again in ${Math.ceil(retryAfter / 60)} minute(s)`, retryAfter);
  }

  /** Revokes the person's pending links, stores a new one and e-mails it. Returns how many links it revoked. */
  async issue(user: UserEntity, tenantName: string, resent = false): Promise<{ expiresAt: Date; revoked: number }> {
    const now = this.clock.now();
    const revoked = await this.db.query(
      `UPDATE invitations SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`,
      [user.id, now],
    );
    const token = randomToken(32);
    const expiresAt = new Date(now.getTime() + this.config.auth.invitationTtl * 1000);
    await this.db.query(`INSERT INTO invitations (user_id, token_hash, expires_at, created_at, resent) VALUES ($1, $2, $3, $4, $5)`, [
      user.id, this.secrets.lookupHash(token), expiresAt, now, resent,
    ]);
    await this.notifications.email({
      tenantId: user.tenantId, to: user.email, template: 'invitation', locale: user.locale,
      data: {
        firstName: user.firstName, tenantName, expiresAt: expiresAt.toISOString(),
        link: `${this.config.http.publicUrl}/accept-invitation?token=${token}`,
      },
    });
    return { expiresAt, revoked: revoked.length };
  }

  /** The pending link of this token, or undefined when it is unknown, used, revoked or expired. */
  async pending(token: string): Promise<{ id: string; userId: string } | undefined> {
    const [row] = await this.db.query<{ id: string; user_id: string }>(
      `SELECT id, user_id FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2`,
      [this.secrets.lookupHash(token), this.clock.now()],
    );
    return row && { id: row.id, userId: row.user_id };
  }

  /** Marks the link used; false when a concurrent request (or a resend) got there first. */
  async claim(id: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE invitations SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`, [id, this.clock.now()],
    );
    return rows.length === 1;
  }
}
