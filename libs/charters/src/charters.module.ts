import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { jobCalling, JobName } from '@app/core';
import { ContractorsModule } from '@app/contractors';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ChartersRepository } from './charters.repository';
import { ContractorListService } from './contractor-list.service';
import { CharterDeadlinesService } from './deadlines.service';
import { DocumentsService } from './documents.service';
import { CHARTER_ENTITIES } from './entities';
import { GateService } from './gate.service';
import { SignatureNotifications } from './signature-notifications';
import { SignaturesService } from './signatures.service';
import { SignedCopies } from './signed-copies';

/** Versioned charter documents, signatures and the access gate (R-ART2). */
@Module({
  imports: [TypeOrmModule.forFeature(CHARTER_ENTITIES), ContractorsModule, IdentityModule, NotificationsModule],
  providers: [
    ChartersRepository, SignedCopies, DocumentsService, SignaturesService, SignatureNotifications, GateService, CharterDeadlinesService,
    ContractorListService,
  ],
  exports: [DocumentsService, SignaturesService, GateService, CharterDeadlinesService, ContractorListService],
})
export class ChartersModule {}

/** Worker-only: the scheduled jobs of this module. */
@Module({ imports: [ChartersModule], providers: [jobCalling(JobName.CharterDeadlines, [CharterDeadlinesService], (d) => d.runDaily())] })
export class ChartersWorkerModule {}
