import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ConflictError, Db, isUniqueViolation } from '@app/core';
import { TenantEntity } from '../entities';
import { TenantPolicy } from '../policy/tenant-policy';

@Injectable()
export class TenantsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(TenantEntity);
  }

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
        throw new ConflictError('TENANT_EXISTS', `A tenant named "${values.name}" already exists`);
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
}
