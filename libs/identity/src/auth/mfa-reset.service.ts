import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, ConflictError, Db, DomainError, NotFoundError, Role, TenantScope, UserPrincipal } from '@app/core';
import { NotificationsService } from '@app/notifications';
import { UserEntity } from '../entities';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';
import { toUserView, UserView } from '../users/user.mapper';
import { MfaEnrolmentLinks } from './mfa-enrolment-links';
import { MfaTokens } from './mfa-tokens';
import { SessionsService } from './sessions.service';

/**
 * R-ART28 a lost or stolen second factor. The DSI (the tenant's administrator: it approves accounts and
 * their credentials) resets the TOTP enrolment of a person of its tenant, hospital staff or contractor
 * people alike. A contractor's security contact cannot: under the charter the company declares and the
 * DSI approves, and a reset issued by the company would let it hand a new second factor to whoever holds
 * the password without the hospital deciding (docs/guide.md "Lost phone, lost invitation"). It asks instead
 * (`request`), the way it requests accounts: the DSIs are e-mailed, the request is audited, the DSI
 * resets. Nobody resets their own: a person who still signs in uses a recovery code; one who cannot asks.
 * A DSI with no other DSI to ask is reset by the platform operator (`resetDsiByOperator`).
 *
 * Effect, in one transaction: the secret, the pending enrolment and the recovery codes are wiped, every
 * session (and so every refresh token) and every pending sign-in step (`mfaToken`) is revoked, the next
 * sign-in answers `next: "enroll"` and the enrolment needs the one-time link e-mailed to the person with
 * the notice (MfaEnrolmentLinks: the password alone no longer enrols); the audit trail keeps who, whom
 * and why. A person whose link expired unused is reset again, which sends a new link and revokes the old one.
 */
/** A second reset within this delay of the first, its link still unused, is the first sent twice. */
const RESET_REPEAT_MS = 60_000;

