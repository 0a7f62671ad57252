import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { QueueName, SCHEDULES } from '@app/core';
import { JobRegistry } from '../job-registry';
import { WORKER_NAME } from '../worker-name';
import { GracefulWorkerHost } from './graceful-worker-host';

/**
 * Recurring jobs (R-ART2 deadlines, R-ART6 changes, R-ART10 attestations...). Job schedulers are
 * upserted at every start: BullMQ keeps one per id, so several workers still produce one job per period.
 */
@Processor(QueueName.Scheduler, { concurrency: 1, name: WORKER_NAME })
export class SchedulerProcessor extends GracefulWorkerHost implements OnApplicationBootstrap {
  private readonly log = new Logger('SchedulerProcessor');

  constructor(
    private readonly registry: JobRegistry,
    @InjectQueue(QueueName.Scheduler) private readonly queue: Queue,
  ) {
    super();
    // As in OutboxRelay: silent from the first connection attempt; Redis being away is reported by the probes.
    this.queue.on('error', () => undefined);
  }

  /** Waits for Redis if it is not there yet (commands queue until it comes), so a worker started first still registers them. */
  async onApplicationBootstrap(): Promise<void> {
    for (const schedule of SCHEDULES) {
      await this.queue.upsertJobScheduler(schedule.job, { every: schedule.everyMs }, {
        name: schedule.job, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } },
      }).catch((error: Error) => this.log.warn(`Could not register the schedule of ${schedule.job}: ${error.message}`));
    }
  }

  async process(job: Job): Promise<void> {
    await this.registry.dispatch(job.name, job.data, { attempt: job.attemptsMade + 1 });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.log.error({ job: job?.name, err: error.message }, 'scheduled job failed; it runs again next period');
  }
}
