import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { OutboxService, QueueName } from '@app/core';
import { JobRegistry } from '../job-registry';
import { WORKER_NAME } from '../worker-name';
import { GracefulWorkerHost } from './graceful-worker-host';
import type { OutboxJobData } from '../outbox-relay';

/** An hour after the queue gave up, the relay offers the row again: a notification is never dropped. */
export const REOFFER_AFTER_MS = 60 * 60 * 1000;

@Processor(QueueName.Notifications, { concurrency: 4, name: WORKER_NAME })
export class NotificationsProcessor extends GracefulWorkerHost {
  private readonly log = new Logger('NotificationsProcessor');

  constructor(
    private readonly registry: JobRegistry,
    private readonly outbox: OutboxService,
  ) {
    super();
  }

  async process(job: Job<OutboxJobData>): Promise<void> {
    await this.registry.dispatch(job.name, job.data.payload, { outboxId: job.data.outboxId, attempt: job.attemptsMade + 1 });
  }

  private redisDown = false;

  /** Connection errors while Redis is away: one warning, not one line per retry. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    if (this.redisDown) return;
    this.redisDown = true;
    this.log.warn(`Queue connection problem: ${error.message}; the worker retries on its own`);
  }

  @OnWorkerEvent('ready')
  onReady(): void {
    this.redisDown = false;
  }

  /** The final failed attempt is handled explicitly: logged, and handed back to the outbox. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<OutboxJobData> | undefined, error: Error): Promise<void> {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    this.log.error({ job: job.name, outboxId: job.data.outboxId, err: error.message }, 'job failed after every retry; re-offered later');
    await job.remove().catch(() => undefined);
    await this.outbox.requeueLater(job.data.outboxId, REOFFER_AFTER_MS);
  }
}
