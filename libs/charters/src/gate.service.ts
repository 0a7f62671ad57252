import { Injectable } from '@nestjs/common';
import { IsoDate, Principal } from '@app/core';
import { ContractorAccess, ContractorsService } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { ChartersRepository, CompanySignature } from './charters.repository';
import { DocumentEntity } from './entities';
import { GateFacts, GateProblem, missingOf } from './gate-rule';
import type { CompanyDocumentKind } from './types';
import { GateView } from './views';

/** The gate of a company: open, or everything missing. */
export interface GateResult {
  open: boolean;
  missing: GateProblem[];
}

/** With the access modes of its running prestations (a person needs a convention when one reaches the SI). */
export interface GateAssessment extends GateResult {
  runningAccessModes: string[];
}

/** R-ART2, R-ART3, R-ART4: the one answer to "may this contractor have access?" (docs/adr/gate.md). */
@Injectable()
export class GateService {
  constructor(
    private readonly repo: ChartersRepository,
    private readonly access: ContractorAccess,
    private readonly contractors: ContractorsService,
    private readonly calendar: TenantCalendar,
  ) {}

  async forContractor(principal: Principal, contractorId: string): Promise<GateView> {
    const contractor = await this.access.require(principal, contractorId, 'read');
    return this.evaluate(contractor.tenantId, contractorId);
  }

  async evaluate(tenantId: string, contractorId: string): Promise<GateResult> {
    const { open, missing } = (await this.evaluateMany(tenantId, [contractorId])).get(contractorId)!;
    return { open, missing };
  }

  /** Several companies of a tenant by the same rule, in a fixed number of statements whatever their number. */
  async evaluateMany(tenantId: string, contractorIds: string[]): Promise<Map<string, GateAssessment>> {
    const today = await this.calendar.today(tenantId);
    const ids = [...new Set(contractorIds)];
    const primes = await this.contractors.primesOf({ tenantId }, ids);
    const primeIds = [...primes.values()].filter((p): p is string => p !== null);
    const facts = await this.facts(tenantId, [...new Set([...ids, ...primeIds])], today);
    const result = new Map<string, GateAssessment>();
    for (const id of ids) {
      const missing = missingOf(facts, id, today);
      const prime = primes.get(id);
      const primeMissing = prime ? missingOf(facts, prime, today) : [];
      if (primeMissing.length) {
        const codes = primeMissing.map((m) => m.code).join(', ');
        missing.push({ code: 'PRIME_GATE_CLOSED', detail: `The prime contractor's access is closed: ${codes}` });
      }
      const running = facts.standings.get(id)?.running ?? [];
      result.set(id, { open: missing.length === 0, missing, runningAccessModes: running.map((p) => p.accessMode) });
    }
    return result;
  }

  /** Everything the rule reads about these contractors, on the tenant's `today`. */
  private async facts(tenantId: string, contractorIds: string[], today: IsoDate): Promise<GateFacts> {
    const standings = await this.contractors.standings(contractorIds, today);
    const kinds = new Set<CompanyDocumentKind>(['charter']);
    for (const { running } of standings.values()) {
      if (running.some((p) => p.requireRgpdClauses)) kinds.add('rgpd_clauses');
      if (running.some((p) => p.requireSecurityReferential)) kinds.add('security_referential');
    }
    const current = new Map<CompanyDocumentKind, DocumentEntity | null>();
    for (const kind of kinds) current.set(kind, await this.repo.current({ tenantId }, kind, today));
    const signatures = new Map<string, CompanySignature[]>();
    for (const s of await this.repo.companySignatures(contractorIds, [...kinds])) {
      const key = `${s.contractorId}|${s.kind}`;
      const list = signatures.get(key);
      if (list) list.push(s);
      else signatures.set(key, [s]);
    }
    return { standings, current, signatures };
  }
}
