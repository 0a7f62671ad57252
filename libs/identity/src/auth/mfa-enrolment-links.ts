import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock } from '@app/core';
import { IdentityErrors } from '../errors';
import { OneTimeLinks } from './one-time-links';
import { OneTimeLinksRepository } from './one-time-links.repository';

/**
 * R-ART28 after a TOTP reset, the next enrolment needs the one-time link e-mailed to the person next to the
 * password: a password alone, the very thing a second factor guards against, no longer enrols one.
 */
@Injectable()
export class MfaEnrolmentLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: OneTimeLinks,
    private readonly stored: OneTimeLinksRepository,
    private readonly clock: Clock,
  ) {}

  /** Revokes the person's pending links and stores a new one: the link to e-mail, and when it expires. */
  async issue(user: { id: string; email: string }): Promise<{ link: string; expiresAt: Date }> {
    const { token, expiresAt } = await this.links.issue('mfa_enrolment_links', user.id);
    const query = new URLSearchParams({ email: user.email, enrolment: token });
    return { link: `${this.config.http.publicUrl}/login?${query.toString()}`, expiresAt };
  }

  /** Whether the person's next enrolment needs a link: a reset issued one that was neither used nor replaced. */
  required(userId: string): Promise<boolean> {
    return this.stored.anyUnused('mfa_enrolment_links', userId);
  }

  /** When the person's working link was e-mailed, if one is pending. */
  pendingSince(userId: string): Promise<Date | undefined> {
    return this.links.pendingSince('mfa_enrolment_links', userId);
  }

  /** Refuses (403) an enrolment of a person who needs a link, without this person's pending, unexpired one. */
  async assertHeld(userId: string, token: string | undefined): Promise<void> {
    if (!(await this.required(userId))) return;
    if (!token) throw IdentityErrors.error('MFA_ENROLMENT_LINK_REQUIRED');
    if (!(await this.links.pending('mfa_enrolment_links', token, userId))) throw IdentityErrors.error('MFA_ENROLMENT_LINK_INVALID');
  }

  /** The enrolment is done: the person's pending links stop working. */
  async spend(userId: string): Promise<void> {
    await this.stored.useAllOf('mfa_enrolment_links', userId, this.clock.now());
  }
}
