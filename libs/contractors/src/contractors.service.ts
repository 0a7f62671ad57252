import { Injectable } from '@nestjs/common';
import {
  Actor, actorOf, AuditService, Clock, Db, DomainError, IsoDate, isUniqueViolation, lockRow, NotFoundError, Page,
  PageQuery, Principal, SYSTEM_ACTOR, TenantScope, UserPrincipal, ValidationFailed,
} from '@app/core';
import { TenantCalendar } from '@app/identity';
import { ContractorAccess } from './contractor-access';
import { BY_NAME, CHANGES_IN_ORDER, ContractorsRepository } from './contractors.repository';
import { ContractorEntity } from './entities';
import { ContractorErrors } from './errors';
import { isValidSiret, normaliseSiret } from './siret';
import type { ContactRole, RunningPrestation } from './types';
import { ChangeView, ContractorView, contractorListKey, toChangeView, toContractorView } from './views';

export interface CreateContractor {
  legalName: string;
  siret: string;
  address: string;
  primeContractorId?: string;
}

export interface AdministrativeChange {
  legalName?: string;
  address?: string;
  siret?: string;
}

const CHANGEABLE = ['legalName', 'address', 'siret'] as const;

export interface ContractorStanding {
  contactRoles: ContactRole[];
  running: RunningPrestation[];
}

