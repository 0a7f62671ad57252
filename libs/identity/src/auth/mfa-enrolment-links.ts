import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Db, DomainError } from '@app/core';
import { OneTimeLinks } from './one-time-links';

/**
 * R-ART28 one-time links that let a person enrol a new second factor after a TOTP reset. A reset
 * issues one (e-mailed to the person's nominative address) and the next enrolment needs it next to the
 * password: a password alone, the very thing a second factor guards against, no longer enrols one.
 * Kept by OneTimeLinks (HMAC only, a new one revokes the earlier ones, INVITATION_TTL_SECONDS); an
 * expired one is replaced by a new reset. Runs inside the caller's transaction.
 */
@Injectable()
export class MfaEnrolmentLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly links: OneTimeLinks,
    private readonly clock: Clock,
  ) {}

  /** Revokes the person's pending links and stores a new one: the link to e-mail, and when it expires. */
  async issue(user: { id: string; email: string }): Promise<{ link: string; expiresAt: Date }> {
    const { token, expiresAt } = await this.links.issue('mfa_enrolment_links', user.id);
    const query = new URLSearchParams({ email: user.email, enrolment: token });
    return { link: `${this.config.http.publicUrl}/login?${query.toString()}`, expiresAt };
  }

  /** Whether the person's next enrolment needs a link: a reset issued one that was neither used nor replaced. */
  async required(userId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM mfa_enrolment_links WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL LIMIT 1`, [userId]);
    return rows.length > 0;
  }

  /** When the person's working link was e-mailed, if one is pending. */
  pendingSince(userId: string): Promise<Date | undefined> {
    return this.links.pendingSince('mfa_enrolment_links', userId);
  }

  /** Refuses (403) an enrolment of a person who needs a link, without this person's pending, unexpired one. */
  async assertHeld(userId: string, token: string | undefined): Promise<void> {
    if (!(await this.required(userId))) return;
    if (!token) {
      throw new DomainError('MFA_ENROLMENT_LINK_REQUIRED', 403,
        'Your second factor was reset: open the link e-mailed to you to enrol a new one');
    }
    if (!(await this.links.pending('mfa_enrolment_links', token, userId))) {
      throw new DomainError('MFA_ENROLMENT_LINK_INVALID', 403,
        'This enrolment link is expired, used or replaced by a newer one: ask the digital department (DSI) for a new reset');
    }
  }

  /** The enrolment is done: the person's pending links stop working. */
  async spend(userId: string): Promise<void> {
    await this.db.query(`UPDATE mfa_enrolment_links SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [userId, this.clock.now()]);
  }
}
