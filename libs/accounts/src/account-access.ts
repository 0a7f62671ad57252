import { Injectable } from '@nestjs/common';
import { Db, NotFoundError, Principal, Role, hasRole } from '@app/core';
import { ContractorAccess, ContractorNeed } from '@app/contractors';
import { AccountEntity } from './entities';

/**
 * STYLE #2 for accounts: the company rules of ContractorAccess, plus R-ART28's "an account holder
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
    if (principal.kind === 'user' && principal.contractorId && !hasRole(principal, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy)) {
      if (account.userId !== principal.userId || need !== 'read') throw new NotFoundError('Account');
      return account;
    }
    await this.contractors.require(principal, account.contractorId, need).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Account') : error;
    });
    return account;
  }
}
