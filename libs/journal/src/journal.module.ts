import { Module } from '@nestjs/common';
import { DerogationsModule } from '@app/derogations';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ContractorsModule } from '@app/contractors';
import { InterventionsModule } from '@app/interventions';
import { AnomaliesRepository } from './anomalies.repository';
import { AnomaliesService } from './anomalies.service';
import { CorrelationRepository } from './correlation.repository';
import { CorrelationService } from './correlation.service';
import { CorrelationJobs } from './correlation.jobs';
import { IngestionService } from './ingestion.service';
import { JournalPartitions } from './partitions';
import { JournalRetention } from './retention.service';
import { JournalJobs } from './journal.jobs';
import { JournalMetrics } from './journal-metrics';

/** The connection journal (R-ART41): ingestion, partitions, retention, seals, correlation and anomalies. */
@Module({
  imports: [IdentityModule, NotificationsModule, DerogationsModule, ContractorsModule, InterventionsModule],
  providers: [JournalMetrics, JournalPartitions, IngestionService, JournalRetention, CorrelationRepository, CorrelationService, AnomaliesRepository, AnomaliesService],
  exports: [JournalMetrics, JournalPartitions, IngestionService, JournalRetention, CorrelationService, AnomaliesService],
})
export class JournalModule {}

/** Worker-only: the scheduled jobs of this module. */
@Module({ imports: [JournalModule], providers: [JournalJobs, CorrelationJobs] })
export class JournalWorkerModule {}
