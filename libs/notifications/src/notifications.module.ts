import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/core';
import { EmailHandler } from './email.handler';
import { NotificationsService } from './notifications.service';
import { WebhookDestinations } from './webhooks/webhook-destination';
import { WebhookHandler } from './webhooks/webhook.handler';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

const destinations = {
  provide: WebhookDestinations,
  useFactory: (config: AppConfig) => new WebhookDestinations(config.webhooks.allowedNetworks),
  inject: [APP_CONFIG],
};

@Module({
  providers: [NotificationsService, WebhooksRepository, WebhooksService, destinations],
  exports: [NotificationsService, WebhooksRepository, WebhooksService, WebhookDestinations],
})
export class NotificationsModule {}

/** Worker-only: the handlers that actually talk to SMTP and to webhook receivers. */
@Module({ imports: [NotificationsModule], providers: [EmailHandler, WebhookHandler] })
export class NotificationsWorkerModule {}
