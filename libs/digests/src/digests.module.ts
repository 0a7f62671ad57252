import { Module } from '@nestjs/common';
import { jobCalling, JobName } from '@app/core';
import { ChartersModule } from '@app/charters';
import { ContractorsModule } from '@app/contractors';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { DigestRepository } from './digest.repository';
import { DigestService } from './digest.service';
import { HomeRepository } from './home.repository';
import { HomeService } from './home.service';

/** The weekly digest of the DSI and the RSSI, and each person's home page (R-DIG). */
@Module({
  imports: [IdentityModule, NotificationsModule, ContractorsModule, ChartersModule],
  providers: [DigestRepository, DigestService, HomeRepository, HomeService],
  exports: [DigestService, HomeService],
})
export class DigestsModule {}

/** Worker-only: the scheduled job. */
@Module({ imports: [DigestsModule], providers: [jobCalling(JobName.DigestWeekly, [DigestService], (d) => d.sendWeekly())] })
export class DigestsWorkerModule {}
