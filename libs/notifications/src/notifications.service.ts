import { Injectable } from '@nestjs/common';
import { JobName, OutboxService } from '@app/core';
import { Locale, TemplateData, TemplateName } from './templates/templates';

export interface EmailRequest<K extends TemplateName> {
  tenantId: string | null;
  to: string | string[];
  template: K;
  locale?: Locale;
  data: TemplateData[K];
  availableAt?: Date;
}

export interface EmailPayload {
  to: string[];
  template: TemplateName;
  locale: Locale;
  data: Record<string, unknown>;
}

/** R-NOT: domain services ask for an e-mail here; it becomes an outbox row in their transaction. */
@Injectable()
export class NotificationsService {
  constructor(private readonly outbox: OutboxService) {}

  email<K extends TemplateName>(request: EmailRequest<K>): Promise<string> {
    const payload: EmailPayload = {
      to: Array.isArray(request.to) ? request.to : [request.to],
      template: request.template,
      locale: request.locale ?? 'fr',
      data: request.data as unknown as Record<string, unknown>,
    };
    return this.outbox.enqueue({
      tenantId: request.tenantId,
      job: JobName.SendEmail,
      payload: payload as unknown as Record<string, unknown>,
      availableAt: request.availableAt,
    });
  }
}
