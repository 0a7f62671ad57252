import { Injectable } from '@nestjs/common';
import { JobName, OnJob } from '@app/core';
import { ReviewEscalation } from './escalation.service';
import { ReviewsService } from './reviews.service';

/** Worker side (hourly): campaigns opened on time, reminders, escalation, silence (R-ART34). */
@Injectable()
export class ReviewsJobs {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly escalation: ReviewEscalation,
  ) {}

  @OnJob(JobName.ReviewsDaily)
  async daily(): Promise<void> {
    await this.reviews.openDue();
    await this.escalation.runDaily();
  }
}
