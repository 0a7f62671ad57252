import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { Clock, Db, JobContext, JobName, OnJob, OutboxService, Secrets } from '@app/core';
import { WebhookDestinationRefused, WebhookDestinations } from './webhook-destination';
import { signatureHeader } from './webhook-signature';
import type { WebhookJobPayload } from './webhooks.service';
import { WebhookRecord, WebhooksRepository } from './webhooks.repository';

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
 * Worker side of webhooks (R-NOT): POSTs one outbox event, signed, and logs the attempt. A delivered row is skipped,
 * and the body's `id` is the row id on every retry, so a receiver drops a duplicate a crash could cause.
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
    private readonly destinations: WebhookDestinations,
  ) {}

  @OnJob(JobName.WebhookDeliver)
  async deliver(payload: WebhookJobPayload, ctx: JobContext): Promise<void> {
    if (!ctx.outboxId) throw new Error('A webhook delivery comes from the outbox: its row id is the delivery id');
    const row = await this.outbox.find(ctx.outboxId);
    if (!row || row.deliveredAt) return;
    const hook = row.tenantId ? await this.repo.find({ tenantId: row.tenantId }, payload.webhookId) : undefined;
    if (!hook || hook.revokedAt) {
      await this.outbox.markSkipped(row.id, hook ? 'webhook revoked' : 'webhook not found');
      return;
    }
    const scope = { tenantId: hook.tenantId };
    const attemptedAt = this.clock.now();
    const timestamp = Math.floor(attemptedAt.getTime() / 1000);
    const body = JSON.stringify({
      id: row.id, event: payload.event, occurredAt: payload.occurredAt, tenantId: row.tenantId, data: payload.data,
    });
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'Prestagate-Webhooks/1',
      'X-Prestagate-Event': payload.event,
      'X-Prestagate-Delivery': row.id,
      'X-Prestagate-Timestamp': String(timestamp),
      'X-Prestagate-Signature': signatureHeader(this.secretsInForce(hook, attemptedAt), timestamp, body),
    };
    const started = performance.now();
    const outcome = await post(this.destinations, hook.url, headers, body);
    const ok = outcome.error === null;
    await this.db.transaction(async () => {
      await this.repo.recordDelivery(scope, hook.id, {
        outboxId: row.id, event: payload.event, attempt: row.attempts + 1, statusCode: outcome.statusCode, error: outcome.error,
        durationMs: Math.round(performance.now() - started), attemptedAt,
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
  private secretsInForce(hook: WebhookRecord, at: Date): string[] {
    const secrets = [this.secrets.decrypt(hook.secretEnc)];
    if (hook.previousSecretEnc && hook.previousSecretExpiresAt && new Date(hook.previousSecretExpiresAt) > at) {
      try {
        secrets.push(this.secrets.decrypt(hook.previousSecretEnc));
      } catch {
        this.log.warn({ webhookId: hook.id }, 'the secret replaced by the last rotation cannot be decrypted with this server\'s key: '
          + 'signing with the new one only');
      }
    }
    return secrets;
  }
}

/**
 * One POST; any answer but a 2xx is a failure (redirects are not followed: a webhook URL must be the
 * final one). node:http rather than fetch, for its `lookup`: the destination rule is applied to the
 * addresses the connection really uses (WebhookDestinations).
 */
function post(destinations: WebhookDestinations, url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // An address in the URL is not looked up: it is checked here, at every attempt (the rule may have changed).
  const refused = isIP(host) ? destinations.refusal(host) : null;
  if (refused) return Promise.resolve({ statusCode: null, error: `destination refused: ${refused}` });
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(target, {
      method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, lookup: destinations.lookup,
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        res.resume();
        res.once('end', () => finish({ statusCode: status, error: null }));
        res.once('error', () => finish({ statusCode: status, error: null }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const report = () => {
        const snippet = Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY).replace(/\s+/g, ' ').trim();
        finish({ statusCode: status, error: `HTTP ${status}${snippet ? `: ${snippet}` : ''}` });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        // The start of an error answer is enough for the delivery log; the rest is not read.
        if (size >= MAX_ERROR_BODY) report();
      });
      res.once('end', report);
      res.once('error', report);
    });
    const late = { statusCode: null, error: `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` };
    const timer = setTimeout(() => finish(late), WEBHOOK_TIMEOUT_MS);
    let done = false;
    function finish(outcome: Outcome): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    }
    req.once('error', (error) => finish({ statusCode: null, error: describe(error) }));
    req.end(body);
  });
}

function describe(error: unknown): string {
  if (error instanceof WebhookDestinationRefused) return `destination refused: ${error.message}`;
  const e = error as { code?: string; message?: string };
  return `connection failed: ${e?.code ?? e?.message ?? String(error)}`;
}
