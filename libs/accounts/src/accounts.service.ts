import { Injectable } from '@nestjs/common';
import { actorOf, Db, DomainEvents, Page, PageQuery, Transactional, UserPrincipal } from '@app/core';
import { SignaturesService, SignatureView, SubmitSignature } from '@app/charters';
import { ContractorAccess } from '@app/contractors';
import { DerogationsService } from '@app/derogations';
import { AccountAccess, closedParams } from './account-access';
import { AccountLifecycle } from './account-lifecycle';
import { AccountsRepository } from './accounts.repository';
import { AccountErrors } from './errors';
import { AccountFilter, AccountOrder } from './types';
import { AccountView, toAccountView } from './views';

export interface RequestAccount {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  shared?: boolean;
}

/** R-ART28: one account per named person of a contractor, requested by its security contact or deputy; the directory of accounts. */
@Injectable()
export class AccountsService {
  constructor(
    readonly db: Db,
    private readonly access: AccountAccess,
    private readonly contractorAccess: ContractorAccess,
    private readonly accounts: AccountsRepository,
    private readonly lifecycle: AccountLifecycle,
    private readonly derogations: DerogationsService,
    private readonly signatures: SignaturesService,
    private readonly events: DomainEvents,
  ) {}

  @Transactional()
  async request(principal: UserPrincipal, contractorId: string, input: RequestAccount): Promise<AccountView> {
    const contractor = await this.contractorAccess.require(principal, contractorId, 'declare');
    let derogationId: string | null = null;
    if (input.shared) {
      // R-ART16-27 / Art. 30: a shared account only under a shared-account derogation in force.
      const derogation = await this.derogations.covering(contractor.tenantId, 'shared_account', contractorId);
      if (!derogation) throw AccountErrors.error('SHARED_ACCOUNT_NEEDS_DEROGATION');
      derogationId = derogation.id;
    }
    if (await this.accounts.personHoldsAccount(contractor.tenantId, input.email.trim())) {
      throw AccountErrors.error('ACCOUNT_EXISTS', { person: `${input.firstName} ${input.lastName}` });
    }
    // R-ART35 R-INT: a person who left is not named again (DeparturesService.refuseDeparted).
    await this.events.emit('contractor.person_named', { tenantId: contractor.tenantId, contractorId, email: input.email, userId: null });
    const account = await this.lifecycle.create({
      tenantId: contractor.tenantId, contractorId, firstName: input.firstName.trim(), lastName: input.lastName.trim(),
      email: input.email.trim(), phone: input.phone.trim(), shared: input.shared ?? false, derogationId, requestedBy: principal.userId,
    }, actorOf(principal), input.shared ? 'shared account under derogation' : null);
    return toAccountView(account);
  }

  /** A page of accounts; without a company, the tenant's (a contractor person's: its own company's). */
  async list(principal: UserPrincipal, filter: AccountFilter, page: PageQuery, order: AccountOrder = 'name'): Promise<Page<AccountView>> {
    return this.accounts.list(await this.access.visibility(principal, filter.contractorId), filter, page, order);
  }

  async get(principal: UserPrincipal, id: string): Promise<AccountView> {
    return toAccountView(await this.access.require(principal, id, 'read'));
  }

  /** R-ART2: the person's access convention, signed by the person; validated by the DSI like any signature. */
  async submitConvention(principal: UserPrincipal, id: string, input: SubmitSignature): Promise<SignatureView> {
    const account = await this.access.require(principal, id, 'declare');
    if (!['requested', 'approved', 'active', 'suspended'].includes(account.status)) {
      throw AccountErrors.error('ACCOUNT_CLOSED', closedParams(account));
    }
    return this.signatures.submitConvention(principal, account, input);
  }
}
