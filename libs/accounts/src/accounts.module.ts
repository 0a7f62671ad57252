import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChartersModule } from '@app/charters';
import { ContractorsModule } from '@app/contractors';
import { DerogationsModule } from '@app/derogations';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { AccountAccess } from './account-access';
import { AccountsJobs } from './accounts.jobs';
import { AccountsService } from './accounts.service';
import { DeparturesService } from './departures.service';
import { ACCOUNT_ENTITIES } from './entities';
import { IncidentsService } from './incidents.service';
import { AccountReadiness } from './readiness';
import { ReinstatementService } from './reinstatement.service';
import { ScopesService } from './scopes.service';

/** Nominative accounts, their scope, departures and incidents (R-ART5, 28, 31, 35). */
@Module({
  imports: [TypeOrmModule.forFeature(ACCOUNT_ENTITIES), IdentityModule, NotificationsModule, ContractorsModule, ChartersModule, DerogationsModule],
  providers: [AccountAccess, AccountReadiness, AccountsService, ScopesService, DeparturesService, ReinstatementService, IncidentsService],
  exports: [AccountAccess, AccountReadiness, AccountsService, ScopesService, DeparturesService, ReinstatementService, IncidentsService],
})
export class AccountsModule {}

/** Worker-only: the scheduled jobs of this module. */
@Module({ imports: [AccountsModule, IdentityModule], providers: [AccountsJobs] })
export class AccountsWorkerModule {}