@Injectable()
export class MfaResetService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly enrolmentLinks: MfaEnrolmentLinks,
    private readonly mfa: MfaTokens,
  ) {}

  async reset(principal: UserPrincipal, scope: TenantScope, userId: string, reason: string): Promise<UserView> {
    if (userId === principal.userId) {
      throw new DomainError('MFA_RESET_SELF', 403, 'Nobody resets their own second factor: use a recovery code, or ask another administrator');
    }
    return this.db.transaction(async () => this.wipe(principal, await this.notJustReset(await this.resettable(await this.visible(scope, userId))), reason));
  }

  /**
   * R-ART28 the DSI alone in its establishment who lost both phone and recovery codes: the platform
   * operator resets it, and only a DSI (everyone else has a DSI to ask). The same effect as `reset`, in
   * the establishment's own audit trail with the operator as actor (the hospital sees who acted), and in
   * the platform's; the establishment's other DSIs and RSSIs are e-mailed besides the person.
   */
  async resetDsiByOperator(principal: UserPrincipal, tenantId: string, userId: string, reason: string): Promise<UserView> {
    return this.db.transaction(async () => {
      const tenant = await this.tenants.findById(tenantId);
      if (!tenant) throw new NotFoundError('Establishment');
      const user = await this.users.findInScope({ tenantId }, userId, true);
      if (!user || user.contractorId || !user.roles.includes(Role.Dsi)) {
        throw new DomainError('NOT_FOUND', 404, 'This establishment has no DSI with this id: the platform operator resets the second factor of DSIs only, the DSI resets everyone else');
      }
      const view = await this.wipe(principal, await this.notJustReset(await this.resettable(user)), reason, true);
      await this.audit.record({
        tenantId: null, actor: actorOf(principal), action: 'user.mfa_reset', targetType: 'user', targetId: user.id,
        after: { tenantId, tenant: tenant.name, email: user.email, reason },
      });
      const others = (await this.users.hospitalRecipients(tenantId, [Role.Dsi, Role.Rssi])).filter((r) => r.email.toLowerCase() !== user.email.toLowerCase());
      await this.notifications.emailEach(others, {
        tenantId, template: 'mfa-reset-by-operator',
        data: { person: `${user.firstName} ${user.lastName}`, email: user.email, tenant: tenant.name, operator: principal.email, reason, at: this.clock.now().toISOString() },
      });
      return view;
    });
  }

  /** Wipes the enrolment, revokes every session, audits in the person's establishment and e-mails the person (inside the caller's transaction). */
  private async wipe(principal: UserPrincipal, user: UserEntity, reason: string, byOperator = false): Promise<UserView> {
    const now = this.clock.now();
    await this.users.update(user.id, { totpSecretEnc: null, totpPendingEnc: null, totpEnabledAt: null, totpLastStep: null });
    const recoveryCodes = await this.db.query(`DELETE FROM recovery_codes WHERE user_id = $1 RETURNING id`, [user.id]);
    const sessions = await this.sessions.revokeAllOf(user.id, 'mfa_reset');
    await this.mfa.revokeAllOf(user.id);
    const { link, expiresAt } = await this.enrolmentLinks.issue(user);
    await this.audit.record({
      tenantId: user.tenantId, actor: actorOf(principal), action: 'user.mfa_reset', targetType: 'user', targetId: user.id,
      before: { mfaEnrolled: user.totpEnabledAt !== null },
      after: { mfaEnrolled: false, reason, sessionsRevoked: sessions, recoveryCodesDeleted: recoveryCodes.length, ...(byOperator ? { byPlatformOperator: true } : {}) },
    });
    await this.notifications.email({
      tenantId: user.tenantId, to: user.email, template: 'mfa-reset', locale: user.locale,
      data: { firstName: user.firstName, at: now.toISOString(), reason, link, expiresAt: expiresAt.toISOString(), ...(byOperator ? { byOperator } : {}) },
    });
    return toUserView({ ...user, totpEnabledAt: null });
  }

  /**
   * R-ART28 R-ART3 a contractor's legal representative, security contact or deputy asks the DSI to reset
   * the second factor of a person of its company (itself included: signed in with a recovery code). Nothing
   * changes but the audit trail; every active DSI of the establishment is e-mailed with the reason.
   */
  async request(principal: UserPrincipal, scope: TenantScope, userId: string, reason: string): Promise<{ userId: string; requestedAt: string; notified: number }> {
    return this.db.transaction(async () => {
      const user = await this.resettable(await this.visible(scope, userId));
      const dsis = await this.users.hospitalRecipients(scope.tenantId, [Role.Dsi]);
      const requestedAt = this.clock.now().toISOString();
      await this.audit.record({
        tenantId: user.tenantId, actor: actorOf(principal), action: 'user.mfa_reset_requested', targetType: 'user', targetId: user.id,
        after: { reason, notified: dsis.length },
      });
      await this.notifications.emailEach(dsis, {
        tenantId: user.tenantId, template: 'mfa-reset-requested',
        data: { person: `${user.firstName} ${user.lastName}`, email: user.email, userId: user.id, requester: principal.email, reason, at: requestedAt },
      });
      return { userId: user.id, requestedAt, notified: dsis.length };
    });
  }

  /** The person, visible to the caller (404 otherwise), locked until the transaction ends. */
  private async visible(scope: TenantScope, userId: string): Promise<UserEntity> {
    const user = await this.users.findInScope(scope, userId, true);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  /**
   * R-INT: a reset whose link went out less than a minute ago is the same reset sent twice (a double click,
   * two DSIs at once): 409 with when the link was sent, rather than a second link replacing the first.
   */
  private async notJustReset(user: UserEntity): Promise<UserEntity> {
    const sentAt = await this.enrolmentLinks.pendingSince(user.id);
    if (sentAt && this.clock.now().getTime() - sentAt.getTime() < RESET_REPEAT_MS) {
      throw new ConflictError('MFA_RESET_PENDING', `This second factor was reset at ${sentAt.toISOString()}: the enrolment link is on its way to the person`, {
        currentStatus: 'enrolment_link_sent', linkSentAt: sentAt.toISOString(),
      });
    }
    return user;
  }

  /** A second factor to reset, or a reset whose enrolment link was not used yet (409 otherwise). */
  private async resettable(user: UserEntity): Promise<UserEntity> {
    if (user.status === 'deactivated') throw new ConflictError('ACCOUNT_DEACTIVATED', 'This person is deactivated: there is nothing to reset');
    if (!user.totpEnabledAt && !user.totpPendingEnc && !(await this.enrolmentLinks.required(user.id))) {
      throw new ConflictError('MFA_NOT_ENROLLED', 'This person has not enrolled a second factor: the next sign-in enrols one anyway');
    }
    return user;
  }
}
