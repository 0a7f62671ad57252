import { Injectable } from '@nestjs/common';
import { ApiKeyScope, Db, Keyset, Page, TenantScope } from '@app/core';
import { ApiKeyEntity } from '../entities';

/** `created_at` has microseconds and a cursor milliseconds: the order uses it truncated, so the two agree. */
const OLDEST = new Keyset('ASC', [['createdAt', "date_trunc('milliseconds', k.created_at)", 'instant'], ['id', 'k.id', 'uuid']]);

/** A key as the per-call check reads it. */
export interface ActiveKey {
  id: string;
  tenantId: string;
  scopes: ApiKeyScope[];
  lastUsedAt: Date | null;
}

/** Only this class touches api_keys. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: Db) {}

  private get repo() { return this.db.manager.getRepository(ApiKeyEntity); }

  create(values: Pick<ApiKeyEntity, 'tenantId' | 'name' | 'scopes' | 'prefix' | 'keyHash' | 'createdBy'>): Promise<ApiKeyEntity> {
    return this.repo.save(this.repo.create(values));
  }

  async list(scope: TenantScope, page: { limit: number; cursor?: string }): Promise<Page<ApiKeyEntity>> {
    const query = this.repo.createQueryBuilder('k').where('k.tenant_id = :tenantId', { tenantId: scope.tenantId });
    const keys = await OLDEST.applyTo(query, page).getMany();
    return OLDEST.page(keys, page.limit, (k) => k, (k) => ({ createdAt: k.createdAt, id: k.id }));
  }

  findInScope(scope: TenantScope, id: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ id, tenantId: scope.tenantId });
  }

  async markRevoked(id: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { revokedAt: at });
  }

  /** The hot path of every gateway call: a named prepared statement. */
  async findActiveByHash(hash: string): Promise<ActiveKey | undefined> {
    const [row] = await this.db.prepared<ActiveKey>('api-key-authenticate',
      `SELECT id, tenant_id AS "tenantId", scopes, last_used_at AS "lastUsedAt" FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    return row;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`, [id, at]);
  }
}
