import { performance } from 'node:perf_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { Clock, Db, JobContext, JobName, OnJob, OutboxService, Secrets } from '@app/core';
import { signatureHeader } from './webhook-signature';
import type { WebhookJobPayload } from './webhooks.service';
import { WebhookRow, WebhooksRepository } from './webhooks.repository';

export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_ERROR_BODY = 300;

interface Outcome {
  statusCode: number | null;
  error: string | null;
}

/** A receiver did not answer 2xx: thrown so that BullMQ retries with its exponential backoff. */
export class WebhookDeliveryFailed extends Error {
  constructor(readonly deliveryId: string, reason: string) {
    super(`Webhook delivery ${deliveryId} failed: ${reason}`);
    this.name = 'WebhookDeliveryFailed';
  }
}

/**
 * Worker side of webhooks (R-NOT): POSTs one outbox event, signed, to its webhook. Every attempt is
 * logged in `webhook_deliveries`. Idempotent per outbox row like EmailHandler: a delivered row is
 * skipped, and the body's `id` / X-Prestagate-Delivery is the row id on every retry, so a receiver
 * drops the duplicate that a crash between its 2xx and our commit could cause.
 */
@Injectable()
export class WebhookHandler {
  private readonly log = new Logger('WebhookHandler');

  constructor(
    private readonly db: Db,
    private readonly repo: WebhooksRepository,
    private readonly outbox: OutboxService,
    private readonly secrets: Secrets,
    private readonly clock: Clock,
  ) {}

  @OnJob(JobName.WebhookDeliver)
  async deliver(payload: WebhookJobPayload, ctx: JobContext): Promise<void> {
    if (!ctx.outboxId) throw new Error('A webhook delivery comes from the outbox: its row id is the delivery id');
    const row = await this.outbox.find(ctx.outboxId);
    if (!row || row.delivered_at) return;
    const hook = row.tenant_id ? await this.repo.find({ tenantId: row.tenant_id }, payload.webhookId) : undefined;
    if (!hook || hook.revoked_at) {
      await this.outbox.markSkipped(row.id, hook ? 'webhook revoked' : 'webhook not found');
      return;
    }
    const scope = { tenantId: hook.tenant_id };
    const attemptedAt = this.clock.now();
    const timestamp = Math.floor(attemptedAt.getTime() / 1000);
    const body = JSON.stringify({ id: row.id, event: payload.event, occurredAt: payload.occurredAt, tenantId: row.tenant_id, data: payload.data });
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'Prestagate-Webhooks/1',
      'X-Prestagate-Event': payload.event,
      'X-Prestagate-Delivery': row.id,
      'X-Prestagate-Timestamp': String(timestamp),
      'X-Prestagate-Signature': signatureHeader(this.secretsInForce(hook, attemptedAt), timestamp, body),
    };
    const started = performance.now();
    const outcome = await post(hook.url, headers, body);
    const ok = outcome.error === null;
    await this.db.transaction(async () => {
      await this.repo.recordDelivery(scope, hook.id, {
        outbox_id: row.id, event: payload.event, attempt: row.attempts + 1, status_code: outcome.statusCode, error: outcome.error,
        duration_ms: Math.round(performance.now() - started), attempted_at: attemptedAt,
      });
      if (ok) await this.outbox.markDelivered(row.id);
      else await this.outbox.recordFailure(row.id, outcome.error ?? 'failed');
    });
    if (!ok) throw new WebhookDeliveryFailed(row.id, outcome.error ?? 'failed');
    this.log.log({ event: payload.event, webhookId: hook.id, outboxId: row.id }, 'webhook delivered');
  }

  /**
   * The current secret, then the one a rotation replaced while its grace period lasts (R-NOT secret rotation).
   * A replaced secret this server cannot decrypt (APP_SECRET changed since) signs nothing: the rotation is
   * how such a webhook gets a secret again, and its deliveries must not fail for the old one.
   */
  private secretsInForce(hook: WebhookRow, at: Date): string[] {
    const secrets = [this.secrets.decrypt(hook.secret_enc)];
    if (hook.previous_secret_enc && hook.previous_secret_expires_at && new Date(hook.previous_secret_expires_at) > at) {
      try {
        secrets.push(this.secrets.decrypt(hook.previous_secret_enc));
      } catch {
        this.log.warn({ webhookId: hook.id }, 'the secret replaced by the last rotation cannot be decrypted with this server\'s key: signing with the new one only');
      }
    }
    return secrets;
  }
}

/** One POST; any answer but a 2xx is a failure (redirects are not followed: a webhook URL must be the final one). */
async function post(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => undefined);
      return { statusCode: res.status, error: null };
    }
    const snippet = await readStart(res, MAX_ERROR_BODY);
    return { statusCode: res.status, error: `HTTP ${res.status}${snippet ? `: ${snippet}` : ''}` };
  } catch (error) {
    return { statusCode: null, error: describe(error) };
  }
}

/** The start of an error answer, for the delivery log; the rest is not read. */
async function readStart(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // a broken error body does not matter: the status says enough
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, max).replace(/\s+/g, ' ').trim();
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `connection failed: ${cause ?? e?.message ?? String(error)}`;
}
