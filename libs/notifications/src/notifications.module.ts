import { Module } from '@nestjs/common';
import { EmailHandler } from './email.handler';
import { NotificationsService } from './notifications.service';

@Module({ providers: [NotificationsService], exports: [NotificationsService] })
export class NotificationsModule {}

/** Worker-only: the handlers that actually talk to SMTP. */
@Module({ imports: [NotificationsModule], providers: [EmailHandler], exports: [EmailHandler] })
export class NotificationsWorkerModule {}
