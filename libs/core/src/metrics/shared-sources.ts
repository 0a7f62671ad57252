import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { QueueName } from '../jobs/job-names';
import { OutboxService } from '../outbox/outbox.service';
import { RedisConnection } from '../redis/redis-connection';
import { Metrics, Sample } from './metrics';

/** Every state BullMQ counts; `failed` holds the jobs whose retries were all spent (kept 7 days). */
const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/**
 * R-NOT: what the worker has still to do, read at scrape time: each BullMQ queue's jobs by state (Redis) and the
 * outbox backlog (PostgreSQL). Every API process exposes the same values (aggregate with max(), not sum()).
 */
@Injectable()
export class SharedMetricsSources implements OnModuleInit, OnModuleDestroy {
  private queues?: Map<QueueName, Queue>;

  constructor(
    private readonly metrics: Metrics,
    private readonly outbox: OutboxService,
    private readonly redis: RedisConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const jobs = this.metrics.gauge(
      'prestagate_queue_jobs', 'Jobs in each BullMQ queue, by state (read from Redis at scrape time)', ['queue', 'state'],
    );
    this.metrics.addSource({ name: 'queues', metrics: [jobs], read: () => this.queueSamples(jobs) });
    const lag = this.metrics.gauge('prestagate_outbox_lag_seconds', 'Age of the oldest outbox row not yet delivered (0 when none waits)');
    const pending = this.metrics.gauge('prestagate_outbox_pending', 'Outbox rows (e-mails, webhooks) not yet delivered');
    this.metrics.addSource({
      name: 'outbox', metrics: [lag, pending],
      read: async (reader) => {
        const backlog = await this.outbox.backlog((text, params) => reader.sql(text, params));
        return [{ metric: lag, value: backlog.lagSeconds }, { metric: pending, value: backlog.pending }];
      },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.dropQueues();
  }

  private async queueSamples(jobs: Sample['metric']): Promise<Sample[]> {
    try {
      const samples: Sample[] = [];
      for (const [name, queue] of this.openQueues()) {
        const counts = await queue.getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) samples.push({ metric: jobs, labels: { queue: name, state }, value: counts[state] ?? 0 });
      }
      return samples;
    } catch (error) {
      // A queue whose connection failed stays failed: the next scrape starts afresh.
      await this.dropQueues();
      throw error;
    }
  }

  /** Producers-only handles on the worker's queues, sharing the process's fail-fast Redis client. */
  private openQueues(): Map<QueueName, Queue> {
    if (!this.queues) {
      this.queues = new Map(Object.values(QueueName).map((name) => {
        const queue = new Queue(name, { connection: this.redis.client, prefix: this.config.redis.queuePrefix });
        queue.on('error', () => undefined); // Redis being away is reported by prestagate_metrics_source_up
        return [name, queue];
      }));
    }
    return this.queues;
  }

  private async dropQueues(): Promise<void> {
    const queues = this.queues;
    this.queues = undefined;
    await Promise.all([...(queues?.values() ?? [])].map((q) => q.close().catch(() => undefined)));
  }
}
