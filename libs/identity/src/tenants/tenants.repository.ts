import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { bindTo, Db, isUniqueViolation, Keyset, Page, Role } from '@app/core';
import { TenantEntity } from '../entities';
import { IdentityErrors } from '../errors';
import { TenantPolicy } from '../policy/tenant-policy';

/** An establishment with what tells the platform operator whether it can still administer itself. */
export interface EstablishmentRow {
  id: string;
  name: string;
  preset: string;
  createdAt: Date;
  activeDsis: number;
  contractors: number;
}

const BY_NAME = new Keyset('ASC', [['name', 't.name', 'text'], ['id', 't.id', 'uuid']]);

/** Only this class touches the tenants table. */
@Injectable()
export class TenantsRepository {
  constructor(private readonly db: Db) {}

  private get repo() { return this.db.manager.getRepository(TenantEntity); }

  findById(id: string): Promise<TenantEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async nameTaken(name: string): Promise<boolean> {
    return (await this.repo.createQueryBuilder('t').where('lower(t.name) = lower(:name)', { name }).getCount()) > 0;
  }

  async create(values: Pick<TenantEntity, 'name' | 'preset' | 'policy'>): Promise<TenantEntity> {
    try {
      return await this.repo.save(this.repo.create(values));
    } catch (error) {
      // nameTaken() saw nothing, but a concurrent creation of the same name committed first.
      if (isUniqueViolation(error, 'tenants_name_key')) {
        throw IdentityErrors.error('TENANT_EXISTS', { name: String(values.name) });
      }
      throw error;
    }
  }

  /** The stored policy over today's defaults: a setting added later gets its default. */
  async policyOf(tenantId: string): Promise<TenantPolicy> {
    const tenant = await this.findById(tenantId);
    return plainToInstance(TenantPolicy, { ...new TenantPolicy(), ...(tenant?.policy ?? {}) });
  }

  async savePolicy(tenantId: string, policy: TenantPolicy): Promise<void> {
    await this.repo.update({ id: tenantId }, { policy: JSON.parse(JSON.stringify(policy)) });
  }

  /** Every establishment by name, its active DSIs and contractor companies counted (the operator sees numbers only). */
  async listWithCounts(page: { limit: number; cursor?: string }): Promise<Page<EstablishmentRow>> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const rows = await this.db.query<EstablishmentRow>(
      `SELECT t.id, t.name, t.preset, t.created_at AS "createdAt",
              (SELECT count(*)::int FROM users u
                WHERE u.tenant_id = t.id AND u.contractor_id IS NULL AND u.status = 'active' AND '${Role.Dsi}' = ANY(u.roles)
              ) AS "activeDsis",
              (SELECT count(*)::int FROM contractors c WHERE c.tenant_id = t.id) AS contractors
         FROM tenants t WHERE ${BY_NAME.after(page.cursor, bind)}
        ORDER BY ${BY_NAME.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
    return BY_NAME.page(rows, page.limit, (r) => r, (r) => ({ name: r.name, id: r.id }));
  }
}
