import { Injectable } from '@nestjs/common';
import { DeepPartial } from 'typeorm';
import { Db, Keyset, PageQuery, TenantScope } from '@app/core';
import { ChangeEntity, ContactEntity, ContractorEntity, PrestationEntity } from './entities';
import type { ContactRole, Recipient, RunningPrestation, Visibility } from './types';

/** A company's history in the order it was recorded (index contractor_changes_history_idx). */
export const CHANGES_IN_ORDER = new Keyset('ASC', [['seq', 'c.seq', 'int']]);
/** By start date, then creation; `created_at` truncated to the milliseconds a cursor carries, so the two agree. */
export const PRESTATIONS_BY_START = new Keyset('ASC', [
  ['startsOn', 'p.starts_on', 'date'], ['createdAt', "date_trunc('milliseconds', p.created_at)", 'instant'], ['id', 'p.id', 'uuid'],
]);
/** The companies by legal name (R-ART4: a contractor person sees its own and the subcontractors it declared). */
export const BY_NAME = new Keyset('ASC', [['legalName', 'c.legal_name', 'text'], ['id', 'c.id', 'uuid']]);

const RUNNING = 'p.starts_on <= :today AND (p.ends_on IS NULL OR p.ends_on >= :today) AND p.ended_at IS NULL';

/** Only this class touches the contractor tables; the library's services offer what others need. */
@Injectable()
export class ContractorsRepository {
  constructor(private readonly db: Db) {}

  private get contractors() { return this.db.manager.getRepository(ContractorEntity); }
  private get contacts() { return this.db.manager.getRepository(ContactEntity); }
  private get changes() { return this.db.manager.getRepository(ChangeEntity); }
  private get prestations() { return this.db.manager.getRepository(PrestationEntity); }

  siretTaken(scope: TenantScope, siret: string, exceptId?: string): Promise<boolean> {
    const q = this.contractors.createQueryBuilder('c')
      .where('c.tenant_id = :tenantId AND c.siret = :siret', { tenantId: scope.tenantId, siret });
    if (exceptId) q.andWhere('c.id <> :exceptId', { exceptId });
    return q.getExists();
  }

  /** `limit + 1` rows after the cursor, for BY_NAME.page. */
  list(scope: TenantScope, visible: Visibility, page: PageQuery): Promise<ContractorEntity[]> {
    const q = this.contractors.createQueryBuilder('c').where('c.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if ('ownOrPrimeOf' in visible) {
      const own = visible.includeSubcontractors ? '(c.id = :own OR c.prime_contractor_id = :own)' : 'c.id = :own';
      q.andWhere(own, { own: visible.ownOrPrimeOf });
    }
    return BY_NAME.applyTo(q, page).getMany();
  }

  contractor(scope: TenantScope, id: string): Promise<ContractorEntity | null> {
    return this.contractors.findOneBy({ id, tenantId: scope.tenantId });
  }

  /** For the scheduler and notices, which hold an id and no caller. */
  contractorById(id: string): Promise<ContractorEntity | null> {
    return this.contractors.findOneBy({ id });
  }

  insertContractor(values: DeepPartial<ContractorEntity>): Promise<ContractorEntity> {
    return this.contractors.save(this.contractors.create(values));
  }

  async updateContractor(id: string, values: Partial<Pick<ContractorEntity, 'legalName' | 'address' | 'siret'>>): Promise<void> {
    await this.contractors.update({ id }, values);
  }

  /** The prime of each company asked for (null: not a subcontractor). */
  async primesOf(scope: TenantScope, ids: string[]): Promise<Map<string, string | null>> {
    if (!ids.length) return new Map();
    const rows = await this.contractors.createQueryBuilder('c').select(['c.id', 'c.primeContractorId'])
      .where('c.tenant_id = :tenantId AND c.id IN (:...ids)', { tenantId: scope.tenantId, ids }).getMany();
    return new Map(rows.map((c) => [c.id, c.primeContractorId]));
  }

  contactsOf(contractorId: string): Promise<ContactEntity[]> {
    return this.contacts.find({ where: { contractorId }, order: { role: 'ASC' } });
  }

  /** The roles declared for each company asked for. */
  async contactRoles(contractorIds: string[]): Promise<{ contractorId: string; role: ContactRole }[]> {
    if (!contractorIds.length) return [];
    return this.contacts.createQueryBuilder('c').select(['c.contractorId', 'c.role'])
      .where('c.contractor_id IN (:...contractorIds)', { contractorIds }).getMany();
  }

