import { Injectable } from '@nestjs/common';
import { Clock, JobName, OnJob } from '@app/core';
import { JournalPartitions } from './partitions.repository';
import { JournalRetention } from './retention.service';

/** Worker side (hourly): partitions created ahead, retention applied (R-ART41). */
@Injectable()
export class JournalJobs {
  constructor(
    private readonly partitions: JournalPartitions,
    private readonly retention: JournalRetention,
    private readonly clock: Clock,
  ) {}

  @OnJob(JobName.JournalMaintenance)
  async maintain(): Promise<void> {
    await this.partitions.createAhead(this.clock.now());
    await this.retention.purge();
  }
}
