/**
 * R-NOT / R-ART35: the events a downstream system can subscribe to. A module that publishes a new
 * event adds its name here (and documents its `data` in docs/guide.md, "Webhooks").
 */
export const WEBHOOK_EVENTS = [
  'account.suspended',
  'account.deactivated',
  'account.resumed',
  'account.reinstated',
  'anomaly.detected',
  'incident.reported',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(value: unknown): value is WebhookEvent {
  return typeof value === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}
