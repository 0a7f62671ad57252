import { Module } from '@nestjs/common';
import { EmailHandler } from './email.handler';
import { NotificationsService } from './notifications.service';
import { WebhookHandler } from './webhooks/webhook.handler';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

@Module({
  providers: [NotificationsService, WebhooksRepository, WebhooksService],
  exports: [NotificationsService, WebhooksRepository, WebhooksService],
})
export class NotificationsModule {}

/** Worker-only: the handlers that actually talk to SMTP and to webhook receivers. */
@Module({ imports: [NotificationsModule], providers: [EmailHandler, WebhookHandler], exports: [EmailHandler] })
export class NotificationsWorkerModule {}
