import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Db, randomToken, Secrets } from '@app/core';
import { NotificationsService } from '@app/notifications';
import { UserEntity } from '../entities';

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

  /** Revokes the person's pending links, stores a new one and e-mails it. Returns how many links it revoked. */
  async issue(user: UserEntity, tenantName: string): Promise<{ expiresAt: Date; revoked: number }> {
    const now = this.clock.now();
    const revoked = await this.db.query(
      `UPDATE invitations SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`,
      [user.id, now],
    );
    const token = randomToken(32);
    const expiresAt = new Date(now.getTime() + this.config.auth.invitationTtl * 1000);
    await this.db.query(`INSERT INTO invitations (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [
      user.id, this.secrets.lookupHash(token), expiresAt,
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
