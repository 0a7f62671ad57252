import { Injectable } from '@nestjs/common';
import { ContractorAccess } from '@app/contractors';
import { Db, ForbiddenError, hasRole, isStaffOnly, NotFoundError, Role, UserPrincipal } from '@app/core';
import { InterventionErrors } from './errors';
import { InterventionsRepository } from './interventions.repository';
import { ReferentsRepository } from './referents.repository';
import { IntervenantView, Intervention } from './views';
import { WindowScopeRepository } from './window-scope.repository';

/** Who sees a window and who decides on it (R-ART36): its company's people, a staff member only for their own windows. */
@Injectable()
export class WindowAccess {
  constructor(
    private readonly db: Db,
    private readonly repo: InterventionsRepository,
    private readonly referents: ReferentsRepository,
    private readonly contractors: ContractorAccess,
    private readonly scope: WindowScopeRepository,
  ) {}

  /** The contractor, if the caller may read (or `need`) it. */
  company(principal: UserPrincipal, contractorId: string, need: 'read' | 'administer' = 'read') {
    return this.contractors.require(principal, contractorId, need);
  }

  listCompany(principal: UserPrincipal, contractorId?: string): Promise<string | null> {
    return this.contractors.listCompany(principal, contractorId);
  }

  async visible(principal: UserPrincipal, id: string, forUpdate = false): Promise<Intervention> {
    const row = await this.repo.find({ tenantId: principal.tenantId! }, id, forUpdate && this.db.inTransaction);
    if (!row) throw new NotFoundError('Intervention');
    await this.contractors.require(principal, row.contractorId, 'read').catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Intervention') : error;
    });
    if (isStaffOnly(principal) && row.requestedBy !== principal.userId && !(await this.repo.namesUser(id, principal.userId))) {
      throw new NotFoundError('Intervention');
    }
    return row;
  }

  /** The people a window names, for whoever may read it (what a new report lists as its intervenants, R-ART42). */
  async intervenants(principal: UserPrincipal, id: string): Promise<IntervenantView[]> {
    return this.scope.intervenants((await this.visible(principal, id)).accountIds);
  }

  /** A referent designated for the contractor, or the DSI. */
  async decidable(principal: UserPrincipal, id: string): Promise<Intervention> {
    const row = await this.visible(principal, id, true);
    if (hasRole(principal, Role.Dsi)) return row;
    const referents = await this.referents.referentsOf(row.contractorId);
    if (!referents.some((r) => r.userId === principal.userId)) {
      throw new ForbiddenError(InterventionErrors.text('DECIDED_BY_REFERENT'));
    }
    return row;
  }
}
