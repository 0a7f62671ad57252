import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, DomainEvents, RateLimitedError } from '@app/core';
import { OneTimeLinks } from '../auth/one-time-links';
import { OneTimeLinksRepository } from '../auth/one-time-links.repository';
import { Person } from '../entities';
import { IdentityErrors } from '../errors';

const HOUR = 3_600_000;

/** R-ART28 one-time invitation links: a nominative account whose holder chooses the password. Runs in the caller's transaction. */
@Injectable()
export class Invitations {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: OneTimeLinks,
    private readonly stored: OneTimeLinksRepository,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * R-ART28 beyond INVITATION_RESENDS_PER_HOUR resends within the hour: 429 with the seconds until the oldest leaves
   * it. Counted under the person's row lock (UsersRepository.findInScope forUpdate): two API processes cannot both pass.
   */
  async assertResendAllowed(user: Pick<Person, 'id' | 'firstName' | 'lastName'>): Promise<void> {
    const limit = this.config.auth.invitationResendsPerHour;
    const since = new Date(this.clock.now().getTime() - HOUR);
    const sent = await this.stored.resentSince(user.id, since, limit);
    if (sent.length < limit) return;
    const oldest = new Date(sent[sent.length - 1]).getTime();
    const retryAfter = Math.max(1, Math.ceil((oldest - since.getTime()) / 1000));
    const minutes = Math.ceil(retryAfter / 60);
    const params = { person: `${user.firstName} ${user.lastName}`, limit, minutes };
    throw new RateLimitedError(IdentityErrors.text('INVITATIONS_TOO_FREQUENT', params), retryAfter);
  }

  /** Revokes the person's pending links, stores a new one and e-mails it. Returns how many links it revoked. */
  async issue(user: Person, tenantName: string, resent = false): Promise<{ expiresAt: Date; revoked: number }> {
    const { token, expiresAt, revoked } = await this.links.issue('invitations', user.id, resent);
    await this.events.emit('user.invitation_issued', {
      tenantId: user.tenantId, userId: user.id, email: user.email, locale: user.locale, firstName: user.firstName, tenantName,
      link: `${this.config.http.publicUrl}/accept-invitation?token=${token}`, expiresAt: expiresAt.toISOString(), roles: user.roles,
      existingAccount: user.passwordHash !== null,
    });
    return { expiresAt, revoked };
  }

  /** The pending link of this token, or undefined when it is unknown, used, revoked or expired. */
  pending(token: string): Promise<{ id: string; userId: string } | undefined> {
    return this.links.pending('invitations', token);
  }

  /** Marks the link used; false when a concurrent request (or a resend) got there first. */
  claim(id: string): Promise<boolean> {
    return this.stored.use('invitations', id, this.clock.now());
  }
}
