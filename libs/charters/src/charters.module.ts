import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContractorsModule } from '@app/contractors';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { CharterDeadlinesService } from './deadlines.service';
import { ChartersJobs } from './charters.jobs';
import { DocumentsService } from './documents.service';
import { CHARTER_ENTITIES } from './entities';
import { ContractorListService } from './contractor-list.service';
import { GateService } from './gate.service';
import { SignaturesService } from './signatures.service';

/** Versioned charter documents, signatures and the access gate (R-ART2). */
@Module({
  imports: [TypeOrmModule.forFeature(CHARTER_ENTITIES), ContractorsModule, IdentityModule, NotificationsModule],
  providers: [DocumentsService, SignaturesService, GateService, CharterDeadlinesService, ContractorListService],
  exports: [DocumentsService, SignaturesService, GateService, CharterDeadlinesService, ContractorListService],
})
export class ChartersModule {}

/** Worker-only: the scheduled jobs of this module. */
@Module({ imports: [ChartersModule], providers: [ChartersJobs] })
export class ChartersWorkerModule {}
