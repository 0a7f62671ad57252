import { Injectable } from '@nestjs/common';
import {
  Actor, ApiKeyScope, AuditService, Clock, Db, GatewayPrincipal, NotFoundError, randomToken, Secrets, TenantScope,
  UnauthorizedError,
} from '@app/core';
import { ApiKeyEntity } from '../entities';

export interface ApiKeyView {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const toView = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id, name: k.name, scopes: k.scopes, prefix: k.prefix, createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null, lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});

/** Gateway credentials (bastion, VPN): scoped, stored as keyed hashes, shown once at creation. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: Db,
    private readonly secrets: Secrets,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private get repo() {
    return this.db.manager.getRepository(ApiKeyEntity);
  }

  async create(actor: Actor, scope: TenantScope, name: string, scopes: ApiKeyScope[]): Promise<ApiKeyView & { key: string }> {
    const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
    const key = `pgk_${prefix}_${randomToken(32)}`;
    return this.db.transaction(async () => {
      const entity = await this.repo.save(this.repo.create({
        tenantId: scope.tenantId, name, scopes: [...new Set(scopes)], prefix, keyHash: this.secrets.lookupHash(key),
        createdBy: actor.id,
      }));
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'api_key.created', targetType: 'api_key', targetId: entity.id,
        after: { name, scopes: entity.scopes, prefix },
      });
      return { ...toView(entity), key };
    });
  }

  async list(scope: TenantScope): Promise<ApiKeyView[]> {
    const keys = await this.repo.find({ where: { tenantId: scope.tenantId }, order: { createdAt: 'ASC' } });
    return keys.map(toView);
  }

  async revoke(actor: Actor, scope: TenantScope, id: string): Promise<void> {
    await this.db.transaction(async () => {
      const key = await this.repo.findOneBy({ id, tenantId: scope.tenantId });
      if (!key) throw new NotFoundError('API key');
      if (key.revokedAt) return;
      await this.repo.update({ id }, { revokedAt: this.clock.now() });
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'api_key.revoked', targetType: 'api_key', targetId: id,
        before: { revokedAt: null }, after: { revokedAt: this.clock.now() },
      });
    });
  }

  async authenticate(key: string): Promise<GatewayPrincipal> {
    const [row] = await this.db.query<{ id: string; tenant_id: string; scopes: ApiKeyScope[] }>(
      `UPDATE api_keys SET last_used_at = $2 WHERE key_hash = $1 AND revoked_at IS NULL RETURNING id, tenant_id, scopes`,
      [this.secrets.lookupHash(key), this.clock.now()],
    );
    if (!row) throw new UnauthorizedError('INVALID_API_KEY', 'This API key is not valid or was revoked');
    return { kind: 'gateway', apiKeyId: row.id, tenantId: row.tenant_id, scopes: row.scopes };
  }
}
