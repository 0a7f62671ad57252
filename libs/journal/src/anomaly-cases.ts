import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { PageOf } from '@app/core';
import { ANOMALY_KINDS, AnomalyKind } from './anomalies';

/** R-ART41 triage of one connection's anomalies: open, acknowledged (seen, maybe assigned), closed with a comment. */
export const CASE_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Stored as a rank so that a case takes the highest of its kinds (docs/gateways.md "Anomalies: severity and triage"). */
const RANKS: Record<Severity, number> = { high: 3, medium: 2, low: 1 };
export const severityRank = (s: Severity): number => RANKS[s];
export const severityOfRank = (rank: number): Severity => (rank >= 3 ? 'high' : rank === 2 ? 'medium' : 'low');

/** A refused attempt of an unknown reference is often a typo (a burst is flagged on its own); a success is what matters. */
export function severityOf(kind: AnomalyKind, outcome: 'success' | 'failure'): Severity {
  switch (kind) {
    case 'outside_window': return 'medium';
    case 'unknown_account': return outcome === 'failure' ? 'low' : 'high';
    case 'inactive_account': return outcome === 'failure' ? 'medium' : 'high';
    case 'out_of_scope':
    case 'failed_login_burst': return 'high';
  }
}

/** Each triage act: the statuses it leaves from and the one it leads to (checked in the UPDATE's WHERE). */
export const CASE_ACTS = {
  acknowledged: { from: ['open'], to: 'acknowledged' },
  assigned: { from: ['open', 'acknowledged'], to: 'acknowledged' },
  closed: { from: ['open', 'acknowledged'], to: 'closed' },
  reopened: { from: ['closed'], to: 'acknowledged' },
} as const satisfies Record<string, { from: readonly CaseStatus[]; to: CaseStatus }>;
export type CaseAct = keyof typeof CASE_ACTS;

export interface PersonRef {
  id: string;
  name: string;
}

export interface StoredCase {
  id: string;
  eventId: string | null;
  startedAt: Date;
  detectedAt: Date;
  kinds: AnomalyKind[];
  severity: Severity;
  status: CaseStatus;
  accountRef: string;
  accountId: string | null;
  person: string | null;
  contractorId: string | null;
  contractorName: string | null;
  resourceRef: string | null;
  resourceId: string | null;
  resourceName: string | null;
  sourceIp: string | null;
  details: string[];
  assignee: PersonRef | null;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
  closedBy: PersonRef | null;
  closeComment: string | null;
}

export class PersonRefView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'First and last name' }) name: string;
}

/** A person or null: inline, because OpenAPI 3.0 ignores `nullable` beside a `$ref`. */
const NULLABLE_PERSON: ApiPropertyOptions = {
  type: 'object', nullable: true, required: ['id', 'name'],
  properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string', description: 'First and last name' } },
};

/** One connection with everything correlation found wrong with it, and where its triage stands. */
export class AnomalyCaseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The journal entry (connection event)' })
  connectionId: string | null;
  @ApiProperty({ description: 'When the connection started' }) startedAt: string;
  @ApiProperty({ description: 'When correlation first flagged it' }) detectedAt: string;
  @ApiProperty({ enum: ANOMALY_KINDS, isArray: true }) kinds: AnomalyKind[];
  @ApiProperty({ enum: SEVERITIES, description: 'The highest of its kinds (docs/gateways.md)' }) severity: Severity;
  @ApiProperty({ enum: CASE_STATUSES }) status: CaseStatus;
  @ApiProperty({ description: 'The account as the gateway named it' }) accountRef: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The account holder's name" }) person: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) contractorId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) contractorName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resourceRef: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) resourceId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resourceName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sourceIp: string | null;
  @ApiProperty({ type: [String], description: 'Each anomaly in words (French), in the order of `kinds`' }) details: string[];
  @ApiProperty(NULLABLE_PERSON) assignee: PersonRefView | null;
  @ApiPropertyOptional({ nullable: true, type: String }) acknowledgedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty(NULLABLE_PERSON) closedBy: PersonRefView | null;
  @ApiPropertyOptional({ nullable: true, type: String }) closeComment: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const toCaseView = (c: StoredCase): AnomalyCaseView => ({
  id: c.id, connectionId: c.eventId, startedAt: iso(c.startedAt)!, detectedAt: iso(c.detectedAt)!, kinds: c.kinds, severity: c.severity,
  status: c.status, accountRef: c.accountRef, accountId: c.accountId, person: c.person, contractorId: c.contractorId,
  contractorName: c.contractorName, resourceRef: c.resourceRef, resourceId: c.resourceId, resourceName: c.resourceName,
  sourceIp: c.sourceIp, details: c.details, assignee: c.assignee, acknowledgedAt: iso(c.acknowledgedAt), closedAt: iso(c.closedAt),
  closedBy: c.closedBy, closeComment: c.closeComment,
});

export class AnomalyCasePage extends PageOf(AnomalyCaseView) {}

/** How many cases stand in each status, under the list's other filters. */
export class AnomalyCaseCountsView {
  @ApiProperty() open: number;
  @ApiProperty() acknowledged: number;
  @ApiProperty() closed: number;
}

/** Who may be assigned a case: the establishment's active RSSI and DSI. */
export class AssigneeView extends PersonRefView {
  @ApiProperty({ type: [String], description: 'rssi, dsi or both' }) roles: string[];
}

export class AssigneePage extends PageOf(AssigneeView) {}
