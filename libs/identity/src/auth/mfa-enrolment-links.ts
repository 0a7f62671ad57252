import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Db, DomainError, randomToken, Secrets } from '@app/core';

/**
 * R-ART28 one-time links that let a person enrol a new second factor after a TOTP reset. A reset
 * issues one (e-mailed to the person's nominative address) and the next enrolment needs it next to the
 * password: a password alone, the very thing a second factor guards against, no longer enrols one.
 * Only the HMAC of a link is stored; issuing a new one revokes the earlier ones. It lasts as long as an
 * invitation (INVITATION_TTL_SECONDS); an expired one is replaced by a new reset. Runs inside the
 * caller's transaction.
 */
@Injectable()
export class MfaEnrolmentLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
  ) {}

  /** Revokes the person's pending links and stores a new one: the link to e-mail, and when it expires. */
  async issue(user: { id: string; email: string }): Promise<{ link: string; expiresAt: Date }> {
    const now = this.clock.now();
    await this.db.query(`UPDATE mfa_enrolment_links SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [user.id, now]);
    const token = randomToken(32);
    const expiresAt = new Date(now.getTime() + this.config.auth.invitationTtl * 1000);
    await this.db.query(`INSERT INTO mfa_enrolment_links (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [
      user.id, this.secrets.lookupHash(token), expiresAt,
    ]);
    const query = new URLSearchParams({ email: user.email, enrolment: token });
    return { link: `${this.config.http.publicUrl}/login?${query.toString()}`, expiresAt };
  }

  /** Whether the person's next enrolment needs a link: a reset issued one that was neither used nor replaced. */
  async required(userId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM mfa_enrolment_links WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL LIMIT 1`, [userId]);
    return rows.length > 0;
  }

  /** Refuses (403) an enrolment of a person who needs a link, without this person's pending, unexpired one. */
  async assertHeld(userId: string, token: string | undefined): Promise<void> {
    if (!(await this.required(userId))) return;
    if (!token) {
      throw new DomainError('MFA_ENROLMENT_LINK_REQUIRED', 403,
        'Your second factor was reset: open the link e-mailed to you to enrol a new one');
    }
    const rows = await this.db.query(
      `SELECT 1 FROM mfa_enrolment_links WHERE user_id = $1 AND token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3`,
      [userId, this.secrets.lookupHash(token), this.clock.now()],
    );
    if (!rows.length) {
      throw new DomainError('MFA_ENROLMENT_LINK_INVALID', 403,
        'This enrolment link is expired, used or replaced by a newer one: ask the digital department (DSI) for a new reset');
    }
  }

  /** The enrolment is done: the person's pending links stop working. */
  async spend(userId: string): Promise<void> {
    await this.db.query(`UPDATE mfa_enrolment_links SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [userId, this.clock.now()]);
  }
}
