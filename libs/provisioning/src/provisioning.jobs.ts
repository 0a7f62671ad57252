import { Injectable } from '@nestjs/common';
import { JobContext, JobName, OnJob, OutboxService } from '@app/core';
import { DirectorySync } from './directory-sync';
import { ReconciliationService } from './reconciliation.service';

/** Worker side (R-PROV): outbox syncs with retries and backoff, the sweep every 30 s, reconciliation hourly. */
@Injectable()
export class ProvisioningJobs {
  constructor(
    private readonly sync: DirectorySync,
    private readonly reconciliation: ReconciliationService,
    private readonly outbox: OutboxService,
  ) {}

  @OnJob(JobName.DirectorySync)
  async deliver(payload: { tenantId: string; accountId: string }, ctx: JobContext): Promise<void> {
    if (ctx.outboxId) {
      const row = await this.outbox.find(ctx.outboxId);
      if (row?.deliveredAt) return;
    }
    try {
      await this.sync.apply(payload.tenantId, payload.accountId);
    } catch (error) {
      if (ctx.outboxId) await this.outbox.recordFailure(ctx.outboxId, (error as Error).message);
      throw error;
    }
    if (ctx.outboxId) await this.outbox.markDelivered(ctx.outboxId);
  }

  @OnJob(JobName.DirectorySweep)
  async sweep(): Promise<void> {
    await this.sync.sweep();
  }

  @OnJob(JobName.DirectoryReconcile)
  async reconcile(): Promise<void> {
    await this.reconciliation.all();
  }
}
