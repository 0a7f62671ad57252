import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, Db, lockRow, Role, UserPrincipal } from '@app/core';
import { Directory, Recipient } from '@app/contractors';
import { InterventionErrors } from './errors';
import { ReferentsRepository } from './referents.repository';
import { WindowAccess } from './window-access';

/** The hospital people who accompany a contractor (Art. 36: "la ou les personnes du CHM ... désignées"). */
@Injectable()
export class ReferentsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ReferentsRepository,
    private readonly access: WindowAccess,
    private readonly directory: Directory,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The DSI designates them. */
  async designate(principal: UserPrincipal, contractorId: string, userIds: string[]): Promise<{ userId: string; email: string }[]> {
    return this.db.transaction(async () => {
      const contractor = await this.access.company(principal, contractorId, 'administer');
      // R-INT: designations replace a set: they take turns on the company's row.
      await lockRow(this.db, 'contractors', contractorId);
      const users = await this.repo.eligible({ tenantId: contractor.tenantId }, userIds);
      if (users.length !== new Set(userIds).size) {
        throw InterventionErrors.invalid('REFERENTS_INVALID', 'userIds');
      }
      const before = await this.repo.referentsOf(contractorId);
      const unchanged = before.length === users.length && users.every((u) => before.some((r) => r.userId === u.id));
      if (unchanged) return users.map((u) => ({ userId: u.id, email: u.email }));
      await this.repo.replace(contractorId, users.map((u) => u.id), principal.userId, this.clock.now());
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'contractor.referents_designated', targetType: 'contractor',
        targetId: contractorId, before: before.map((r) => r.email), after: users.map((u) => u.email),
      });
      return users.map((u) => ({ userId: u.id, email: u.email }));
    });
  }

  async list(principal: UserPrincipal, contractorId: string): Promise<{ userId: string; email: string }[]> {
    await this.access.company(principal, contractorId);
    return (await this.repo.referentsOf(contractorId)).map((r) => ({ userId: r.userId, email: r.email }));
  }

  /** Who hears about a contractor's windows: its referents, else the DSI. */
  async recipients(contractorId: string, tenantId: string): Promise<Recipient[]> {
    const referents = await this.repo.referentsOf(contractorId);
    return referents.length ? referents.map((r) => ({ email: r.email, locale: r.locale })) : this.directory.hospital(tenantId, [Role.Dsi]);
  }
}
