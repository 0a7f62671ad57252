import { Injectable } from '@nestjs/common';
import {
  Actor, AuditService, Clock, Db, FieldError, JobName, NotFoundError, OutboxService, Page, randomToken, Secrets,
  TenantScope, ValidationFailed,
} from '@app/core';
import { NotificationErrors } from '../errors';
import { WebhookDestinations } from './webhook-destination';
import { isWebhookEvent, WEBHOOK_EVENTS, WebhookEvent } from './webhook-events';
import { CreatedWebhookView, RotatedWebhookView, toDeliveryView, toWebhookView, WebhookDeliveryView, WebhookView } from './webhook.views';
import { WebhooksRepository } from './webhooks.repository';

/** What the outbox row of one delivery holds; the body's `id` is the row's id, the secret is read at delivery time. */
export interface WebhookJobPayload {
  webhookId: string;
  event: WebhookEvent;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export const MAX_URL_LENGTH = 2000;

/**
 * Secret rotation: the replaced secret keeps signing 24 hours by default (to install the new one during working
 * hours); 0 ends it at once (a leaked secret); at most 7 days, so that an old secret cannot linger.
 */
export const DEFAULT_ROTATION_GRACE_HOURS = 24;
export const MAX_ROTATION_GRACE_HOURS = 168;

/**
 * R-NOT (and R-ART35 "downstream systems notified by webhook"): subscriptions managed by the DSI,
 * and `publish`, which domain services call inside their transaction so that an event leaves the
 * system if and only if the state change it reports committed.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly db: Db,
    private readonly repo: WebhooksRepository,
    private readonly secrets: Secrets,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly destinations: WebhookDestinations,
  ) {}

  /** The signing secret is in this answer only; it is stored encrypted and never shown again. */
  async create(actor: Actor, scope: TenantScope, url: string, events: string[]): Promise<CreatedWebhookView> {
    const subscription = checkSubscription(url, events);
    const refused = this.destinations.refusalForUrl(subscription.url);
    if (refused) throw NotificationErrors.invalid('WEBHOOK_URL_REFUSED', 'url', { target: refused });
    const secret = newSigningSecret();
    return this.db.transaction(async () => {
      const row = await this.repo.insert(scope, {
        ...subscription, secretEnc: this.secrets.encrypt(secret), createdBy: actor.type === 'user' ? actor.id : null,
        createdAt: this.clock.now(),
      });
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'webhook.created', targetType: 'webhook', targetId: row.id, after: subscription,
      });
      return { ...toWebhookView(row), secret };
    });
  }

  /**
   * R-NOT a new signing secret, in this answer only. During the grace period deliveries carry two signatures (new
   * secret first); rotating again within it drops the oldest secret at once: two at most are ever in force.
   */
  async rotateSecret(actor: Actor, scope: TenantScope, id: string, graceHours = DEFAULT_ROTATION_GRACE_HOURS): Promise<RotatedWebhookView> {
    if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > MAX_ROTATION_GRACE_HOURS) {
      throw NotificationErrors.invalid('GRACE_PERIOD_INVALID', 'gracePeriodHours', { max: MAX_ROTATION_GRACE_HOURS });
    }
    const secret = newSigningSecret();
    return this.db.transaction(async () => {
      const hook = await this.repo.find(scope, id, true);
      if (!hook) throw new NotFoundError('Webhook');
      if (hook.revokedAt) throw NotificationErrors.error('WEBHOOK_REVOKED');
      const at = this.clock.now();
      const previous = graceHours > 0 ? { secretEnc: hook.secretEnc, until: new Date(at.getTime() + graceHours * 3_600_000) } : null;
      const row = await this.repo.rotateSecret(scope, id, this.secrets.encrypt(secret), previous, at);
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'webhook.secret_rotated', targetType: 'webhook', targetId: id,
        before: { secretRotatedAt: hook.secretRotatedAt ? new Date(hook.secretRotatedAt).toISOString() : null },
        after: {
          secretRotatedAt: at.toISOString(), gracePeriodHours: graceHours, previousSecretValidUntil: previous?.until.toISOString() ?? null,
        },
      });
      return { ...toWebhookView(row), secret };
    });
  }

  async list(scope: TenantScope, page: PageRequest = {}): Promise<Page<WebhookView>> {
    const hooks = await this.repo.list(scope, { limit: page.limit ?? 50, cursor: page.cursor });
    return { items: hooks.items.map(toWebhookView), nextCursor: hooks.nextCursor };
  }

  /** Idempotent: revoking a revoked webhook changes nothing. Deliveries not yet made are dropped. */
  async revoke(actor: Actor, scope: TenantScope, id: string): Promise<void> {
    await this.db.transaction(async () => {
      const hook = await this.repo.find(scope, id);
      if (!hook) throw new NotFoundError('Webhook');
      const at = this.clock.now();
      if (!(await this.repo.revoke(scope, id, at))) return;
      await this.audit.record({
        tenantId: scope.tenantId, actor, action: 'webhook.revoked', targetType: 'webhook', targetId: id,
        before: { url: hook.url, events: hook.events, revokedAt: null }, after: { revokedAt: at.toISOString() },
      });
    });
  }

  async deliveries(scope: TenantScope, webhookId: string, page: PageRequest = {}): Promise<Page<WebhookDeliveryView>> {
    if (!(await this.repo.find(scope, webhookId))) throw new NotFoundError('Webhook');
    const attempts = await this.repo.deliveries(scope, webhookId, { limit: page.limit ?? 50, cursor: page.cursor });
    return { items: attempts.items.map(toDeliveryView), nextCursor: attempts.nextCursor };
  }

  /**
   * One outbox row per active webhook of the tenant subscribed to `event`, written in the caller's
   * transaction (or a transaction of its own). Returns the delivery ids (outbox ids).
   */
  async publish(tenantId: string, event: WebhookEvent, data: Record<string, unknown>): Promise<string[]> {
    return this.publishEach(tenantId, event, [data]);
  }

  /** `publish` for many events of one name at once (R-ART41: a journal batch's anomalies): the subscribers are read once. */
  async publishEach(tenantId: string, event: WebhookEvent, items: Record<string, unknown>[]): Promise<string[]> {
    if (!isWebhookEvent(event)) throw new Error(`Unknown webhook event "${String(event)}": add it to WEBHOOK_EVENTS`);
    return this.db.transaction(async () => {
      const hooks = await this.repo.subscribers({ tenantId }, event);
      const occurredAt = this.clock.now().toISOString();
      const ids: string[] = [];
      for (const data of items) {
        for (const hook of hooks) {
          const payload: WebhookJobPayload = { webhookId: hook.id, event, occurredAt, data };
          const id = await this.outbox.enqueue({
            tenantId, job: JobName.WebhookDeliver, payload: payload as unknown as Record<string, unknown>,
          });
          if (id) ids.push(id);
        }
      }
      return ids;
    });
  }
}

/** The same rules as the API's DTO, for every caller: an http(s) URL without credentials, known events. */
function checkSubscription(url: string, events: string[]): { url: string; events: WebhookEvent[] } {
  const errors: FieldError[] = [];
  const text = NotificationErrors.text;
  if (!isHttpUrl(url)) errors.push({ field: 'url', message: text('WEBHOOK_URL_INVALID') });
  if (!Array.isArray(events) || events.length === 0) {
    errors.push({ field: 'events', message: text('WEBHOOK_NO_EVENT') });
  } else {
    const unknown = events.filter((e) => !isWebhookEvent(e));
    if (unknown.length) {
      const params = { unknown: unknown.join(', '), known: WEBHOOK_EVENTS.join(', ') };
      errors.push({ field: 'events', message: text('WEBHOOK_UNKNOWN_EVENTS', params) });
    }
  }
  if (errors.length) throw new ValidationFailed(text('WEBHOOK_INVALID'), errors);
  return { url, events: [...new Set(events as WebhookEvent[])] };
}

function isHttpUrl(value: string): boolean {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) return false;
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** A webhook's signing secret: shown once, stored encrypted. */
function newSigningSecret(): string {
  return `whsec_${randomToken(32)}`;
}
