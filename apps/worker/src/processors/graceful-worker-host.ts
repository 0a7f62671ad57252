import { Logger, OnModuleDestroy } from '@nestjs/common';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';

/** While Redis is away its worker reports every reconnection attempt: one line a minute is enough. */
const REDIS_WARNING_EVERY_MS = 60_000;

/**
 * A processor that stops first on SIGTERM: it takes no new job and finishes the ones under way while the database
 * and SMTP are still open, so that a job never sends its e-mail without recording it (docs/adr/worker-shutdown.md).
 */
export abstract class GracefulWorkerHost extends WorkerHost implements OnModuleDestroy {
  private lastRedisWarning = 0;

  async onModuleDestroy(): Promise<void> {
    // Not there when the process stops before the workers were registered.
    const worker = (this as unknown as { _worker?: Worker })._worker;
    if (!worker) return;
    // Said at each stop, so that a stop that hangs names the queue it waits for.
    const log = new Logger(this.constructor.name);
    log.log(`stopping: waiting for the jobs under way on ${worker.name}`);
    await worker.close();
    log.log(`stopped: ${worker.name}`);
  }

  /**
   * Connection errors (Redis down, or not there yet): through the logger, at most once a minute, instead
   * of the library printing each attempt's stack trace. /health/ready and /metrics report Redis too.
   */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    const now = Date.now();
    if (now - this.lastRedisWarning < REDIS_WARNING_EVERY_MS) return;
    this.lastRedisWarning = now;
    new Logger(this.constructor.name).warn(`queue worker: ${error.message} (jobs wait until Redis answers)`);
  }
}
