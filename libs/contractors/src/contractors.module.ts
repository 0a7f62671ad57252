import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { AttestationReminders } from './attestation-reminders';
import { ContactPeople } from './contact-people';
import { ContactsService } from './contacts.service';
import { ContractorsJobs } from './contractors.jobs';
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

/** Worker-only: the scheduled jobs of this module. */
@Module({ imports: [ContractorsModule], providers: [ContractorsJobs] })
export class ContractorsWorkerModule {}
