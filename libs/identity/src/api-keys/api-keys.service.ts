import { Inject, Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Actor, APP_CONFIG, ApiKeyScope, AppConfig, AuditService, Clock, Db, GatewayPrincipal, Keyset, lockRow, NotFoundError, Page, PageQuery,
  randomToken, Secrets, TenantScope, UnauthorizedError,
} from '@app/core';
import { ApiKeyEntity } from '../entities';

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

/**
 * Oldest first. `created_at` is filled by PostgreSQL to the microsecond while a cursor carries
 * milliseconds: the order uses it truncated, so the two agree (a few keys per tenant).
 */
const OLDEST = new Keyset('ASC', [['createdAt', "date_trunc('milliseconds', k.created_at)", 'instant'], ['id', 'k.id', 'uuid']]);

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
   * Key -> the gateway it identifies, trusted until `expires` (API_KEY_CACHE_MS; 0: every call reads the key).
   * Keyed by the key as sent, so that a trusted call skips the HMAC as well (a few per cent of an access
   * decision's CPU). Only keys found valid are kept, and no longer than they are trusted (expired ones are
   * swept whenever a key is read from the database).
   */
  private readonly trusted = new Map<string, { principal: GatewayPrincipal; expires: number }>();

  constructor(
    private readonly db: Db,
    private readonly secrets: Secrets,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  async list(scope: TenantScope, page: PageQuery): Promise<Page<ApiKeyView>> {
    const query = this.repo.createQueryBuilder('k').where('k.tenant_id = :tenantId', { tenantId: scope.tenantId });
    const keys = await OLDEST.applyTo(query, page).getMany();
    return OLDEST.page(keys, page.limit, toView, (k) => ({ createdAt: k.createdAt, id: k.id }));
  }

  async revoke(actor: Actor, scope: TenantScope, id: string): Promise<void> {
    await this.db.transaction(async () => {
      // R-INT: idempotent, and audited once however many revocations run at once (read under the row lock).
      await lockRow(this.db, 'api_keys', id);
      const key = await this.repo.findOneBy({ id, tenantId: scope.tenantId });
      if (!key) throw new NotFoundError('API key');
      if (key.revokedAt) return;
      await this.repo.update({ id }, { revokedAt: this.clock.now() });
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'api_key.revoked', targetType: 'api_key', targetId: id,
        before: { revokedAt: null }, after: { revokedAt: this.clock.now() },
      });
      // R-INT once committed, also when called inside a wider transaction (a call reading the key in the gap would trust it again).
      this.db.afterCommit(() => this.distrust(id));
    });
  }

  /**
   * Every gateway call (the access decisions are the hot path). A key once checked is trusted for
   * API_KEY_CACHE_MS (5 s by default): a revocation through this process applies at the next call,
   * through another process within that delay. `last_used_at` is written at most once a minute per
   * key: written on every call, it made each access decision a write queueing on the key's row lock.
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
    const [row] = await this.db.prepared<{ id: string; tenant_id: string; scopes: ApiKeyScope[]; last_used_at: Date | null }>('api-key-authenticate',
      `SELECT id, tenant_id, scopes, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    if (!row) throw new UnauthorizedError('INVALID_API_KEY', 'This API key is not valid or was revoked');
    const now = this.clock.now();
    const last = Math.max(row.last_used_at?.getTime() ?? -Infinity, this.touched.get(row.id) ?? -Infinity);
    if (now.getTime() - last >= LAST_USED_RESOLUTION_MS) {
      this.touched.set(row.id, now.getTime());
      await this.db.query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`, [row.id, now]);
    }
    return { kind: 'gateway', apiKeyId: row.id, tenantId: row.tenant_id, scopes: row.scopes };
  }

  private distrust(id: string): void {
    for (const [key, entry] of this.trusted) if (entry.principal.apiKeyId === id) this.trusted.delete(key);
  }

  private forgetExpired(nowMs: number): void {
    for (const [key, entry] of this.trusted) if (entry.expires <= nowMs) this.trusted.delete(key);
  }
}
