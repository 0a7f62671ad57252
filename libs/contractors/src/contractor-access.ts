import { Injectable } from '@nestjs/common';
import { CONTRACTOR_ROLES, Db, ForbiddenError, hasRole, NotFoundError, Principal, Role, UserPrincipal } from '@app/core';
import { ContractorEntity } from './entities';

export type ContractorNeed = 'read' | 'declare' | 'administer';

const HOSPITAL_READERS = [Role.Dsi, Role.Rssi, Role.Referent, Role.Auditor];
const COMPANY_DECLARERS = [Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy];
const PRIME_DECLARERS = [Role.LegalRep, Role.SecurityContact];

/**
 * The access rule: every service method that takes a contractor id starts here. A
 * hospital user sees every contractor of its tenant; a contractor person sees its own company
 * and, for the prime's legal representative and security contacts, the subcontractors it
 * declared (R-ART4). Anything else is "not found", so nobody learns what another company holds.
 *
 * - read: see it;
 * - declare: what the contractor side declares (contacts, changes, signatures, subcontractors, attestations);
 * - administer: what only the DSI decides.
 */
@Injectable()
export class ContractorAccess {
  constructor(private readonly db: Db) {}

  async require(principal: Principal, contractorId: string, need: ContractorNeed): Promise<ContractorEntity> {
    if (principal.kind !== 'user' || !principal.tenantId) throw new NotFoundError('Contractor');
    const contractor = await this.db.manager.getRepository(ContractorEntity).findOneBy({ id: contractorId, tenantId: principal.tenantId });
    if (!contractor) throw new NotFoundError('Contractor');
    const relation = relationOf(principal, contractor);
    if (relation === 'none') throw new NotFoundError('Contractor');
    if (!allowed(principal, relation, need)) throw new ForbiddenError();
    return contractor;
  }

  /**
   * The company a list of the tenant's rows is narrowed to (R-ART4): the one asked for, if the caller may
   * read it (a prime's managers, their subcontractor); else a contractor person's own; else none (hospital
   * people read the whole tenant).
   */
  async listCompany(principal: UserPrincipal, contractorId?: string): Promise<string | null> {
    if (contractorId) await this.require(principal, contractorId, 'read');
    return contractorId ?? principal.contractorId;
  }

  /** The contractor ids a person may read (all of the tenant for hospital users). */
  visibleFilter(principal: UserPrincipal): { all: true } | { ownOrPrimeOf: string; includeSubcontractors: boolean } {
    if (!principal.contractorId) return { all: true };
    return { ownOrPrimeOf: principal.contractorId, includeSubcontractors: hasRole(principal, ...PRIME_DECLARERS, Role.SecurityDeputy) };
  }
}

type Relation = 'hospital' | 'own' | 'prime' | 'none';

function relationOf(p: UserPrincipal, c: ContractorEntity): Relation {
  if (!p.contractorId) return p.roles.some((r) => HOSPITAL_READERS.includes(r)) ? 'hospital' : 'none';
  if (c.id === p.contractorId) return 'own';
  if (c.primeContractorId === p.contractorId && hasRole(p, ...COMPANY_DECLARERS)) return 'prime';
  return 'none';
}

function allowed(p: UserPrincipal, relation: Relation, need: ContractorNeed): boolean {
  if (need === 'read') return true;
  if (relation === 'hospital') return hasRole(p, Role.Dsi);
  if (need === 'administer') return false;
  if (relation === 'own') return hasRole(p, ...COMPANY_DECLARERS);
  return hasRole(p, ...PRIME_DECLARERS);
}

export function isContractorSide(p: Principal): boolean {
  return p.kind === 'user' && p.roles.some((r) => CONTRACTOR_ROLES.includes(r));
}
