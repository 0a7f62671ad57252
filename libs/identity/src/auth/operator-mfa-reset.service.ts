import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, Db, DomainEvents, NotFoundError, Role, UserPrincipal } from '@app/core';
import { IdentityErrors } from '../errors';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';
import { UserView } from '../users/user.mapper';
import { MfaResetService } from './mfa-reset.service';

/**
 * R-ART28 the DSI alone in its establishment who lost both phone and recovery codes: the platform operator resets
 * it, and only a DSI (everyone else has a DSI to ask). Audited in the establishment's trail and the platform's.
 */
@Injectable()
export class OperatorMfaResetService {
  constructor(
    private readonly db: Db,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly resets: MfaResetService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async resetDsi(principal: UserPrincipal, tenantId: string, userId: string, reason: string): Promise<UserView> {
    return this.db.transaction(async () => {
      const tenant = await this.tenants.findById(tenantId);
      if (!tenant) throw new NotFoundError('Establishment');
      const user = await this.users.findInScope({ tenantId }, userId, true);
      if (!user || user.contractorId || !user.roles.includes(Role.Dsi)) throw IdentityErrors.error('NOT_FOUND');
      const view = await this.resets.wipe(principal, await this.resets.resettable(user), reason, true);
      await this.audit.record({
        tenantId: null, actor: actorOf(principal), action: 'user.mfa_reset', targetType: 'user', targetId: user.id,
        after: { tenantId, tenant: tenant.name, email: user.email, reason },
      });
      const others = (await this.users.hospitalRecipients(tenantId, [Role.Dsi, Role.Rssi]))
        .filter((r) => r.email.toLowerCase() !== user.email.toLowerCase());
      await this.events.emit('user.mfa_reset_by_operator', {
        tenantId, userId: user.id, person: `${user.firstName} ${user.lastName}`, email: user.email, tenant: tenant.name,
        operator: principal.email, reason, at: this.clock.now().toISOString(), recipients: others,
      });
      return view;
    });
  }
}
