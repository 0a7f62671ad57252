import { Injectable } from '@nestjs/common';
import { JobName, OnJob } from '@app/core';
import { DigestService } from './digest.service';

/** Worker side (hourly, sends once per tenant and ISO week): the DSI's and RSSI's weekly digest (R-DIG). */
@Injectable()
export class DigestJobs {
  constructor(private readonly digests: DigestService) {}

  @OnJob(JobName.DigestWeekly)
  async weekly(): Promise<void> {
    await this.digests.sendWeekly();
  }
}
