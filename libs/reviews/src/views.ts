import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Campaign } from './review-types';

export class ReviewItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['account', 'habilitation', 'addition'] }) kind: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) habilitationId: string | null;
  @ApiProperty({ type: Object,
    description: 'The person (and access) as it stood when the campaign opened' }) snapshot: Record<string, unknown>;
  @ApiPropertyOptional({ enum: ['keep', 'change', 'remove'], nullable: true, type: String }) decision: string | null;
  @ApiPropertyOptional({ enum: ['read', 'operate', 'admin'], nullable: true, type: String }) newLevel: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
  @ApiPropertyOptional({ enum: ['keep', 'change', 'remove'], nullable: true, type: String,
    description: "The RSSI's override" }) rssiDecision: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) rssiLevel: string | null;
  @ApiProperty({ enum: ['new', 'unchanged', 'changed'],
    description: 'Compared with the last certified campaign' }) sinceLastCampaign: string;
  @ApiPropertyOptional({ nullable: true, type: String,
    description: 'Last allowed access or connection in the period; null: unused' }) lastUsedAt: string | null;
}

export class ReviewView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractorId: string;
  @ApiProperty({ description: 'The company reviewed (its legal name)' }) contractorName: string;
  @ApiProperty({ enum: ['open', 'submitted', 'certified'] }) status: string;
  @ApiProperty() periodStart: string;
  @ApiProperty() openedAt: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ description: 'Past its due date and not submitted' }) overdue: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) submittedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) certifiedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String,
    description: 'R-ART34: the statement the security contact ticked when submitting' }) attestationStatement: string | null;
  @ApiProperty() itemsTotal: number;
  @ApiProperty() itemsDecided: number;
  @ApiPropertyOptional({ type: [ReviewItemView] }) items?: ReviewItemView[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toReviewView(
  c: Campaign, contractorName: string, counts: { total: number; decided: number }, today: string, items?: ReviewItemView[],
): ReviewView {
  return {
    id: c.id, contractorId: c.contractorId, contractorName, attestationStatement: c.attestationStatement, status: c.status,
    periodStart: c.periodStart.toISOString(), openedAt: c.openedAt.toISOString(),
    dueOn: c.dueOn, overdue: c.status === 'open' && today > c.dueOn, submittedAt: iso(c.submittedAt), certifiedAt: iso(c.certifiedAt),
    itemsTotal: counts.total, itemsDecided: counts.decided, ...(items ? { items } : {}),
  };
}
