import { Injectable } from '@nestjs/common';
import {
  actorOf, AuditService, Clock, ConflictError, Db, isUniqueViolation, lockRow, NotFoundError, Page, PageQuery, Principal, Role, SYSTEM_ACTOR,
  toPage, UserPrincipal, ValidationFailed,
} from '@app/core';
import { TenantCalendar } from '@app/identity';
import { ContractorAccess } from './contractor-access';
import { CHANGES_IN_ORDER, contractorListKey, ContractorsRepository } from './contractors.repository';
import { ContractorEntity } from './entities';
import { isValidSiret, normaliseSiret } from './siret';
import { ChangeView, ContractorView, toChangeView, toContractorView } from './views';

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

  /**
   * The DSI declares a company; a prime's legal representative or security contact declares its
   * own subcontractors (R-ART4). A subcontractor is linked to one prime, itself not a subcontractor.
   */
  async create(principal: UserPrincipal, input: CreateContractor): Promise<ContractorView> {
    const tenantId = principal.tenantId!;
    const siret = normaliseSiret(input.siret);
    if (!isValidSiret(siret)) throw invalidSiret();
    if (principal.contractorId) {
      if (!input.primeContractorId) throw new ValidationFailed('A contractor declares subcontractors only', [
        { field: 'primeContractorId', message: 'must be your own company (R-ART4)' },
      ]);
      if (input.primeContractorId !== principal.contractorId) throw new NotFoundError('Contractor');
    }
    return this.db.transaction(async () => {
      if (input.primeContractorId) {
        const prime = await this.access.require(principal, input.primeContractorId, 'declare');
        if (prime.primeContractorId) {
          throw new ConflictError('SUBCONTRACTOR_OF_SUBCONTRACTOR', 'A subcontractor cannot declare subcontractors; its prime declares them (R-ART4)');
        }
      }
      if (await this.repo.siretTaken(tenantId, siret)) throw siretTaken();
      const contractor = await this.repo.contractors.save(this.repo.contractors.create({
        tenantId, legalName: input.legalName.trim(), siret, address: input.address.trim(),
        primeContractorId: input.primeContractorId ?? null, createdBy: principal.userId,
      })).catch(rethrowSiretTaken);
      const snapshot = { legalName: contractor.legalName, siret, address: contractor.address, primeContractorId: contractor.primeContractorId };
      await this.repo.changes.save(this.repo.changes.create({
        tenantId, contractorId: contractor.id, kind: 'created', changes: snapshot, previous: null,
        effectiveOn: await this.calendar.today(tenantId), declaredAt: this.clock.now(), declaredBy: principal.userId,
        appliedAt: this.clock.now(),
      }));
      await this.audit.record({
        tenantId, actor: actorOf(principal), action: contractor.primeContractorId ? 'contractor.subcontractor_declared' : 'contractor.created',
        targetType: 'contractor', targetId: contractor.id, after: snapshot,
      });
      return toContractorView(contractor);
    });
  }

  async list(principal: UserPrincipal, limit: number, cursor?: string): Promise<Page<ContractorView>> {
    const rows = await this.repo.list({ tenantId: principal.tenantId! }, this.access.visibleFilter(principal), limit, cursor);
    return toPage(rows, limit, toContractorView, contractorListKey);
  }

  async get(principal: Principal, id: string): Promise<ContractorView> {
    return toContractorView(await this.access.require(principal, id, 'read'));
  }

  /** R-ART6: a change is kept with its effective date; it applies now, or on that date (scheduler). */
  async declareChange(principal: UserPrincipal, id: string, changes: AdministrativeChange, effectiveOn: string): Promise<ChangeView> {
    const provided = CHANGEABLE.filter((k) => changes[k] !== undefined);
    if (!provided.length) {
      throw new ValidationFailed('Nothing to change', [{ field: 'changes', message: `give at least one of ${CHANGEABLE.join(', ')}` }]);
    }
    const normalised: AdministrativeChange = {};
    for (const k of provided) normalised[k] = k === 'siret' ? normaliseSiret(changes[k]!) : changes[k]!.trim();
    if (normalised.siret !== undefined && !isValidSiret(normalised.siret)) throw invalidSiret('changes.siret');
    return this.db.transaction(async () => {
      // R-INT: a company's changes take turns (each applied on the values the previous one left).
      await lockRow(this.db, 'contractors', id);
      const contractor = await this.access.require(principal, id, 'declare');
      if (normalised.siret && (await this.repo.siretTaken(contractor.tenantId, normalised.siret, contractor.id))) throw siretTaken();
      const today = await this.calendar.today(contractor.tenantId);
      const change = await this.repo.changes.save(this.repo.changes.create({
        tenantId: contractor.tenantId, contractorId: id, kind: 'administrative', changes: { ...normalised }, previous: null,
        effectiveOn, declaredAt: this.clock.now(), declaredBy: principal.userId, appliedAt: null,
      }));
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'contractor.change_declared',
        targetType: 'contractor', targetId: id, after: { changeId: change.id, changes: normalised, effectiveOn },
      });
      if (effectiveOn <= today) await this.apply(contractor, change.id, normalised, actorOf(principal));
      return toChangeView((await this.repo.changes.findOneBy({ id: change.id }))!);
    });
  }

  async history(principal: Principal, id: string, page: PageQuery): Promise<Page<ChangeView>> {
    await this.access.require(principal, id, 'read');
    return CHANGES_IN_ORDER.page(await this.repo.history(id, page), page.limit, toChangeView, (c) => ({ seq: Number(c.seq) }));
  }

  /** Scheduler: applies the changes whose effective date has come, in each tenant's local calendar. */
  async applyDueChanges(): Promise<number> {
    const due = await this.db.query<{ id: string; contractor_id: string; tenant_id: string; effective_on: string }>(
      `SELECT id, contractor_id, tenant_id, effective_on FROM contractor_changes WHERE applied_at IS NULL AND kind = 'administrative' ORDER BY declared_at`,
    );
    let applied = 0;
    for (const row of due) {
      if (row.effective_on > (await this.calendar.today(row.tenant_id))) continue;
      await this.db.transaction(async () => {
        // R-INT: two schedulers at once apply a change once (the second finds it applied).
        await lockRow(this.db, 'contractors', row.contractor_id);
        const contractor = await this.repo.contractors.findOneBy({ id: row.contractor_id });
        const change = await this.repo.changes.findOneBy({ id: row.id });
        if (!contractor || !change || change.appliedAt) return;
        await this.apply(contractor, change.id, change.changes as AdministrativeChange, SYSTEM_ACTOR);
        applied++;
      });
    }
    return applied;
  }

  private async apply(contractor: ContractorEntity, changeId: string, changes: AdministrativeChange, actor: ReturnType<typeof actorOf>): Promise<void> {
    const previous: Record<string, unknown> = {};
    for (const k of CHANGEABLE) if (changes[k] !== undefined) previous[k] = contractor[k];
    await this.repo.contractors.update({ id: contractor.id }, changes).catch(rethrowSiretTaken);
    await this.repo.changes.update({ id: changeId }, { previous: previous as never, appliedAt: this.clock.now() });
    await this.audit.record({
      tenantId: contractor.tenantId, actor, action: 'contractor.change_applied', targetType: 'contractor',
      targetId: contractor.id, before: previous, after: changes,
    });
  }
}

function siretTaken(): ConflictError {
  return new ConflictError('SIRET_TAKEN', 'A contractor with this SIRET already exists in this establishment');
}

/** R-INT: the same SIRET declared twice at once: the second saw nothing, the unique key refuses it. */
function rethrowSiretTaken(error: unknown): never {
  throw isUniqueViolation(error, 'contractors_tenant_id_siret_key') ? siretTaken() : error;
}

function invalidSiret(field = 'siret'): ValidationFailed {
  return new ValidationFailed('The SIRET is not valid', [{ field, message: 'must be 14 digits with a valid checksum (Luhn)' }]);
}

export const CONTRACTOR_DECLARER_ROLES = [Role.Dsi, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy];
