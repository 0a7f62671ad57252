import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/accounts';
import { ChartersModule } from '@app/charters';
import { ContractorsModule } from '@app/contractors';
import { DerogationsModule } from '@app/derogations';
import { IdentityModule } from '@app/identity';
import { InterventionsModule } from '@app/interventions';
import { JournalModule } from '@app/journal';
import { ReviewsModule } from '@app/reviews';
import { AccessSection } from './access-section';
import { ActivitySection } from './activity-section';
import { AuditExtract } from './audit-extract';
import { ContractorSection } from './contractor-section';
import { EvidencePackService, PACK_SECTIONS, PackSection } from './evidence-pack.service';

/** The auditor's evidence pack of one contractor (R-AUD): a read-only report across the domain libraries. */
@Module({
  imports: [
    IdentityModule, ContractorsModule, ChartersModule, AccountsModule, DerogationsModule, InterventionsModule, JournalModule, ReviewsModule,
  ],
  providers: [
    AuditExtract, ContractorSection, AccessSection, ActivitySection, EvidencePackService,
    {
      provide: PACK_SECTIONS, inject: [ContractorSection, AccessSection, ActivitySection],
      useFactory: (...sections: PackSection[]): PackSection[] => sections,
    },
  ],
  exports: [EvidencePackService],
})
export class EvidenceModule {}
