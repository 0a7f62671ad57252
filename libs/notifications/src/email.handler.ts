import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig, JobContext, JobName, OnJob, OutboxService } from '@app/core';
import type { EmailPayload } from './notifications.service';
import { renderMail, TemplateData } from './templates/templates';

/**
 * Worker side of R-NOT: renders and sends one outbox e-mail. Idempotent per outbox row: a row
 * already delivered is skipped, and the Message-ID is derived from the row so a receiver can
 * drop a duplicate if a crash ever happened between SMTP acceptance and marking it delivered.
 */
@Injectable()
export class EmailHandler implements OnModuleDestroy {
  private readonly log = new Logger('EmailHandler');
  private readonly transport: Transporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {
    this.transport = createTransport(config.mail.smtpUrl, { from: config.mail.from });
  }

  @OnJob(JobName.SendEmail)
  async send(payload: EmailPayload, ctx: JobContext): Promise<void> {
    if (ctx.outboxId) {
      const row = await this.outbox.find(ctx.outboxId);
      if (!row || row.deliveredAt) return;
    }
    const data = payload.data as unknown as TemplateData[typeof payload.template];
    const mail = renderMail(payload.template, payload.locale, data, this.config.http.publicUrl);
    try {
      await this.transport.sendMail({
        to: payload.to,
        subject: mail.subject,
        text: mail.text,
        messageId: ctx.outboxId ? `<${ctx.outboxId}@prestagate>` : undefined,
        headers: { 'X-Prestagate-Template': payload.template },
      });
    } catch (error) {
      if (ctx.outboxId) await this.outbox.recordFailure(ctx.outboxId, String((error as Error).message));
      throw error;
    }
    if (ctx.outboxId) await this.outbox.markDelivered(ctx.outboxId);
    this.log.log({ template: payload.template, outboxId: ctx.outboxId }, 'e-mail sent');
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
