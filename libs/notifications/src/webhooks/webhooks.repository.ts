import { Injectable } from '@nestjs/common';
import { bindTo, Db, isUniqueViolation, Keyset, Page, TenantScope } from '@app/core';
import { NotificationErrors } from '../errors';
import type { WebhookEvent } from './webhook-events';

export interface WebhookRecord {
  id: string;
  tenantId: string;
  url: string;
  events: WebhookEvent[];
  secretEnc: string;
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  secretRotatedAt: Date | null;
  previousSecretEnc: string | null;
  previousSecretExpiresAt: Date | null;
}

export interface DeliveryRecord {
  id: string;
  seq: number;
  outboxId: string;
  event: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
}

interface WebhookRow {
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

interface DeliveryRow {
  id: string;
  seq: string;
  outbox_id: string;
  event: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: Date;
}

const toWebhook = (r: WebhookRow): WebhookRecord => ({
  id: r.id, tenantId: r.tenant_id, url: r.url, events: r.events, secretEnc: r.secret_enc, createdBy: r.created_by,
  createdAt: r.created_at, revokedAt: r.revoked_at, secretRotatedAt: r.secret_rotated_at, previousSecretEnc: r.previous_secret_enc,
  previousSecretExpiresAt: r.previous_secret_expires_at,
});

const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id, seq: Number(r.seq), outboxId: r.outbox_id, event: r.event, attempt: r.attempt, statusCode: r.status_code,
  error: r.error, durationMs: r.duration_ms, attemptedAt: r.attempted_at,
});

export type NewWebhook = Pick<WebhookRecord, 'url' | 'events' | 'secretEnc' | 'createdBy' | 'createdAt'>;
export type NewDelivery = Omit<DeliveryRecord, 'id' | 'seq'>;

const OLDEST_FIRST = new Keyset('ASC', [['createdAt', 'created_at', 'instant'], ['id', 'id', 'uuid']]);
const LATEST_ATTEMPT = new Keyset('DESC', [['seq', 'seq', 'int']]);

/** Only this class touches `webhooks` and `webhook_deliveries`. Every query takes the tenant. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: TenantScope, hook: NewWebhook): Promise<WebhookRecord> {
    const taken = await this.db.query(
      `SELECT 1 FROM webhooks WHERE tenant_id = $1 AND url = $2 AND revoked_at IS NULL`, [scope.tenantId, hook.url],
    );
    if (taken.length) throw NotificationErrors.error('WEBHOOK_URL_TAKEN');
    try {
      const [row] = await this.db.query<WebhookRow>(
        `INSERT INTO webhooks (tenant_id, url, events, secret_enc, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [scope.tenantId, hook.url, hook.events, hook.secretEnc, hook.createdBy, hook.createdAt],
      );
      return toWebhook(row);
    } catch (error) {
      // A concurrent creation won the race the check above could not see.
      if (isUniqueViolation(error, 'webhooks_active_url')) throw NotificationErrors.error('WEBHOOK_URL_TAKEN');
      throw error;
    }
  }

  /** `forUpdate` (in a transaction): the row stays locked until it ends, so two rotations apply one after the other. */
  async find(scope: TenantScope, id: string, forUpdate = false): Promise<WebhookRecord | undefined> {
    const [row] = await this.db.query<WebhookRow>(
      `SELECT * FROM webhooks WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [scope.tenantId, id],
    );
    return row && toWebhook(row);
  }

  /** Installs a new secret; the replaced one keeps signing until `previous.until` (null: it stops at once). */
  async rotateSecret(
    scope: TenantScope, id: string, secretEnc: string, previous: { secretEnc: string; until: Date } | null, at: Date,
  ): Promise<WebhookRecord> {
    const [row] = await this.db.query<WebhookRow>(
      `UPDATE webhooks SET secret_enc = $3, previous_secret_enc = $4, previous_secret_expires_at = $5, secret_rotated_at = $6
        WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING *`,
      [scope.tenantId, id, secretEnc, previous?.secretEnc ?? null, previous?.until ?? null, at],
    );
    return toWebhook(row);
  }

  /** Oldest first, keyset on (created_at, id); revoked ones included. */
  async list(scope: TenantScope, page: { limit: number; cursor?: string }): Promise<Page<WebhookRecord>> {
    const params: unknown[] = [scope.tenantId];
    const bind = bindTo(params);
    const rows = await this.db.query<WebhookRow>(
      `SELECT * FROM webhooks WHERE tenant_id = $1 AND ${OLDEST_FIRST.after(page.cursor, bind)}
        ORDER BY ${OLDEST_FIRST.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
    return OLDEST_FIRST.page(rows, page.limit, toWebhook, (w) => ({ createdAt: w.created_at, id: w.id }));
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
      [scope.tenantId, webhookId, d.outboxId, d.event, d.attempt, d.statusCode, d.error, d.durationMs, d.attemptedAt],
    );
  }

  /** Newest attempt first, keyset on the insertion sequence. */
  async deliveries(scope: TenantScope, webhookId: string, page: { limit: number; cursor?: string }): Promise<Page<DeliveryRecord>> {
    const params: unknown[] = [scope.tenantId, webhookId];
    const bind = bindTo(params);
    const rows = await this.db.query<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE tenant_id = $1 AND webhook_id = $2 AND ${LATEST_ATTEMPT.after(page.cursor, bind)}
        ORDER BY ${LATEST_ATTEMPT.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
    return LATEST_ATTEMPT.page(rows, page.limit, toDelivery, (d) => ({ seq: Number(d.seq) }));
  }
}
