import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig, OutboxRecord, OutboxService, QueueName } from '@app/core';

export interface OutboxJobData {
  outboxId: string;
  payload: Record<string, unknown>;
}

/**
 * R-NOT: moves outbox rows to BullMQ. The job id is the outbox id, so a row relayed twice (a
 * crash between the enqueue and the commit) is one job. While Redis is away, rows simply wait.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('OutboxRelay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    @InjectQueue(QueueName.Notifications) private readonly queue: Queue,
  ) {
    // Without a listener, connection errors while Redis is away would be printed by the library (from the
    // first attempt, before the application's bootstrap: so here). /health/ready and /metrics report Redis.
    this.queue.on('error', () => undefined);
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: relays everything that is due. Returns how many rows were relayed. */
  async relayOnce(): Promise<number> {
    const client = (await withTimeout(this.queue.getBackend().client, 1000).catch(() => null)) as { status?: string } | null;
    if (client?.status !== 'ready') return 0;
    let total = 0;
    for (;;) {
      const relayed = await this.outbox.relayBatch((rows) => this.publish(rows));
      total += relayed;
      if (relayed < 100) return total;
    }
  }

  private async publish(rows: OutboxRecord[]): Promise<void> {
    const { attempts, backoffMs } = this.config.jobs;
    await withTimeout(
      this.queue.addBulk(rows.map((row) => ({
        name: row.job,
        data: { outboxId: row.id, payload: row.payload } satisfies OutboxJobData,
        opts: {
          jobId: row.id, attempts, backoff: { type: 'exponential', delay: backoffMs },
          removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 },
        },
      }))),
      5000,
    );
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.relayOnce()
        .then(() => undefined)
        .catch((error: Error) => this.log.warn(`Outbox relay pass failed: ${error.message}`))
        .finally(() => this.schedule());
    }, this.config.jobs.outboxPollMs);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
