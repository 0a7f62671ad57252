import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '@app/core';
import { WEBHOOK_EVENTS, WebhookEvent } from './webhook-events';
import type { DeliveryRecord, WebhookRecord } from './webhooks.repository';

/** A webhook as it leaves the API: explicit fields, never its secret. */
export class WebhookView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://siem.hospital.example/prestagate' }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events: WebhookEvent[];
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Set once revoked: nothing is delivered any more' })
  revokedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When the signing secret was last rotated' })
  secretRotatedAt: string | null;
  @ApiPropertyOptional({
    nullable: true, type: String,
    description: 'Until this instant deliveries also carry a signature with the secret the last rotation replaced; '
      + 'null when only the current secret signs',
  })
  previousSecretValidUntil: string | null;
}

export class CreatedWebhookView extends WebhookView {
  @ApiProperty({
    example: 'whsec_5Q0h...',
    description: 'The HMAC-SHA256 signing key. Shown in this answer only: store it now, it cannot be read again.',
  })
  secret: string;
}

/** The answer of a rotation: the new secret, shown once. */
export class RotatedWebhookView extends WebhookView {
  @ApiProperty({
    example: 'whsec_9Kd2...',
    description: 'The new HMAC-SHA256 signing key. Shown in this answer only: install it in the receiver before previousSecretValidUntil.',
  })
  secret: string;
}

export class WebhookPage extends PageOf(WebhookView) {}

/** One attempt to deliver one event (successes too). */
export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    format: 'uuid', description: 'The event delivery id: the body\'s `id` and the X-Prestagate-Delivery header; the same on every retry',
  })
  deliveryId: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS }) event: string;
  @ApiProperty({ description: '1 for the first attempt of this delivery, then 2, 3...' }) attempt: number;
  @ApiProperty({ description: 'true when the receiver answered 2xx' }) ok: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'The receiver\'s HTTP status; null when no answer came' })
  statusCode: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the attempt failed (status, timeout, connection error)' })
  error: string | null;
  @ApiProperty() durationMs: number;
  @ApiProperty() attemptedAt: string;
}

export class WebhookDeliveryPage extends PageOf(WebhookDeliveryView) {}

const iso = (at: Date | null): string | null => (at ? new Date(at).toISOString() : null);

export const toWebhookView = (w: WebhookRecord): WebhookView => ({
  id: w.id, url: w.url, events: w.events, createdBy: w.createdBy, createdAt: new Date(w.createdAt).toISOString(),
  revokedAt: iso(w.revokedAt), secretRotatedAt: iso(w.secretRotatedAt), previousSecretValidUntil: iso(w.previousSecretExpiresAt),
});

export const toDeliveryView = (d: DeliveryRecord): WebhookDeliveryView => ({
  id: d.id, deliveryId: d.outboxId, event: d.event, attempt: d.attempt,
  ok: d.statusCode !== null && d.statusCode >= 200 && d.statusCode < 300,
  statusCode: d.statusCode, error: d.error, durationMs: d.durationMs, attemptedAt: new Date(d.attemptedAt).toISOString(),
});
