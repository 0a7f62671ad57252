import { Injectable } from '@nestjs/common';
import { ForbiddenError, hasRole, isContractorManager, isHospitalSide, NotFoundError, Principal, Role, UserPrincipal } from '@app/core';
import { ContractorsRepository } from './contractors.repository';
import { ContractorEntity } from './entities';
import type { Visibility } from './types';

export type ContractorNeed = 'read' | 'declare' | 'administer';

/** A prime's people who declare for its subcontractors (the deputy reads them only). */
const PRIME_DECLARERS = [Role.LegalRep, Role.SecurityContact];

/** The access rule every method taking a contractor id starts with (R-ART4; docs/adr/contractor-access.md). */
@Injectable()
export class ContractorAccess {
  constructor(private readonly repo: ContractorsRepository) {}

  async require(principal: Principal, contractorId: string, need: ContractorNeed): Promise<ContractorEntity> {
    if (principal.kind !== 'user' || !principal.tenantId) throw new NotFoundError('Contractor');
    const contractor = await this.repo.contractor({ tenantId: principal.tenantId }, contractorId);
    if (!contractor) throw new NotFoundError('Contractor');
    const relation = relationOf(principal, contractor);
    if (relation === 'none') throw new NotFoundError('Contractor');
    if (!allowed(principal, relation, need)) throw new ForbiddenError();
    return contractor;
  }

  /** The company a list of the tenant's rows is narrowed to: the one asked for if readable, else the caller's own (R-ART4). */
  async listCompany(principal: UserPrincipal, contractorId?: string): Promise<string | null> {
    if (contractorId) await this.require(principal, contractorId, 'read');
    return contractorId ?? principal.contractorId;
  }

  /** The contractor ids a person may read (all of the tenant for hospital users). */
  visibleFilter(principal: UserPrincipal): Visibility {
    if (!principal.contractorId) return { all: true };
    return { ownOrPrimeOf: principal.contractorId, includeSubcontractors: isContractorManager(principal) };
  }
}

type Relation = 'hospital' | 'own' | 'prime' | 'none';

function relationOf(p: UserPrincipal, c: ContractorEntity): Relation {
  if (!p.contractorId) return isHospitalSide(p) ? 'hospital' : 'none';
  if (c.id === p.contractorId) return 'own';
  if (c.primeContractorId === p.contractorId && isContractorManager(p)) return 'prime';
  return 'none';
}

function allowed(p: UserPrincipal, relation: Relation, need: ContractorNeed): boolean {
  if (need === 'read') return true;
  if (relation === 'hospital') return hasRole(p, Role.Dsi);
  if (need === 'administer') return false;
  if (relation === 'own') return isContractorManager(p);
  return hasRole(p, ...PRIME_DECLARERS);
}

