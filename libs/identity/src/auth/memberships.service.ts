import { Injectable } from '@nestjs/common';
import { Clock, Db, NotFoundError, UserPrincipal } from '@app/core';
import { IdentityErrors } from '../errors';
import { UsersRepository } from '../users/users.repository';
import { MembershipView } from '../users/user.mapper';
import { SessionsRepository } from './sessions.repository';
import { SessionsService, TokenPair } from './sessions.service';
import { assertActive, isLocked } from './sign-in-rules';

/**
 * R-MEMB one identity, one membership per establishment: a token is for one of them. Switching opens a session of
 * the other membership and ends this one, without asking the TOTP again (the person proved it for this session).
 */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly stored: SessionsRepository,
    private readonly clock: Clock,
  ) {}

  /** The person's active memberships, the current one marked; `needsTotp` where a switch asks for the TOTP (R-SSO). */
  async list(principal: UserPrincipal): Promise<MembershipView[]> {
    const me = await this.users.findById(principal.userId);
    if (!me) throw new NotFoundError('User');
    const attestedBy = await this.stored.factorAttestedBy(principal.sessionId);
    const all = await this.users.membershipsOf(me.identityId);
    return all.filter((m) => m.status === 'active').map(({ id, tenantId, establishment, contractorId, roles }) => ({
      id, tenantId, establishment, contractorId, roles, current: id === principal.userId,
      needsTotp: attestedBy !== null && tenantId !== attestedBy,
    }));
  }

  /** Parallel switches of one session: the first ends it and wins, the others find it ended (401). */
  async switchTo(principal: UserPrincipal, membershipId: string, meta: { ip?: string; userAgent?: string }): Promise<TokenPair> {
    const [me, target] = [await this.users.findById(principal.userId), await this.users.findById(membershipId)];
    // Another identity's membership is not told apart from one that does not exist.
    if (!me || !target || target.identityId !== me.identityId) throw new NotFoundError('User');
    assertActive(target);
    if (isLocked(target, this.clock.now())) throw IdentityErrors.error('SESSION_ENDED');
    // R-SSO a second factor one establishment's provider attested is not the other establishment's to trust.
    const attestedBy = await this.stored.factorAttestedBy(principal.sessionId);
    if (attestedBy && target.tenantId !== attestedBy) throw IdentityErrors.error('SWITCH_NEEDS_TOTP');
    return this.db.transaction(async () => {
      if (!(await this.stored.revoke(principal.sessionId, this.clock.now(), 'switched_establishment'))) {
        throw IdentityErrors.error('SESSION_ENDED');
      }
      return this.sessions.open(target.id, meta);
    });
  }
}
