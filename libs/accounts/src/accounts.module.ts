import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChartersModule } from '@app/charters';
import { ContractorsModule } from '@app/contractors';
import { DerogationsModule } from '@app/derogations';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { AccountAccess } from './account-access';
import { AccountDecisions } from './account-decisions';
import { AccountLifecycle } from './account-lifecycle';
import { AccountNotifications } from './account-notifications';
import { AccountReactions } from './account-reactions';
import { AccountsJobs } from './accounts.jobs';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { DeparturesRepository } from './departures.repository';
import { DepartureRecords } from './departure-records';
import { DeparturesService } from './departures.service';
import { ACCOUNT_ENTITIES } from './entities';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';
import { AccountReadiness } from './readiness';
import { ReinstatementService } from './reinstatement.service';
import { ScopesRepository } from './scopes.repository';
import { ScopesService } from './scopes.service';

const SERVICES = [AccountAccess, AccountReadiness, AccountLifecycle, AccountsService, AccountDecisions, ScopesService, DeparturesService,
  DepartureRecords, ReinstatementService, IncidentsService];

/** Nominative accounts, their scope, departures and incidents (R-ART5, 28, 31, 35). */
@Module({
  imports: [TypeOrmModule.forFeature(ACCOUNT_ENTITIES), IdentityModule, NotificationsModule, ContractorsModule, ChartersModule,
    DerogationsModule],
  providers: [AccountsRepository, DeparturesRepository, IncidentsRepository, ScopesRepository, ...SERVICES, AccountReactions,
    AccountNotifications],
  exports: SERVICES,
})
export class AccountsModule {}

/** Worker-only: the scheduled jobs of this module. */
@Module({ imports: [AccountsModule, IdentityModule], providers: [AccountsRepository, AccountsJobs] })
export class AccountsWorkerModule {}
