import { Injectable } from '@nestjs/common';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Db, NotFoundError, Principal, Role, hasRole, UserPrincipal } from '@app/core';
import { ContractorAccess, ContractorNeed } from '@app/contractors';
import { AccountEntity } from './entities';

/**
 * The access rule for accounts: the company rules of ContractorAccess, plus R-ART28's "an account holder
 * sees only their own data": staff reach their own account and nothing of their colleagues'.
 */
@Injectable()
export class AccountAccess {
  constructor(
    private readonly db: Db,
    private readonly contractors: ContractorAccess,
  ) {}

  async require(principal: Principal, accountId: string, need: ContractorNeed, forUpdate = false): Promise<AccountEntity> {
    if (!principal.tenantId) throw new NotFoundError('Account');
    const query = this.db.manager.getRepository(AccountEntity).createQueryBuilder('a')
      .where('a.id = :accountId AND a.tenant_id = :tenantId', { accountId, tenantId: principal.tenantId });
    if (forUpdate && this.db.inTransaction) query.setLock('pessimistic_write');
    const account = await query.getOne();
    if (!account) throw new NotFoundError('Account');
    if (principal.kind === 'user' && isStaffOnly(principal)) {
      if (account.userId !== principal.userId || need !== 'read') throw new NotFoundError('Account');
      return account;
    }
    await this.contractors.require(principal, account.contractorId, need).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Account') : error;
    });
    return account;
  }

  /**
   * The same rules for a list, on a query whose `a` is the accounts table: the tenant's accounts; a
   * contractor person's own company's (another one only through `contractorId`, as ContractorAccess
   * allows: a prime's subcontractor); a staff member's own account only (R-ART28).
   */
  async restrictList<Q extends SelectQueryBuilder<ObjectLiteral>>(principal: UserPrincipal, query: Q, contractorId?: string): Promise<Q> {
    query.andWhere('a.tenant_id = :listTenant', { listTenant: principal.tenantId });
    const company = await this.contractors.listCompany(principal, contractorId);
    if (company) query.andWhere('a.contractor_id = :listCompany', { listCompany: company });
    if (isStaffOnly(principal)) query.andWhere('a.user_id = :listUser', { listUser: principal.userId });
    return query;
  }
}

/** A contractor person who declares nothing for the company (staff): sees only their own account. */
function isStaffOnly(principal: UserPrincipal): boolean {
  return principal.contractorId !== null && !hasRole(principal, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy);
}
