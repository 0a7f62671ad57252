import { Injectable } from '@nestjs/common';
import { JobName, OnJob } from '@app/core';
import { CharterDeadlinesService } from './deadlines.service';

/** Worker side: re-signature reminders and closures (R-ART2). */
@Injectable()
export class ChartersJobs {
  constructor(private readonly deadlines: CharterDeadlinesService) {}

  @OnJob(JobName.CharterDeadlines)
  async deadlinesDue(): Promise<void> {
    await this.deadlines.runDaily();
  }
}
