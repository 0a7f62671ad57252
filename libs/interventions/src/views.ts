import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export type InterventionStatus = 'requested' | 'approved' | 'rejected' | 'cancelled';
export const INTERVENTION_STATUSES: InterventionStatus[] = ['requested', 'approved', 'rejected', 'cancelled'];
/** R-ART36 emergencies: started without prior approval, then confirmed or challenged after the fact. */
export type EmergencyReview = 'pending' | 'confirmed' | 'challenged';
export const EMERGENCY_REVIEWS: EmergencyReview[] = ['pending', 'confirmed', 'challenged'];

export interface InterventionRow {
  id: string;
  tenant_id: string;
  contractor_id: string;
  starts_at: Date;
  ends_at: Date;
  nature: string;
  risks: string;
  availability_impact: string;
  changes_settings: boolean;
  changes_data: boolean;
  emergency: boolean;
  justification: string | null;
  status: InterventionStatus;
  emergency_review: EmergencyReview | null;
  usage_conflict: boolean;
  usage_override: boolean;
  outside_business_hours: boolean;
  report_due_on: string;
  /** R-INT the instant the report is late: the end of its due day, in the zone it was computed in. */
  report_late_at: Date;
  requested_by: string | null;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  started_at: Date | null;
  report_filed_at: Date | null;
  account_ids: string[];
  resource_ids: string[];
}

export class InterventionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractorId: string;
  @ApiProperty({ type: [String], format: 'uuid' }) accountIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' }) resourceIds: string[];
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty() nature: string;
  @ApiProperty({ description: 'Announced risks (Art. 39)' }) risks: string;
  @ApiProperty({ description: 'Impact on availability (Art. 39)' }) availabilityImpact: string;
  @ApiProperty({ description: 'Changes production settings (Art. 37)' }) changesSettings: boolean;
  @ApiProperty({ description: 'Changes data (Art. 38)' }) changesData: boolean;
  @ApiProperty({ description: 'Started without prior approval (Art. 36: urgence ou dysfonctionnement)' }) emergency: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) justification: string | null;
  @ApiProperty({ enum: ['requested', 'approved', 'rejected', 'cancelled'] }) status: string;
  @ApiPropertyOptional({ enum: EMERGENCY_REVIEWS, nullable: true, type: String }) emergencyReview: string | null;
  @ApiProperty({ description: 'Falls in the usage periods or a blackout: approval needs an explicit override' }) usageConflict: boolean;
  @ApiProperty() usageOverride: boolean;
  @ApiProperty({ description: 'Even partly outside business hours: report due the same day and e-mailed (Art. 43)' }) outsideBusinessHours: boolean;
  @ApiProperty({ format: 'date' }) reportDueOn: string;
  @ApiProperty() requestedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decisionReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cancelledAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) startedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reportFiledAt: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const toInterventionView = (r: InterventionRow): InterventionView => ({
  id: r.id, contractorId: r.contractor_id, accountIds: r.account_ids, resourceIds: r.resource_ids,
  startsAt: new Date(r.starts_at).toISOString(), endsAt: new Date(r.ends_at).toISOString(), nature: r.nature, risks: r.risks,
  availabilityImpact: r.availability_impact, changesSettings: r.changes_settings, changesData: r.changes_data, emergency: r.emergency,
  justification: r.justification, status: r.status, emergencyReview: r.emergency_review, usageConflict: r.usage_conflict,
  usageOverride: r.usage_override, outsideBusinessHours: r.outside_business_hours, reportDueOn: r.report_due_on,
  requestedAt: new Date(r.requested_at).toISOString(), decidedAt: iso(r.decided_at), decisionReason: r.decision_reason,
  cancelledAt: iso(r.cancelled_at), startedAt: iso(r.started_at), reportFiledAt: iso(r.report_filed_at),
});

export class ReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) interventionId: string;
  @ApiProperty({ description: 'A correction is a new version; earlier ones stay' }) version: number;
  @ApiProperty() operations: string;
  @ApiProperty({ type: [String] }) intervenants: string[];
  @ApiProperty() actions: string;
  @ApiProperty() difficulties: string;
  @ApiProperty({ type: [String] }) referentsInformed: string[];
  @ApiProperty() submittedAt: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) submittedBy: string | null;
}

export interface ReportRow {
  id: string;
  intervention_id: string;
  version: number;
  operations: string;
  intervenants: string[];
  actions: string;
  difficulties: string;
  referents_informed: string[];
  submitted_at: Date;
  submitted_by: string | null;
}

export const toReportView = (r: ReportRow): ReportView => ({
  id: r.id, interventionId: r.intervention_id, version: r.version, operations: r.operations, intervenants: r.intervenants,
  actions: r.actions, difficulties: r.difficulties, referentsInformed: r.referents_informed,
  submittedAt: new Date(r.submitted_at).toISOString(), submittedBy: r.submitted_by,
});
