import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/accounts';
import { ChartersModule } from '@app/charters';
import { ContractorsModule } from '@app/contractors';
import { APP_CONFIG, AppConfig, jobCalling, JobName, Metrics } from '@app/core';
import { DerogationsModule } from '@app/derogations';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { DecisionLookup } from './decision-lookup';
import { DecisionMetrics } from './decision-metrics';
import { DECISION_FLUSH_MS, DecisionRecorder } from './decision-recorder';
import { DECISION_CACHE_MS, DecisionStandings } from './decision-standings';
import { DecisionsRepository } from './decisions.repository';
import { DecisionsService, REASON_CODES } from './decisions.service';
import { InterventionNotifications } from './intervention-notifications';
import { InterventionsRepository } from './interventions.repository';
import { InterventionsService } from './interventions.service';
import { ReferentsRepository } from './referents.repository';
import { ReferentsService } from './referents.service';
import { ReportReminders } from './report-reminders';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { WindowAccess } from './window-access';
import { WindowRules } from './window-rules';
import { WindowScopeRepository } from './window-scope.repository';

/** Intervention windows (R-ART36), reports (R-ART42) and the gateways' access decisions. */
@Module({
  imports: [IdentityModule, NotificationsModule, ContractorsModule, ChartersModule, AccountsModule, DerogationsModule],
  providers: [
    InterventionsRepository, ReferentsRepository, ReportsRepository, WindowScopeRepository, DecisionsRepository,
    WindowAccess, WindowRules, ReferentsService, InterventionsService, ReportsService, ReportReminders, InterventionNotifications,
    DecisionsService, DecisionStandings, DecisionLookup, DecisionRecorder,
    { provide: DECISION_CACHE_MS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => c.decisions.cacheMs },
    { provide: DECISION_FLUSH_MS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => c.decisions.flushMs },
    { provide: DecisionMetrics, inject: [Metrics], useFactory: (m: Metrics) => new DecisionMetrics(m, REASON_CODES) },
  ],
  exports: [InterventionsService, ReportsService, ReferentsService, ReportReminders, DecisionsService, DecisionRecorder],
})
export class InterventionsModule {}

/** Worker-only: the scheduled jobs of this module. */
@Module({ imports: [InterventionsModule], providers: [jobCalling(JobName.InterventionsDaily, [ReportReminders], (r) => r.runDaily())] })
export class InterventionsWorkerModule {}
