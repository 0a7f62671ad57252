import { Injectable } from '@nestjs/common';
import { JobName, OnJob } from '@app/core';
import { CorrelationService } from './correlation.service';

/** Worker side (every 30 s, R-ART41): correlates every batch the ingestion queued. */
@Injectable()
export class CorrelationJobs {
  constructor(private readonly correlation: CorrelationService) {}

  @OnJob(JobName.JournalCorrelate)
  async correlate(): Promise<void> {
    const run = await this.correlation.correlateQueued();
    // The failed batches stay queued; failing the job makes them visible in the queue's failed list and the logs.
    if (run.failed.length) throw new Error(`Correlation failed for ${run.failed.length} batch(es): ${run.failed.join(', ')}`);
  }
}
