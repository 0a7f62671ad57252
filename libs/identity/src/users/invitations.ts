import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Db, RateLimitedError } from '@app/core';
import { NotificationsService } from '@app/notifications';
import { OneTimeLinks } from '../auth/one-time-links';
import { UserEntity } from '../entities';

const HOUR = 3_600_000;

/**
 * One-time invitation links (R-ART28: a nominative account whose holder chooses the password), kept by
 * OneTimeLinks (HMAC only, one link that works per person). Runs inside the caller's transaction.
 */
@Injectable()
export class Invitations {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly links: OneTimeLinks,
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
    const { token, expiresAt, revoked } = await this.links.issue('invitations', user.id, { resent });
    await this.notifications.email({
      tenantId: user.tenantId, to: user.email, template: 'invitation', locale: user.locale,
      data: {
        firstName: user.firstName, tenantName, expiresAt: expiresAt.toISOString(),
        link: `${this.config.http.publicUrl}/accept-invitation?token=${token}`,
      },
    });
    return { expiresAt, revoked };
  }

  /** The pending link of this token, or undefined when it is unknown, used, revoked or expired. */
  pending(token: string): Promise<{ id: string; userId: string } | undefined> {
    return this.links.pending('invitations', token);
  }

  /** Marks the link used; false when a concurrent request (or a resend) got there first. */
  async claim(id: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE invitations SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`, [id, this.clock.now()],
    );
    return rows.length === 1;
  }
}
