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
  /** See OutboxMessage.dedupeKey: the same key sends once. */
  dedupeKey?: string;
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

  /** One e-mail per recipient, each in its own language; addresses are de-duplicated. */
  async emailEach<K extends TemplateName>(
    recipients: { email: string; locale?: 'fr' | 'en' }[],
    request: Omit<EmailRequest<K>, 'to' | 'locale'>,
  ): Promise<void> {
    const seen = new Set<string>();
    for (const r of recipients) {
      const key = r.email.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const dedupeKey = request.dedupeKey && `${request.dedupeKey}:${key}`;
      await this.email({ ...request, to: r.email, locale: r.locale, dedupeKey } as EmailRequest<K>);
    }
  }

  email<K extends TemplateName>(request: EmailRequest<K>): Promise<string | null> {
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
      dedupeKey: request.dedupeKey,
    });
  }
}
