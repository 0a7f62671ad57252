import { OnModuleDestroy } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';

/**
 * A processor that stops first when the process is told to stop (SIGTERM): it takes no new job and
 * waits for the ones under way while everything they use (database, SMTP) is still open. Left to
 * @nestjs/bullmq, the workers close in the last shutdown phase, after the database: a job under way
 * then sent its e-mail but could not record it, and another worker sent it again.
 */
export abstract class GracefulWorkerHost extends WorkerHost implements OnModuleDestroy {
  async onModuleDestroy(): Promise<void> {
    // Not there when the process stops before the workers were registered.
    const worker = (this as unknown as { _worker?: Worker })._worker;
    await worker?.close();
  }
}
