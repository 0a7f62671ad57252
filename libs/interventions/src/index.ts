export { InterventionsModule, InterventionsWorkerModule } from './interventions.module';
export { addBusinessDays, zonedInstant } from './business-time';
export {
  EMERGENCY_REVIEWS, INTERVENTION_STATUSES, IntervenantView, InterventionView, ReportView,
  type EmergencyReview, type Intervention, type InterventionStatus, type Report,
} from './views';
export { InterventionsService, type InterventionsFilter, type RequestIntervention } from './interventions.service';
export { ReferentsService } from './referents.service';
export { ReportsService, type FileReport } from './reports.service';
export { DecisionsService, DecisionView, REASON_CODES, type DecisionInput, type ReasonCode } from './decisions.service';
export { DecisionRecorder } from './decision-recorder';
export { InterventionErrors } from './errors';
export type { WindowOutcome } from './events';
