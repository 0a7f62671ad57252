import { Injectable } from '@nestjs/common';
import { Db, decodeCursor, isTextKey, isUuidKey, Keyset, PageQuery, TenantScope } from '@app/core';
import { ChangeEntity, ContactEntity, ContractorEntity, PrestationEntity } from './entities';

/** A company's history in the order it was recorded (index contractor_changes_history_idx). */
export const CHANGES_IN_ORDER = new Keyset('ASC', [['seq', 'c.seq', 'int']]);
/**
 * A company's prestations by start date, then creation. `created_at` is filled by PostgreSQL to the
 * microsecond while a cursor carries milliseconds: the order uses it truncated, so the two agree.
 */
export const PRESTATIONS_BY_START = new Keyset('ASC', [
  ['startsOn', 'p.starts_on', 'date'], ['createdAt', "date_trunc('milliseconds', p.created_at)", 'instant'], ['id', 'p.id', 'uuid'],
]);

/** The position of a company in `list`'s order, as its cursors carry it. */
export const contractorListKey = (c: { legalName: string; id: string }) => ({ legalName: c.legalName, id: c.id });

/** Only this class touches the contractor tables. Reads take the caller's TenantScope. */
@Injectable()
export class ContractorsRepository {
  constructor(private readonly db: Db) {}

  get contractors() {
    return this.db.manager.getRepository(ContractorEntity);
  }
  get contacts() {
    return this.db.manager.getRepository(ContactEntity);
  }
  get changes() {
    return this.db.manager.getRepository(ChangeEntity);
  }
  get prestations() {
    return this.db.manager.getRepository(PrestationEntity);
  }

  siretTaken(tenantId: string, siret: string, exceptId?: string): Promise<boolean> {
    const q = this.contractors.createQueryBuilder('c').where('c.tenant_id = :tenantId AND c.siret = :siret', { tenantId, siret });
    if (exceptId) q.andWhere('c.id <> :exceptId', { exceptId });
    return q.getExists();
  }

  /** Keyset page by (legal name, id); a contractor person sees only its company (and its subcontractors). */
  list(scope: TenantScope, visible: { all: true } | { ownOrPrimeOf: string; includeSubcontractors: boolean }, limit: number, cursor?: string) {
    const after = decodeCursor<{ legalName: string; id: string }>(cursor, ['legalName', 'id'], (c) => isTextKey(c.legalName) && isUuidKey(c.id));
    const q = this.contractors.createQueryBuilder('c').where('c.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if ('ownOrPrimeOf' in visible) {
      q.andWhere(visible.includeSubcontractors ? '(c.id = :own OR c.prime_contractor_id = :own)' : 'c.id = :own', { own: visible.ownOrPrimeOf });
    }
    if (after) q.andWhere('(c.legal_name, c.id) > (:legalName, :id)', after);
    return q.orderBy('c.legal_name', 'ASC').addOrderBy('c.id', 'ASC').limit(limit + 1).getMany();
  }

  contactsOf(contractorId: string): Promise<ContactEntity[]> {
    return this.contacts.find({ where: { contractorId }, order: { role: 'ASC' } });
  }

  /** In the order the declarations were recorded: `limit + 1` rows after the cursor, for CHANGES_IN_ORDER.page. */
  history(contractorId: string, page: PageQuery): Promise<ChangeEntity[]> {
    return CHANGES_IN_ORDER.applyTo(this.changes.createQueryBuilder('c').where('c.contractor_id = :contractorId', { contractorId }), page).getMany();
  }

  /** `limit + 1` rows after the cursor, for PRESTATIONS_BY_START.page. */
  prestationsOf(contractorId: string, page: PageQuery): Promise<PrestationEntity[]> {
    return PRESTATIONS_BY_START.applyTo(this.prestations.createQueryBuilder('p').where('p.contractor_id = :contractorId', { contractorId }), page).getMany();
  }

  /** Running on a day: started, not past its end date, not ended by the DSI. */
  runningPrestations(contractorId: string, today: string): Promise<PrestationEntity[]> {
    return this.prestations.createQueryBuilder('p')
      .where('p.contractor_id = :contractorId AND p.starts_on <= :today AND (p.ends_on IS NULL OR p.ends_on >= :today) AND p.ended_at IS NULL', { contractorId, today })
      .getMany();
  }
}
