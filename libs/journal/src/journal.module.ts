import { Module } from '@nestjs/common';
import { DerogationsModule } from '@app/derogations';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { IngestionService } from './ingestion.service';
import { JournalPartitions } from './partitions';
import { JournalRetention } from './retention.service';
import { JournalJobs } from './journal.jobs';

/** The connection journal (R-ART41): ingestion, partitions, retention, seals. */
@Module({
  imports: [IdentityModule, NotificationsModule, DerogationsModule],
  providers: [JournalPartitions, IngestionService, JournalRetention],
  exports: [JournalPartitions, IngestionService, JournalRetention],
})
export class JournalModule {}

/** Worker-only: the scheduled jobs of this module. */
@Module({ imports: [JournalModule], providers: [JournalJobs] })
export class JournalWorkerModule {}
