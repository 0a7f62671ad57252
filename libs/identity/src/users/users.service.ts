import { Injectable } from '@nestjs/common';
import { Actor, AuditService, Clock, Db, lockRow, NotFoundError, Page, PageQuery, Role, statusWord, TenantScope } from '@app/core';
import { Lockout } from '../auth/lockout';
import { IdentityErrors } from '../errors';
import { PasswordPolicyService } from '../policy/password-policy.service';
import { PasswordRulesView } from '../policy/password-rules-view';
import { Person } from '../entities';
import { TenantsRepository } from '../tenants/tenants.repository';
import { Invitations } from './invitations';
import { UsersRepository } from './users.repository';
import { auditUser, InvitationDetailsView, MeView, toUserView, UserView } from './user.mapper';

export interface InvitePerson {
  email: string;
  firstName: string;
  lastName: string;
  roles: Role[];
  contractorId?: string | null;
  locale?: 'fr' | 'en';
}

/** People of a tenant. Everyone is invited by e-mail and chooses a password through a one-time link. */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly invitations: Invitations,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly passwordPolicy: PasswordPolicyService,
    private readonly lockout: Lockout,
  ) {}

  /**
   * Creates the person's membership (status invited) and e-mails a one-time link, in one transaction. R-MEMB someone
   * who already has an identity gets a membership of it; the answer is the same, so it tells nothing of elsewhere.
   */
  async invite(actor: Actor, scope: TenantScope, person: InvitePerson): Promise<UserView> {
    return this.db.transaction(async () => {
      if (await this.users.emailTakenIn(scope.tenantId, person.email.trim())) throw IdentityErrors.error('EMAIL_TAKEN');
      const tenant = await this.tenants.findById(scope.tenantId);
      if (!tenant) throw new NotFoundError('Tenant');
      const user = await this.users.create(await this.users.identityFor(person.email.trim()), {
        tenantId: scope.tenantId, contractorId: person.contractorId ?? null,
        firstName: person.firstName.trim(), lastName: person.lastName.trim(), roles: person.roles, status: 'invited',
        locale: person.locale ?? tenant.policy.locale ?? 'fr',
      });
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'user.invited', targetType: 'user', targetId: user.id, after: auditUser(user),
      });
      await this.invitations.issue(user, tenant.name);
      return toUserView(user);
    });
  }

  /**
   * R-ART28 a lost or expired invitation: a new link to the address on record, the earlier ones stop working; only
   * before a password is chosen (409). The DSI for anyone; a contractor's declarers for their company (the scope).
   */
  async resendInvitation(actor: Actor, scope: TenantScope, id: string): Promise<UserView & { invitationExpiresAt: string }> {
    return this.db.transaction(async () => {
      const user = await this.users.findInScope(scope, id, true);
      if (!user) throw new NotFoundError('User');
      if (user.status !== 'invited') {
        const person = `${user.firstName} ${user.lastName}`;
        throw IdentityErrors.error('INVITATION_NOT_PENDING', { person, state: statusWord(user.status) }, {
          userStatus: user.status,
        });
      }
      await this.invitations.assertResendAllowed(user);
      const tenant = await this.tenants.findById(scope.tenantId);
      if (!tenant) throw new NotFoundError('Tenant');
      const { expiresAt, revoked } = await this.invitations.issue(user, tenant.name, true);
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'user.invitation_resent', targetType: 'user', targetId: user.id,
        after: { email: user.email, expiresAt: expiresAt.toISOString(), revokedLinks: revoked },
      });
      return { ...toUserView(user), invitationExpiresAt: expiresAt.toISOString() };
    });
  }

  /**
   * The one-time link: sets the first password (tenant policy) and activates the membership. R-MEMB someone who
   * already has a password confirms it instead (a wrong one counts towards the lockout and leaves the link usable).
   */
  async acceptInvitation(token: string, password: string): Promise<UserView> {
    const { invitation, user } = await this.invited(token);
    const existing = user.passwordHash !== null;
    if (existing && !(await this.lockout.checkPassword(user, password, 'password'))) throw IdentityErrors.error('INVALID_CREDENTIALS');
    const passwordHash = existing ? null : await this.passwordPolicy.hashChecked(user.tenantId, password, user.email);
    return this.db.transaction(async () => {
      if (!(await this.invitations.claim(invitation.id))) {
        throw IdentityErrors.error('INVITATION_USED');
      }
      // R-INT: read again under the person's lock: suspended or deactivated since the link was read, it stays so.
      await lockRow(this.db, 'users', user.id);
      const current = await this.users.findById(user.id);
      if (current?.status !== 'invited') throw IdentityErrors.error('INVITATION_INVALID');
      const credentials = passwordHash ? { passwordHash, passwordChangedAt: this.clock.now() } : {};
      await this.users.update(user.id, { ...credentials, status: 'active' });
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'user', id: user.id, label: user.email },
        action: 'user.invitation_accepted', targetType: 'user', targetId: user.id,
        before: { status: 'invited' }, after: { status: 'active', ...(existing && { existingAccount: true }) },
      });
      return toUserView({ ...user, status: 'active' });
    });
  }

  /** R-MEMB what the invitation's page shows its holder: the establishment, and whether they confirm an existing password. */
  async invitationDetails(token: string): Promise<InvitationDetailsView> {
    const { user } = await this.invited(token);
    const tenant = user.tenantId ? await this.tenants.findById(user.tenantId) : null;
    return { establishment: tenant?.name ?? '', existingAccount: user.passwordHash !== null };
  }

  /** R-POL the rules the invitation's person chooses a password under (the link is checked, not used). */
  async invitationPasswordRules(token: string): Promise<PasswordRulesView> {
    return this.passwordPolicy.rules((await this.invited(token)).user.tenantId);
  }

  /** R-POL the rules a new password of this person follows. */
  async passwordRules(userId: string): Promise<PasswordRulesView> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundError('User');
    return this.passwordPolicy.rules(user.tenantId);
  }

  private async invited(token: string): Promise<{ invitation: { id: string; userId: string }; user: Person }> {
    const invitation = await this.invitations.pending(token);
    const user = invitation && (await this.users.findById(invitation.userId));
    if (!invitation || !user || user.status !== 'invited') throw IdentityErrors.error('INVITATION_INVALID');
    return { invitation, user };
  }

  async get(scope: TenantScope, id: string): Promise<UserView> {
    const user = await this.users.findInScope(scope, id);
    if (!user) throw new NotFoundError('User');
    return toUserView(user);
  }

  /** The tenant's people (a contractor person: their company's), or only the hospital's (`staff`) or one company's. */
  async list(scope: TenantScope, page: PageQuery, company?: string): Promise<Page<UserView>> {
    const { items, nextCursor } = await this.users.listInScope(scope, page, company);
    return { items: items.map(toUserView), nextCursor };
  }

  /** R-L10N the language a person reads the API's messages and their e-mails in (R-MEMB in every establishment). */
  async setLocale(actor: Actor, userId: string, locale: 'fr' | 'en'): Promise<MeView> {
    await this.db.transaction(async () => {
      // R-INT locked before the check: of two switches at once, one changes the language and is audited.
      if (!(await lockRow(this.db, 'users', userId))) throw new NotFoundError('User');
      const user = (await this.users.findById(userId))!;
      if (user.locale === locale) return;
      await this.users.setLocaleEverywhere(userId, locale);
      await this.audit.record({
        tenantId: user.tenantId, actor, action: 'user.locale_changed', targetType: 'user', targetId: userId,
        before: { locale: user.locale }, after: { locale },
      });
    });
    return this.me(userId);
  }

  async me(userId: string): Promise<MeView> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundError('User');
    const tenant = user.tenantId ? await this.tenants.findById(user.tenantId) : null;
    return { ...toUserView(user), establishment: tenant?.name ?? null };
  }
}
