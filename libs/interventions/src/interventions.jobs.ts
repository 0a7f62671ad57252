import { Injectable } from '@nestjs/common';
import { JobName, OnJob } from '@app/core';
import { ReportReminders } from './report-reminders';

/** Worker side: overdue intervention reports, reminded then escalated (R-ART42). */
@Injectable()
export class InterventionsJobs {
  constructor(private readonly reminders: ReportReminders) {}

  @OnJob(JobName.InterventionsDaily)
  async daily(): Promise<void> {
    await this.reminders.runDaily();
  }
}
