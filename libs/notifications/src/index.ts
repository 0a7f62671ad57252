export { NotificationErrors } from './errors';
export { NotificationsModule, NotificationsWorkerModule } from './notifications.module';
export { NotificationsService } from './notifications.service';
export type { EmailPayload, EmailRequest } from './notifications.service';
export { renderMail } from './templates/templates';
export type { Locale, RenderedMail, TemplateData, TemplateName } from './templates/templates';
export { isWebhookEvent, WEBHOOK_EVENTS } from './webhooks/webhook-events';
export type { WebhookEvent } from './webhooks/webhook-events';
export { SIGNATURE_SCHEME, signatureHeader, signWebhook, verifyWebhookSignature } from './webhooks/webhook-signature';
export {
  CreatedWebhookView, RotatedWebhookView, WebhookDeliveryPage, WebhookDeliveryView, WebhookPage, WebhookView,
} from './webhooks/webhook.views';
export { DEFAULT_ROTATION_GRACE_HOURS, MAX_ROTATION_GRACE_HOURS, MAX_URL_LENGTH, WebhooksService } from './webhooks/webhooks.service';
export type { PageRequest, WebhookJobPayload } from './webhooks/webhooks.service';
