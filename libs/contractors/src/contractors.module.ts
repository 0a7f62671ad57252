import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { jobCalling, JobName } from '@app/core';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { AttestationReminders } from './attestation-reminders';
import { ContactPeople } from './contact-people';
import { ContactsService } from './contacts.service';
import { ContractorAccess } from './contractor-access';
import { ContractorsRepository } from './contractors.repository';
import { ContractorsService } from './contractors.service';
import { Directory } from './directory';
import { CONTRACTOR_ENTITIES } from './entities';
import { PrestationNotifications } from './prestation-notifications';
import { PrestationsService } from './prestations.service';

/** Contractor companies, contacts, subcontractors, administrative changes, prestations (R-ART3, 4, 6, 10). */
@Module({
  imports: [TypeOrmModule.forFeature(CONTRACTOR_ENTITIES), IdentityModule, NotificationsModule],
  providers: [
    ContractorsRepository, ContractorAccess, Directory, ContractorsService, ContactPeople, ContactsService, PrestationsService,
    PrestationNotifications, AttestationReminders,
  ],
  exports: [ContractorAccess, Directory, ContractorsService, ContactsService, PrestationsService, AttestationReminders],
})
export class ContractorsModule {}

/** Worker-only: administrative changes that took effect (R-ART6), prestation ends and attestations (R-ART10). */
const daily = jobCalling(
  JobName.ContractorsDaily, [ContractorsService, PrestationsService, AttestationReminders],
  async (contractors, prestations, reminders) => {
    await contractors.applyDueChanges();
    await prestations.endDue();
    await reminders.run();
  },
);

@Module({ imports: [ContractorsModule], providers: [daily] })
export class ContractorsWorkerModule {}
