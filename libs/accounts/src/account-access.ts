import { Injectable } from '@nestjs/common';
import { isStaffOnly, NotFoundError, Params, Principal, statusWord, UserPrincipal } from '@app/core';
import { ContractorAccess, ContractorNeed } from '@app/contractors';
import { AccountsRepository, AccountVisibility } from './accounts.repository';
import { AccountEntity } from './entities';

/**
 * The access rule for accounts: the company rules of ContractorAccess, plus R-ART28's "an account holder
 * sees only their own data": staff reach their own account and nothing of their colleagues'.
 */
@Injectable()
export class AccountAccess {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly contractors: ContractorAccess,
  ) {}

  async require(principal: Principal, accountId: string, need: ContractorNeed, forUpdate = false): Promise<AccountEntity> {
    if (!principal.tenantId) throw new NotFoundError('Account');
    const account = await this.accounts.findInScope({ tenantId: principal.tenantId }, accountId, forUpdate);
    if (!account) throw new NotFoundError('Account');
    if (isStaffOnly(principal)) {
      if (account.userId !== principal.userId || need !== 'read') throw new NotFoundError('Account');
      return account;
    }
    await this.contractors.require(principal, account.contractorId, need).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Account') : error;
    });
    return account;
  }

  /**
   * The same rules for a list: the tenant's accounts; a contractor person's own company's (another one only
   * through `contractorId`, as ContractorAccess allows: a prime's subcontractor); a staff member's own only (R-ART28).
   */
  async visibility(principal: UserPrincipal, contractorId?: string): Promise<AccountVisibility> {
    const company = await this.contractors.listCompany(principal, contractorId);
    return { tenantId: principal.tenantId!, company, ownUserId: isStaffOnly(principal) ? principal.userId : null };
  }
}

/** R-L10N the parameters of ACCOUNT_CLOSED: whose account, in which status. */
export function closedParams(account: { firstName: string; lastName: string; status: string }): Params {
  return { person: `${account.firstName} ${account.lastName}`, status: statusWord(account.status) };
}
