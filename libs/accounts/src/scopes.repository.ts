import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { Db, isUniqueViolation, Keyset, PageQuery, TenantScope } from '@app/core';
import { AccountVisibility, restrict } from './accounts.repository';
import { AccountEntity, Criticality, HabilitationEntity, HabilitationStatus, ResourceEntity, ResourceKind } from './entities';

/** The catalogue by name (index resources_list_idx). */
export const RESOURCES = new Keyset('ASC', [['name', 'r.name', 'text'], ['id', 'r.id', 'uuid']]);
/** Habilitations in the order requested: one account's (habilitations_list_idx), the tenant's queue (habilitations_queue_idx). */
export const HABILITATIONS = new Keyset('ASC', [['requestedAt', 'h.requested_at', 'instant'], ['id', 'h.id', 'uuid']]);

export type NewResource = Pick<ResourceEntity, 'tenantId' | 'name' | 'kind' | 'criticality' | 'externalId'>;
export type NewHabilitation = Omit<HabilitationEntity, 'id' | 'decidedBy' | 'decidedAt' | 'revokedAt' | 'reason'>;
export type HabilitationChanges = Partial<Pick<HabilitationEntity, 'status' | 'level' | 'decidedBy' | 'decidedAt' | 'revokedAt' |
  'reason'>>;

/** Only this class touches the resources and habilitations tables (R-ART31). */
@Injectable()
export class ScopesRepository {
  constructor(private readonly db: Db) {}

  private get resources() { return this.db.manager.getRepository(ResourceEntity); }
  private get habilitations() { return this.db.manager.getRepository(HabilitationEntity); }

  /** The new resource; `'name'` or `'externalId'` when one already holds it. */
  async insertResource(resource: NewResource): Promise<ResourceEntity | 'name' | 'externalId'> {
    return this.resources.save(this.resources.create(resource)).catch((error: unknown) => {
      if (isUniqueViolation(error, 'resources_tenant_id_name_key')) return 'name' as const;
      if (isUniqueViolation(error, 'resources_external_id_key')) return 'externalId' as const;
      throw error;
    });
  }

  findResource(scope: TenantScope, id: string): Promise<ResourceEntity | null> {
    return this.resources.findOneBy({ id, tenantId: scope.tenantId });
  }

  /** A page of RESOURCES (limit + 1 rows). */
  listResources(scope: TenantScope, filter: { kind?: ResourceKind; criticality?: Criticality },
    page: PageQuery): Promise<ResourceEntity[]> {
    const query = this.resources.createQueryBuilder('r').where('r.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (filter.kind) query.andWhere('r.kind = :kind', { kind: filter.kind });
    if (filter.criticality) query.andWhere('r.criticality = :criticality', { criticality: filter.criticality });
    return RESOURCES.applyTo(query, page).getMany();
  }

  insertHabilitation(habilitation: NewHabilitation): Promise<HabilitationEntity> {
    return this.habilitations.save(this.habilitations.create(habilitation));
  }

  findHabilitation(scope: TenantScope, id: string, forUpdate = false): Promise<HabilitationEntity | null> {
    return this.habilitations.findOne({ where: { id, tenantId: scope.tenantId },
      lock: forUpdate ? { mode: 'pessimistic_write' } : undefined });
  }

  getHabilitation(id: string): Promise<HabilitationEntity> {
    return this.habilitations.findOneByOrFail({ id });
  }

  async updateHabilitation(id: string, changes: HabilitationChanges): Promise<void> {
    await this.habilitations.update({ id }, changes);
  }

  /** Changes an approved habilitation; false when it is no longer approved (revoked meanwhile). */
  async updateApproved(id: string, changes: HabilitationChanges): Promise<boolean> {
    const result = await this.habilitations.createQueryBuilder().update().set(changes)
      .where("id = :id AND status = 'approved'", { id }).execute();
    return (result.affected ?? 0) > 0;
  }

  /** One account's habilitations, a page of HABILITATIONS (limit + 1 rows). */
  ofAccount(accountId: string, status: HabilitationStatus | undefined, page: PageQuery): Promise<HabilitationEntity[]> {
    return this.page(this.habilitations.createQueryBuilder('h').where('h.account_id = :accountId', { accountId }), status, page);
  }

  /**
   * The tenant's habilitations. Hospital people read the whole tenant (an index range of habilitations_queue_idx);
   * the accounts are joined only to narrow the list to a company, or to a contractor person's view.
   */
  ofTenant(visible: AccountVisibility, status: HabilitationStatus | undefined, page: PageQuery): Promise<HabilitationEntity[]> {
    const query = this.habilitations.createQueryBuilder('h').where('h.tenant_id = :tenantId', { tenantId: visible.tenantId });
    if (visible.company || visible.ownUserId) restrict(query.innerJoin(AccountEntity, 'a', 'a.id = h.account_id'), visible);
    return this.page(query, status, page);
  }

  private page(query: SelectQueryBuilder<HabilitationEntity>, status: HabilitationStatus | undefined, page: PageQuery) {
    if (status) query.andWhere('h.status = :status', { status });
    return HABILITATIONS.applyTo(query, page).getMany();
  }
}
