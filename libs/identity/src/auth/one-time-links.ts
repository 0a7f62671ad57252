import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, randomToken, Secrets } from '@app/core';
import { LinkTable, OneTimeLinksRepository } from './one-time-links.repository';

/**
 * R-ART28 one-time links e-mailed to a person (an invitation, an enrolment after a TOTP reset): only their
 * HMAC is stored, issuing one revokes the earlier ones, each lasts INVITATION_TTL_SECONDS.
 */
@Injectable()
export class OneTimeLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: OneTimeLinksRepository,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
  ) {}

  /** Revokes the person's pending links and stores a new one (`resent`: invitations only). */
  async issue(table: LinkTable, userId: string, resent?: boolean): Promise<{ token: string; expiresAt: Date; revoked: number }> {
    const now = this.clock.now();
    const revoked = await this.links.revokePending(table, userId, now);
    const token = randomToken(32);
    const expiresAt = new Date(now.getTime() + this.config.auth.invitationTtl * 1000);
    await this.links.add(table, { userId, tokenHash: this.secrets.lookupHash(token), expiresAt, createdAt: now, resent });
    return { token, expiresAt, revoked };
  }

  /** The pending (unused, unrevoked, unexpired) link of this token, of `userId` when given; undefined otherwise. */
  pending(table: LinkTable, token: string, userId?: string): Promise<{ id: string; userId: string } | undefined> {
    return this.links.pending(table, this.secrets.lookupHash(token), this.clock.now(), userId);
  }

  /** When the person's working link (unused, unrevoked, unexpired) was issued; undefined without one. */
  pendingSince(table: LinkTable, userId: string): Promise<Date | undefined> {
    return this.links.pendingSince(table, userId, this.clock.now());
  }
}
