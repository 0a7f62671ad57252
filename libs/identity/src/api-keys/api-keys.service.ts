import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Actor, APP_CONFIG, ApiKeyScope, AppConfig, AuditService, Clock, Db, GatewayPrincipal, lockRow, NotFoundError, Page, PageQuery,
  randomToken, Secrets, TenantScope,
} from '@app/core';
import { ApiKeyEntity } from '../entities';
import { IdentityErrors } from '../errors';
import { ApiKeysRepository } from './api-keys.repository';

/** A gateway key as listed: never the key itself nor its hash. */
export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ApiKeyScope, isArray: true }) scopes: ApiKeyScope[];
  @ApiProperty({ description: 'The public part of the key (pgk_<prefix>_...), to tell keys apart' }) prefix: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) revokedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastUsedAt: string | null;
}

const toView = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id, name: k.name, scopes: k.scopes, prefix: k.prefix, createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null, lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
});

/** How precisely `lastUsedAt` tells when a key was last used. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Gateway credentials (bastion, VPN): scoped, stored as keyed hashes, shown once at creation. */
@Injectable()
export class ApiKeysService {
  /** Key id -> when this process last wrote its `last_used_at` (so concurrent calls do not all write it). */
  private readonly touched = new Map<string, number>();
  /**
   * Key as sent (a trusted call skips the HMAC too) -> its gateway, trusted until `expires` (API_KEY_CACHE_MS; 0: off).
   * Only valid keys are kept, no longer than trusted: expired ones are swept whenever a key is read from the database.
   */
  private readonly trusted = new Map<string, { principal: GatewayPrincipal; expires: number }>();

  constructor(
    private readonly db: Db,
    private readonly keys: ApiKeysRepository,
    private readonly secrets: Secrets,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, scope: TenantScope, name: string, scopes: ApiKeyScope[]): Promise<ApiKeyView & { key: string }> {
    const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
    const key = `pgk_${prefix}_${randomToken(32)}`;
    return this.db.transaction(async () => {
      const entity = await this.keys.create({
        tenantId: scope.tenantId, name, scopes: [...new Set(scopes)], prefix, keyHash: this.secrets.lookupHash(key), createdBy: actor.id,
      });
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'api_key.created', targetType: 'api_key', targetId: entity.id,
        after: { name, scopes: entity.scopes, prefix },
      });
      return { ...toView(entity), key };
    });
  }

  async list(scope: TenantScope, page: PageQuery): Promise<Page<ApiKeyView>> {
    const { items, nextCursor } = await this.keys.list(scope, page);
    return { items: items.map(toView), nextCursor };
  }

  async revoke(actor: Actor, scope: TenantScope, id: string): Promise<void> {
    await this.db.transaction(async () => {
      // R-INT: idempotent, and audited once however many revocations run at once (read under the row lock).
      await lockRow(this.db, 'api_keys', id);
      const key = await this.keys.findInScope(scope, id);
      if (!key) throw new NotFoundError('API key');
      if (key.revokedAt) return;
      await this.keys.markRevoked(id, this.clock.now());
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'api_key.revoked', targetType: 'api_key', targetId: id,
        before: { revokedAt: null }, after: { revokedAt: this.clock.now() },
      });
      // R-INT once committed, also inside a wider transaction (a call reading the key in the gap would trust it again).
      this.db.afterCommit(() => this.distrust(id));
    });
  }

  /**
   * Every gateway call (the hot path); a key is trusted for API_KEY_CACHE_MS, a revocation elsewhere applies within
   * it. `last_used_at` is written at most once a minute: on every call, each decision queued on the key's row lock.
   */
  async authenticate(key: string): Promise<GatewayPrincipal> {
    const nowMs = Date.now();
    const hit = this.trusted.get(key);
    if (hit && hit.expires > nowMs) return { ...hit.principal, scopes: [...hit.principal.scopes] };
    this.forgetExpired(nowMs);
    const principal = await this.authenticateHash(this.secrets.lookupHash(key));
    if (this.config.auth.apiKeyCacheMs > 0) this.trusted.set(key, { principal, expires: nowMs + this.config.auth.apiKeyCacheMs });
    return { ...principal, scopes: [...principal.scopes] };
  }

  /** A key known by its keyed hash only (the syslog spool keeps no key on disk, R-ART41): read from the database. */
  async authenticateHash(hash: string): Promise<GatewayPrincipal> {
    const row = await this.keys.findActiveByHash(hash);
    if (!row) throw IdentityErrors.error('INVALID_API_KEY');
    const now = this.clock.now();
    const last = Math.max(row.lastUsedAt?.getTime() ?? -Infinity, this.touched.get(row.id) ?? -Infinity);
    if (now.getTime() - last >= LAST_USED_RESOLUTION_MS) {
      this.touched.set(row.id, now.getTime());
      await this.keys.touch(row.id, now);
    }
    return { kind: 'gateway', apiKeyId: row.id, tenantId: row.tenantId, scopes: row.scopes };
  }

  private distrust(id: string): void {
    for (const [key, entry] of this.trusted) if (entry.principal.apiKeyId === id) this.trusted.delete(key);
  }

  private forgetExpired(nowMs: number): void {
    for (const [key, entry] of this.trusted) if (entry.expires <= nowMs) this.trusted.delete(key);
  }
}
