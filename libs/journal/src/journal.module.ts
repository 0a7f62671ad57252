import { Module } from '@nestjs/common';
import { DerogationsModule } from '@app/derogations';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ContractorsModule } from '@app/contractors';
import { InterventionsModule } from '@app/interventions';
import { AnomaliesRepository } from './anomalies.repository';
import { AnomaliesService } from './anomalies.service';
import { AnomalyCasesRepository } from './anomaly-cases.repository';
import { AnomalyCasesService } from './anomaly-cases.service';
import { JournalSearchRepository } from './journal-search.repository';
import { CorrelationRepository } from './correlation.repository';
import { CorrelationService } from './correlation.service';
import { CorrelationJobs } from './correlation.jobs';
import { IngestionRepository } from './ingestion.repository';
import { IngestionService } from './ingestion.service';
import { JournalPartitions } from './partitions.repository';
import { RetentionRepository } from './retention.repository';
import { JournalRetention } from './retention.service';
import { SealRepository } from './seal.repository';
import { JournalSeal } from './seal.service';
import { JournalJobs } from './journal.jobs';
import { JournalMetrics } from './journal-metrics';

/** The connection journal (R-ART41): ingestion, partitions, retention, seals, correlation and anomalies. */
@Module({
  imports: [IdentityModule, NotificationsModule, DerogationsModule, ContractorsModule, InterventionsModule],
  providers: [
    JournalMetrics, JournalPartitions, IngestionRepository, IngestionService, SealRepository, JournalSeal, RetentionRepository,
    JournalRetention, CorrelationRepository, CorrelationService, AnomaliesRepository, AnomaliesService,
    AnomalyCasesRepository, AnomalyCasesService, JournalSearchRepository,
  ],
  exports: [JournalMetrics, JournalPartitions, IngestionService, JournalSeal, JournalRetention, CorrelationService, AnomaliesService,
    AnomalyCasesService],
})
export class JournalModule {}

/** Worker-only: the scheduled jobs of this module. */
@Module({ imports: [JournalModule], providers: [JournalJobs, CorrelationJobs] })
export class JournalWorkerModule {}