  contactRecipients(contractorId: string, roles: ContactRole[]): Promise<Recipient[]> {
    return this.db.query<Recipient>(
      `SELECT c.email, coalesce(u.locale, 'fr') AS locale
         FROM contractor_contacts c LEFT JOIN users u ON u.id = c.user_id
        WHERE c.contractor_id = $1 AND c.role = ANY($2) ORDER BY c.role`,
      [contractorId, roles],
    );
  }

  /** A declaration replaces the whole set. */
  async replaceContacts(contractorId: string, rows: DeepPartial<ContactEntity>[]): Promise<void> {
    await this.contacts.delete({ contractorId });
    await this.contacts.save(rows.map((r) => this.contacts.create(r)));
  }

  insertChange(values: DeepPartial<ChangeEntity>): Promise<ChangeEntity> {
    return this.changes.save(this.changes.create(values));
  }

  change(id: string): Promise<ChangeEntity | null> {
    return this.changes.findOneBy({ id });
  }

  async markChangeApplied(id: string, previous: Record<string, unknown>, appliedAt: Date): Promise<void> {
    await this.changes.update({ id }, { previous: previous as never, appliedAt });
  }

  /** Administrative changes not applied yet, in the order they were declared. */
  dueChanges(): Promise<Pick<ChangeEntity, 'id' | 'contractorId' | 'tenantId' | 'effectiveOn'>[]> {
    return this.changes.createQueryBuilder('c').select(['c.id', 'c.contractorId', 'c.tenantId', 'c.effectiveOn'])
      .where("c.applied_at IS NULL AND c.kind = 'administrative'").orderBy('c.declared_at').getMany();
  }

  /** In the order the declarations were recorded: `limit + 1` rows after the cursor, for CHANGES_IN_ORDER.page. */
  history(contractorId: string, page: PageQuery): Promise<ChangeEntity[]> {
    const q = this.changes.createQueryBuilder('c').where('c.contractor_id = :contractorId', { contractorId });
    return CHANGES_IN_ORDER.applyTo(q, page).getMany();
  }

  insertPrestation(values: DeepPartial<PrestationEntity>): Promise<PrestationEntity> {
    return this.prestations.save(this.prestations.create(values));
  }

  prestation(scope: TenantScope, id: string): Promise<PrestationEntity | null> {
    return this.prestations.findOneBy({ id, tenantId: scope.tenantId });
  }

  prestationById(id: string): Promise<PrestationEntity | null> {
    return this.prestations.findOneBy({ id });
  }

  async updatePrestation(id: string, values: Partial<PrestationEntity>): Promise<void> {
    await this.prestations.update({ id }, values);
  }

  /** `limit + 1` rows after the cursor, for PRESTATIONS_BY_START.page. */
  prestationsOf(contractorId: string, page: PageQuery): Promise<PrestationEntity[]> {
    const q = this.prestations.createQueryBuilder('p').where('p.contractor_id = :contractorId', { contractorId });
    return PRESTATIONS_BY_START.applyTo(q, page).getMany();
  }

  /** Running on a day: started, not past its end date, not ended by the DSI. */
  runningPrestations(contractorId: string, today: string): Promise<PrestationEntity[]> {
    return this.prestations.createQueryBuilder('p')
      .where(`p.contractor_id = :contractorId AND ${RUNNING}`, { contractorId, today }).getMany();
  }

  /** The running prestations of several companies, in one statement. */
  async runningOf(contractorIds: string[], today: string): Promise<RunningPrestation[]> {
    if (!contractorIds.length) return [];
    return this.prestations.createQueryBuilder('p')
      .select(['p.contractorId', 'p.accessMode', 'p.requireRgpdClauses', 'p.requireSecurityReferential'])
      .where(`p.contractor_id IN (:...contractorIds) AND ${RUNNING}`, { contractorIds, today }).getMany();
  }

  /** Prestations with an end date that the DSI has not ended yet (the scheduler ends those past it). */
  withEndDateNotEnded(): Promise<Pick<PrestationEntity, 'id' | 'tenantId' | 'endsOn'>[]> {
    return this.prestations.createQueryBuilder('p').select(['p.id', 'p.tenantId', 'p.endsOn'])
      .where('p.ended_at IS NULL AND p.ends_on IS NOT NULL').getMany();
  }

  endedWithoutAttestation(): Promise<PrestationEntity[]> {
    return this.prestations.createQueryBuilder('p').where('p.ended_at IS NOT NULL AND p.attested_at IS NULL').getMany();
  }
}
