import { Injectable } from '@nestjs/common';
import { JobName, OnJob } from '@app/core';
import { ReportsService } from './reports.service';

/** Worker side: overdue intervention reports, reminded then escalated (R-ART42). */
@Injectable()
export class InterventionsJobs {
  constructor(private readonly reports: ReportsService) {}

  @OnJob(JobName.InterventionsDaily)
  async daily(): Promise<void> {
    await this.reports.runDaily();
  }
}
