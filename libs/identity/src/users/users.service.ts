import { Inject, Injectable } from '@nestjs/common';
import {
  Actor, APP_CONFIG, AppConfig, AuditService, Clock, ConflictError, Db, DomainError, NotFoundError, Page, randomToken,
  Role, Secrets, TenantScope, toPage,
} from '@app/core';
import { NotificationsService } from '@app/notifications';
import { UserEntity } from '../entities';
import { PasswordHasher } from '../auth/password-hasher';
import { PasswordPolicyService } from '../policy/password-policy.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from './users.repository';
import { auditUser, toUserView, UserView } from './user.mapper';

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly hasher: PasswordHasher,
    private readonly secrets: Secrets,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly passwordPolicy: PasswordPolicyService,
  ) {}

  /** Creates the person (status invited) and e-mails a one-time link, in one transaction. */
  async invite(actor: Actor, scope: TenantScope, person: InvitePerson): Promise<UserEntity> {
    return this.db.transaction(async () => {
      if (await this.users.emailTaken(person.email)) {
        throw new ConflictError('EMAIL_TAKEN', 'A person with this e-mail address already exists');
      }
      const tenant = await this.tenants.findById(scope.tenantId);
      if (!tenant) throw new NotFoundError('Tenant');
      const user = await this.users.create({
        tenantId: scope.tenantId, contractorId: person.contractorId ?? null, email: person.email.trim(),
        firstName: person.firstName.trim(), lastName: person.lastName.trim(), roles: person.roles, status: 'invited',
        locale: person.locale ?? tenant.policy.locale ?? 'fr',
      });
      const token = randomToken(32);
      const expiresAt = new Date(this.clock.now().getTime() + this.config.auth.invitationTtl * 1000);
      await this.db.query(`INSERT INTO invitations (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [
        user.id, this.secrets.lookupHash(token), expiresAt,
      ]);
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'user.invited', targetType: 'user', targetId: user.id, after: auditUser(user),
      });
      await this.notifications.email({
        tenantId: scope.tenantId, to: user.email, template: 'invitation', locale: user.locale,
        data: {
          firstName: user.firstName, tenantName: tenant.name, expiresAt: expiresAt.toISOString(),
          link: `${this.config.http.publicUrl}/accept-invitation?token=${token}`,
        },
      });
      return user;
    });
  }

  /** The one-time link: sets the first password (tenant policy) and activates the person. */
  async acceptInvitation(token: string, password: string): Promise<UserView> {
    const hash = this.secrets.lookupHash(token);
    const [invitation] = await this.db.query<{ id: string; user_id: string; expires_at: Date; used_at: Date | null }>(
      `SELECT id, user_id, expires_at, used_at FROM invitations WHERE token_hash = $1`, [hash],
    );
    if (!invitation || invitation.used_at || invitation.expires_at <= this.clock.now()) {
      throw new DomainError('INVITATION_INVALID', 400, 'This invitation link is invalid, already used or expired');
    }
    const user = await this.users.findById(invitation.user_id);
    if (!user || user.status !== 'invited') {
      throw new DomainError('INVITATION_INVALID', 400, 'This invitation link is invalid, already used or expired');
    }
    await this.passwordPolicy.assert(user.tenantId, password, user.email);
    const passwordHash = await this.hasher.hash(password);
    return this.db.transaction(async () => {
      const claimed = await this.db.query(`UPDATE invitations SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id`, [
        invitation.id, this.clock.now(),
      ]);
      if (!claimed.length) throw new DomainError('INVITATION_INVALID', 400, 'This invitation link was already used');
      await this.users.update(user.id, { passwordHash, passwordChangedAt: this.clock.now(), status: 'active' });
      await this.audit.record({
        tenantId: user.tenantId, actor: { type: 'user', id: user.id, label: user.email },
        action: 'user.invitation_accepted', targetType: 'user', targetId: user.id,
        before: { status: 'invited' }, after: { status: 'active' },
      });
      return toUserView({ ...user, status: 'active' });
    });
  }

  async get(scope: TenantScope, id: string): Promise<UserView> {
    const user = await this.users.findInScope(scope, id);
    if (!user) throw new NotFoundError('User');
    return toUserView(user);
  }

  async list(scope: TenantScope, limit: number, cursor?: string): Promise<Page<UserView>> {
    const rows = await this.users.listInScope(scope, limit, cursor);
    return toPage(rows, limit, toUserView, (u) => ({ id: u.id }));
  }

  async me(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundError('User');
    return toUserView(user);
  }
}
