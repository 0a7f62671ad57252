import { Injectable } from '@nestjs/common';
import { ConflictError, Db, decodeCursor, isInstantKey, isSeqKey, isUniqueViolation, isUuidKey, TenantScope } from '@app/core';
import type { WebhookEvent } from './webhook-events';

export interface WebhookRow {
  id: string;
  tenant_id: string;
  url: string;
  events: WebhookEvent[];
  secret_enc: string;
  created_by: string | null;
  created_at: Date;
  revoked_at: Date | null;
  secret_rotated_at: Date | null;
  previous_secret_enc: string | null;
  previous_secret_expires_at: Date | null;
}

export interface DeliveryRow {
  id: string;
  seq: string;
  tenant_id: string;
  webhook_id: string;
  outbox_id: string;
  event: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Date;
}

export type NewWebhook = Pick<WebhookRow, 'url' | 'events' | 'secret_enc' | 'created_by' | 'created_at'>;
export type NewDelivery = Omit<DeliveryRow, 'id' | 'seq' | 'tenant_id' | 'webhook_id'>;

const urlTaken = () => new ConflictError('WEBHOOK_URL_TAKEN', 'An active webhook already posts to this URL; revoke it first, then subscribe it again with every event it needs');

/** Only this class touches `webhooks` and `webhook_deliveries`. Every query takes the tenant. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: TenantScope, hook: NewWebhook): Promise<WebhookRow> {
    const taken = await this.db.query(`SELECT 1 FROM webhooks WHERE tenant_id = $1 AND url = $2 AND revoked_at IS NULL`, [scope.tenantId, hook.url]);
    if (taken.length) throw urlTaken();
    try {
      const [row] = await this.db.query<WebhookRow>(
        `INSERT INTO webhooks (tenant_id, url, events, secret_enc, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [scope.tenantId, hook.url, hook.events, hook.secret_enc, hook.created_by, hook.created_at],
      );
      return row;
    } catch (error) {
      // A concurrent creation won the race the check above could not see.
      if (isUniqueViolation(error, 'webhooks_active_url')) throw urlTaken();
      throw error;
    }
  }

  /** `forUpdate` (in a transaction): the row stays locked until it ends, so two rotations apply one after the other. */
  async find(scope: TenantScope, id: string, forUpdate = false): Promise<WebhookRow | undefined> {
    const [row] = await this.db.query<WebhookRow>(
      `SELECT * FROM webhooks WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [scope.tenantId, id],
    );
    return row;
  }

  /** Installs a new secret; the replaced one keeps signing until `previousUntil` (null: it stops at once). */
  async rotateSecret(scope: TenantScope, id: string, secretEnc: string, previous: { secretEnc: string; until: Date } | null, at: Date): Promise<WebhookRow> {
    const [row] = await this.db.query<WebhookRow>(
      `UPDATE webhooks SET secret_enc = $3, previous_secret_enc = $4, previous_secret_expires_at = $5, secret_rotated_at = $6
        WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING *`,
      [scope.tenantId, id, secretEnc, previous?.secretEnc ?? null, previous?.until ?? null, at],
    );
    return row;
  }

  /** Oldest first, keyset on (created_at, id); revoked ones included. */
  list(scope: TenantScope, limit: number, cursor?: string): Promise<WebhookRow[]> {
    const after = decodeCursor<{ createdAt: string; id: string }>(cursor, ['createdAt', 'id'], (c) => isInstantKey(c.createdAt) && isUuidKey(c.id));
    return this.db.query<WebhookRow>(
      `SELECT * FROM webhooks WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [scope.tenantId, after?.createdAt ?? null, after?.id ?? null, limit + 1],
    );
  }

  /** True when this call revoked it (false when it already was). */
  async revoke(scope: TenantScope, id: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE webhooks SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id`,
      [scope.tenantId, id, at],
    );
    return rows.length > 0;
  }

  /** The active webhooks of a tenant subscribed to an event. */
  subscribers(scope: TenantScope, event: WebhookEvent): Promise<{ id: string }[]> {
    return this.db.query<{ id: string }>(
      `SELECT id FROM webhooks WHERE tenant_id = $1 AND revoked_at IS NULL AND $2 = ANY(events) ORDER BY created_at, id`,
      [scope.tenantId, event],
    );
  }

  async recordDelivery(scope: TenantScope, webhookId: string, d: NewDelivery): Promise<void> {
    await this.db.query(
      `INSERT INTO webhook_deliveries (tenant_id, webhook_id, outbox_id, event, attempt, status_code, error, duration_ms, attempted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [scope.tenantId, webhookId, d.outbox_id, d.event, d.attempt, d.status_code, d.error, d.duration_ms, d.attempted_at],
    );
  }

  /** Newest attempt first, keyset on the insertion sequence. */
  deliveries(scope: TenantScope, webhookId: string, limit: number, cursor?: string): Promise<DeliveryRow[]> {
    const after = decodeCursor<{ seq: number }>(cursor, ['seq'], (c) => isSeqKey(c.seq));
    return this.db.query<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE tenant_id = $1 AND webhook_id = $2 AND ($3::bigint IS NULL OR seq < $3::bigint)
        ORDER BY seq DESC LIMIT $4`,
      [scope.tenantId, webhookId, after?.seq ?? null, limit + 1],
    );
  }
}
