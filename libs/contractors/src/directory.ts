import { Injectable } from '@nestjs/common';
import { NotFoundError, Role } from '@app/core';
import { PeopleService } from '@app/identity';
import { ContractorsRepository } from './contractors.repository';
import type { ContactRole, Recipient } from './types';

const ALL_CONTACTS: ContactRole[] = ['legal_rep', 'security_contact', 'security_deputy', 'rssi'];

/** Who receives what: a contractor's declared contacts, the hospital's DSI or RSSI; and the company's name as notices quote it. */
@Injectable()
export class Directory {
  constructor(private readonly repo: ContractorsRepository, private readonly users: PeopleService) {}

  contactsOf(contractorId: string, roles: ContactRole[] = ALL_CONTACTS): Promise<Recipient[]> {
    return this.repo.contactRecipients(contractorId, roles);
  }

  hospital(tenantId: string, roles: Role[]): Promise<Recipient[]> {
    return this.users.hospitalRecipients(tenantId, roles);
  }

  async companyName(contractorId: string): Promise<string> {
    const contractor = await this.repo.contractorById(contractorId);
    if (!contractor) throw new NotFoundError('Contractor');
    return contractor.legalName;
  }
}