/** Contractor companies (R-ART3, R-ART4) and their administrative changes with effective dates (R-ART6). */
@Injectable()
export class ContractorsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ContractorsRepository,
    private readonly access: ContractorAccess,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  /** The DSI declares a company; a prime's managers declare its subcontractors, one level deep (R-ART4). */
  async create(principal: UserPrincipal, input: CreateContractor): Promise<ContractorView> {
    const tenantId = principal.tenantId!;
    const siret = normaliseSiret(input.siret);
    if (!isValidSiret(siret)) throw invalidSiret();
    if (principal.contractorId) {
      if (!input.primeContractorId) throw ContractorErrors.invalid('SUBCONTRACTORS_ONLY', 'primeContractorId');
      if (input.primeContractorId !== principal.contractorId) throw new NotFoundError('Contractor');
    }
    return this.db.transaction(async () => {
      if (input.primeContractorId) {
        const prime = await this.access.require(principal, input.primeContractorId, 'declare');
        if (prime.primeContractorId) throw ContractorErrors.error('SUBCONTRACTOR_OF_SUBCONTRACTOR');
      }
      if (await this.repo.siretTaken({ tenantId }, siret)) throw siretTaken();
      const contractor = await this.repo.insertContractor({
        tenantId, legalName: input.legalName.trim(), siret, address: input.address.trim(),
        primeContractorId: input.primeContractorId ?? null, createdBy: principal.userId,
      }).catch(rethrowSiretTaken);
      const { legalName, address, primeContractorId } = contractor;
      const snapshot = { legalName, siret, address, primeContractorId };
      await this.repo.insertChange({
        tenantId, contractorId: contractor.id, kind: 'created', changes: snapshot, previous: null,
        effectiveOn: await this.calendar.today(tenantId), declaredAt: this.clock.now(), declaredBy: principal.userId,
        appliedAt: this.clock.now(),
      });
      await this.audit.record({
        tenantId, actor: actorOf(principal), action: primeContractorId ? 'contractor.subcontractor_declared' : 'contractor.created',
        targetType: 'contractor', targetId: contractor.id, after: snapshot,
      });
      return toContractorView(contractor);
    });
  }

  async list(principal: UserPrincipal, limit: number, cursor?: string): Promise<Page<ContractorView>> {
    const rows = await this.repo.list({ tenantId: principal.tenantId! }, this.access.visibleFilter(principal), { limit, cursor });
    return BY_NAME.page(rows, limit, toContractorView, contractorListKey);
  }

  /** R-ART4: a company and the subcontractors it declared (the evidence pack lists them). */
  async family(scope: TenantScope, contractorId: string): Promise<ContractorView[]> {
    const rows = await this.repo.list(scope, { ownOrPrimeOf: contractorId, includeSubcontractors: true }, { limit: 1000 });
    return rows.map(toContractorView);
  }

  /** The prime of each company asked for (null: not a subcontractor), for the gate (R-ART4). */
  primesOf(scope: TenantScope, ids: string[]): Promise<Map<string, string | null>> {
    return this.repo.primesOf(scope, ids);
  }

  /** What the gate reads of several companies on a day, in two statements: declared contact roles, running prestations. */
  async standings(contractorIds: string[], today: IsoDate): Promise<Map<string, ContractorStanding>> {
    const [roles, running] = await Promise.all([this.repo.contactRoles(contractorIds), this.repo.runningOf(contractorIds, today)]);
    const standings = new Map(contractorIds.map((id): [string, ContractorStanding] => [id, { contactRoles: [], running: [] }]));
    for (const c of roles) standings.get(c.contractorId)?.contactRoles.push(c.role);
    for (const p of running) standings.get(p.contractorId)?.running.push(p);
    return standings;
  }

  async get(principal: Principal, id: string): Promise<ContractorView> {
    return toContractorView(await this.access.require(principal, id, 'read'));
  }

  /** R-ART6: a change is kept with its effective date; it applies now, or on that date (scheduler). */
  async declareChange(principal: UserPrincipal, id: string, changes: AdministrativeChange, effectiveOn: string): Promise<ChangeView> {
    const provided = CHANGEABLE.filter((k) => changes[k] !== undefined);
    if (!provided.length) {
      throw ContractorErrors.invalid('NOTHING_TO_CHANGE', 'changes', { fields: CHANGEABLE.join(', ') });
    }
    const normalised: AdministrativeChange = {};
    for (const k of provided) normalised[k] = k === 'siret' ? normaliseSiret(changes[k]!) : changes[k]!.trim();
    if (normalised.siret !== undefined && !isValidSiret(normalised.siret)) throw invalidSiret('changes.siret');
    return this.db.transaction(async () => {
      // R-INT: a company's changes take turns (each applied on the values the previous one left).
      await lockRow(this.db, 'contractors', id);
      const contractor = await this.access.require(principal, id, 'declare');
      if (normalised.siret && (await this.repo.siretTaken(contractor, normalised.siret, contractor.id))) throw siretTaken();
      const today = await this.calendar.today(contractor.tenantId);
      const change = await this.repo.insertChange({
        tenantId: contractor.tenantId, contractorId: id, kind: 'administrative', changes: { ...normalised }, previous: null,
        effectiveOn, declaredAt: this.clock.now(), declaredBy: principal.userId, appliedAt: null,
      });
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'contractor.change_declared',
        targetType: 'contractor', targetId: id, after: { changeId: change.id, changes: normalised, effectiveOn },
      });
      if (effectiveOn <= today) await this.apply(contractor, change.id, normalised, actorOf(principal));
      return toChangeView((await this.repo.change(change.id))!);
    });
  }

  async history(principal: Principal, id: string, page: PageQuery): Promise<Page<ChangeView>> {
    await this.access.require(principal, id, 'read');
    return CHANGES_IN_ORDER.page(await this.repo.history(id, page), page.limit, toChangeView, (c) => ({ seq: Number(c.seq) }));
  }

  /** Scheduler: applies the changes whose effective date has come, in each tenant's local calendar. */
  async applyDueChanges(): Promise<number> {
    let applied = 0;
    for (const row of await this.repo.dueChanges()) {
      if (row.effectiveOn > (await this.calendar.today(row.tenantId))) continue;
      await this.db.transaction(async () => {
        // R-INT: two schedulers at once apply a change once (the second finds it applied).
        await lockRow(this.db, 'contractors', row.contractorId);
        const contractor = await this.repo.contractorById(row.contractorId);
        const change = await this.repo.change(row.id);
        if (!contractor || !change || change.appliedAt) return;
        await this.apply(contractor, change.id, change.changes as AdministrativeChange, SYSTEM_ACTOR);
        applied++;
      });
    }
    return applied;
  }

  private async apply(contractor: ContractorEntity, changeId: string, changes: AdministrativeChange, actor: Actor): Promise<void> {
    const previous: Record<string, unknown> = {};
    for (const k of CHANGEABLE) if (changes[k] !== undefined) previous[k] = contractor[k];
    await this.repo.updateContractor(contractor.id, changes).catch(rethrowSiretTaken);
    await this.repo.markChangeApplied(changeId, previous, this.clock.now());
    await this.audit.record({
      tenantId: contractor.tenantId, actor, action: 'contractor.change_applied', targetType: 'contractor',
      targetId: contractor.id, before: previous, after: changes,
    });
  }
}

function siretTaken(): DomainError {
  return ContractorErrors.error('SIRET_TAKEN');
}

/** R-INT: the same SIRET declared twice at once: the second saw nothing, the unique key refuses it. */
function rethrowSiretTaken(error: unknown): never {
  throw isUniqueViolation(error, 'contractors_tenant_id_siret_key') ? siretTaken() : error;
}

function invalidSiret(field = 'siret'): ValidationFailed {
  return ContractorErrors.invalid('SIRET_INVALID', field);
}
