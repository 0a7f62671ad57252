import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export type InterventionStatus = 'requested' | 'approved' | 'rejected' | 'cancelled';
export const INTERVENTION_STATUSES: InterventionStatus[] = ['requested', 'approved', 'rejected', 'cancelled'];
/** R-ART36 emergencies: started without prior approval, then confirmed or challenged after the fact. */
export type EmergencyReview = 'pending' | 'confirmed' | 'challenged';
export const EMERGENCY_REVIEWS: EmergencyReview[] = ['pending', 'confirmed', 'challenged'];

/** What the contractor declares of the work a window is for (R-ART36). */
export interface WorkDeclaration {
  nature: string;
  risks: string;
  availabilityImpact: string;
  changesSettings: boolean;
  changesData: boolean;
}

/** One window as the repository reads it (R-ART36), with its contractor's name for the e-mails. */
export interface Intervention extends WorkDeclaration {
  id: string;
  tenantId: string;
  contractorId: string;
  contractorName: string;
  startsAt: Date;
  endsAt: Date;
  emergency: boolean;
  justification: string | null;
  status: InterventionStatus;
  emergencyReview: EmergencyReview | null;
  usageConflict: boolean;
  usageOverride: boolean;
  outsideBusinessHours: boolean;
  reportDueOn: string;
  /** R-INT the instant the report is late: the end of its due day, in the zone it was computed in. */
  reportLateAt: Date;
  requestedBy: string | null;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  startedAt: Date | null;
  reportFiledAt: Date | null;
  accountIds: string[];
  resourceIds: string[];
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
  @ApiProperty({ description: 'Even partly outside business hours: report due the same day and e-mailed (Art. 43)' })
  outsideBusinessHours: boolean;
  @ApiProperty({ format: 'date' }) reportDueOn: string;
  @ApiProperty() requestedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decisionReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cancelledAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) startedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reportFiledAt: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toInterventionView = (r: Intervention): InterventionView => ({
  id: r.id, contractorId: r.contractorId, accountIds: r.accountIds, resourceIds: r.resourceIds,
  startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(), nature: r.nature, risks: r.risks,
  availabilityImpact: r.availabilityImpact, changesSettings: r.changesSettings, changesData: r.changesData, emergency: r.emergency,
  justification: r.justification, status: r.status, emergencyReview: r.emergencyReview, usageConflict: r.usageConflict,
  usageOverride: r.usageOverride, outsideBusinessHours: r.outsideBusinessHours, reportDueOn: r.reportDueOn,
  requestedAt: r.requestedAt.toISOString(), decidedAt: iso(r.decidedAt), decisionReason: r.decisionReason,
  cancelledAt: iso(r.cancelledAt), startedAt: iso(r.startedAt), reportFiledAt: iso(r.reportFiledAt),
});

/** A person a window names, as a report lists them (R-ART42). */
export class IntervenantView {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ example: 'Jean Dupont' }) name: string;
}

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

/** One version of a report (R-ART42). */
export interface Report {
  id: string;
  interventionId: string;
  version: number;
  operations: string;
  intervenants: string[];
  actions: string;
  difficulties: string;
  referentsInformed: string[];
  submittedAt: Date;
  submittedBy: string | null;
}

export const toReportView = (r: Report): ReportView => ({
  id: r.id, interventionId: r.interventionId, version: r.version, operations: r.operations, intervenants: r.intervenants,
  actions: r.actions, difficulties: r.difficulties, referentsInformed: r.referentsInformed,
  submittedAt: r.submittedAt.toISOString(), submittedBy: r.submittedBy,
});
