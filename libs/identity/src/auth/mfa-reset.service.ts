import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, Db, DomainEvents, NotFoundError, Role, TenantScope, UserPrincipal } from '@app/core';
import { Person } from '../entities';
import { CredentialChangeErrors, IdentityErrors } from '../errors';
import { UsersRepository } from '../users/users.repository';
import { toUserView, UserView } from '../users/user.mapper';
import { MfaEnrolmentLinks } from './mfa-enrolment-links';
import { SecondFactor } from './second-factor';
import { SessionsService } from './sessions.service';

/** A second reset within this delay of the first, its link still unused, is the first sent twice. */
const RESET_REPEAT_MS = 60_000;

/** R-ART28 a lost or stolen second factor: the DSI resets it, a contractor's declarer asks (docs/adr/mfa-reset.md). */
@Injectable()
export class MfaResetService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly secondFactor: SecondFactor,
    private readonly enrolmentLinks: MfaEnrolmentLinks,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async reset(principal: UserPrincipal, scope: TenantScope, userId: string, reason: string): Promise<UserView> {
    if (userId === principal.userId) throw IdentityErrors.error('MFA_RESET_SELF');
    return this.db.transaction(async () => {
      const user = await this.resettable(await this.visible(scope, userId));
      return this.wipe(principal, user, reason);
    });
  }

  /**
   * Inside the caller's transaction: wipes the enrolment, ends every session and sign-in step, issues the enrolment
   * link, audits in the person's establishment and e-mails the person. 409 when there is nothing to reset.
   */
  async wipe(principal: UserPrincipal, found: Person, reason: string, byOperator = false): Promise<UserView> {
    const user = await this.notJustReset(found);
    const now = this.clock.now();
    const recoveryCodesDeleted = await this.secondFactor.wipe(user.id);
    const sessionsRevoked = await this.sessions.endEverywhere(user.id, 'mfa_reset');
    const { link, expiresAt } = await this.enrolmentLinks.issue(user);
    await this.audit.record({
      tenantId: user.tenantId, actor: actorOf(principal), action: 'user.mfa_reset', targetType: 'user', targetId: user.id,
      before: { mfaEnrolled: user.totpEnabledAt !== null },
      after: {
        mfaEnrolled: false, reason, sessionsRevoked, recoveryCodesDeleted, ...(byOperator ? { byPlatformOperator: true } : {}),
      },
    });
    await this.events.emit('user.mfa_reset', {
      tenantId: user.tenantId, userId: user.id, email: user.email, locale: user.locale, firstName: user.firstName,
      at: now.toISOString(), reason, link, expiresAt: expiresAt.toISOString(), byOperator,
    });
    return toUserView({ ...user, totpEnabledAt: null });
  }

  /**
   * R-ART28 R-ART3 a contractor's declarer asks the DSI to reset the second factor of a person of its company
   * (itself included, signed in with a recovery code): only the audit trail changes; every active DSI is e-mailed.
   */
  async request(
    principal: UserPrincipal, scope: TenantScope, userId: string, reason: string,
  ): Promise<{ userId: string; requestedAt: string; notified: number }> {
    return this.db.transaction(async () => {
      const user = await this.resettable(await this.visible(scope, userId));
      const dsis = await this.users.hospitalRecipients(scope.tenantId, [Role.Dsi]);
      const requestedAt = this.clock.now().toISOString();
      await this.audit.record({
        tenantId: user.tenantId, actor: actorOf(principal), action: 'user.mfa_reset_requested', targetType: 'user', targetId: user.id,
        after: { reason, notified: dsis.length },
      });
      await this.events.emit('user.mfa_reset_requested', {
        tenantId: user.tenantId, userId: user.id, person: `${user.firstName} ${user.lastName}`, email: user.email,
        requester: principal.email, reason, at: requestedAt, recipients: dsis,
      });
      return { userId: user.id, requestedAt, notified: dsis.length };
    });
  }

  /** A second factor to reset, or a reset whose enrolment link was not used yet (409 otherwise). */
  async resettable(user: Person): Promise<Person> {
    if (user.status === 'deactivated') throw CredentialChangeErrors.error('ACCOUNT_DEACTIVATED');
    if (!user.totpEnabledAt && !user.totpPendingEnc && !(await this.enrolmentLinks.required(user.id))) {
      throw IdentityErrors.error('MFA_NOTHING_TO_RESET', { person: `${user.firstName} ${user.lastName}` });
    }
    return user;
  }

  /** The person, visible to the caller (404 otherwise), locked until the transaction ends. */
  private async visible(scope: TenantScope, userId: string): Promise<Person> {
    const user = await this.users.findInScope(scope, userId, true);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  /** R-INT a reset whose link went out less than a minute ago is the same reset sent twice (a double click, two DSIs at once). */
  private async notJustReset(user: Person): Promise<Person> {
    const sentAt = await this.enrolmentLinks.pendingSince(user.id);
    if (sentAt && this.clock.now().getTime() - sentAt.getTime() < RESET_REPEAT_MS) {
      const linkSentAt = sentAt.toISOString();
      const person = `${user.firstName} ${user.lastName}`;
      throw IdentityErrors.error('MFA_RESET_PENDING', { person }, { currentStatus: 'enrolment_link_sent', linkSentAt });
    }
    return user;
  }
}
