import { Module } from '@nestjs/common';
import { jobCalling, JobName } from '@app/core';
import { AccountsModule } from '@app/accounts';
import { ContractorsModule } from '@app/contractors';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ReviewDashboard } from './dashboard.service';
import { ReviewEscalation } from './escalation.service';
import { ReviewEvidence } from './evidence.service';
import { ReviewAttestation } from './review-attestation';
import { ReviewCertification } from './review-certification';
import { ReviewReportsRepository } from './review-reports.repository';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsService } from './reviews.service';

const SERVICES = [ReviewsService, ReviewAttestation, ReviewCertification, ReviewEscalation, ReviewEvidence, ReviewDashboard];

/** Annual access reviews (R-ART34). */
@Module({
  imports: [IdentityModule, NotificationsModule, ContractorsModule, AccountsModule],
  providers: [ReviewsRepository, ReviewReportsRepository, ...SERVICES],
  exports: SERVICES,
})
export class ReviewsModule {}

/** Worker-only (hourly): campaigns opened on time, reminders, escalation, silence (R-ART34). */
const daily = jobCalling(JobName.ReviewsDaily, [ReviewsService, ReviewEscalation], async (reviews, escalation) => {
  await reviews.openDue();
  await escalation.runDaily();
});

@Module({ imports: [ReviewsModule], providers: [daily] })
export class ReviewsWorkerModule {}
