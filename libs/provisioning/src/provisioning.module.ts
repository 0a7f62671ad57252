import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/accounts';
import { ChartersModule } from '@app/charters';
import { ContractorsModule } from '@app/contractors';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { ConnectorService } from './connector.service';
import { DirectorySync } from './directory-sync';
import { ProvisioningNotifications } from './provisioning-notifications';
import { ProvisioningReactions } from './provisioning-reactions';
import { ProvisioningRepository } from './provisioning.repository';
import { ProvisioningJobs } from './provisioning.jobs';
import { ReconciliationService } from './reconciliation.service';
import { WantedState } from './wanted-state';

const SERVICES = [ConnectorService, DirectorySync, ReconciliationService];

/** R-PROV the hospital's directory kept in step: the connector, the syncs through the outbox, reconciliation. */
@Module({
  imports: [IdentityModule, NotificationsModule, ContractorsModule, ChartersModule, AccountsModule],
  providers: [ProvisioningRepository, WantedState, ProvisioningReactions, ProvisioningNotifications, ...SERVICES],
  exports: SERVICES,
})
export class ProvisioningModule {}

/** Worker-only: the sync deliveries and the scheduled jobs. */
@Module({ imports: [ProvisioningModule], providers: [ProvisioningJobs] })
export class ProvisioningWorkerModule {}
