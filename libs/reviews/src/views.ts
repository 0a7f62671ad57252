import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export interface CampaignRow {
  id: string;
  tenant_id: string;
  contractor_id: string;
  status: 'open' | 'submitted' | 'certified';
  period_start: Date;
  opened_at: Date;
  opened_by: string | null;
  due_on: string;
  submitted_at: Date | null;
  submitted_by: string | null;
  certified_at: Date | null;
  certified_by: string | null;
  overdue_suspended_at: Date | null;
}

export interface ItemRow {
  id: string;
  campaign_id: string;
  kind: 'account' | 'habilitation' | 'addition';
  account_id: string | null;
  habilitation_id: string | null;
  snapshot: Record<string, unknown>;
  decision: 'keep' | 'change' | 'remove' | null;
  new_level: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  rssi_decision: 'keep' | 'change' | 'remove' | null;
  rssi_level: string | null;
  applied_at: Date | null;
}

export class ReviewItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['account', 'habilitation', 'addition'] }) kind: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) habilitationId: string | null;
  @ApiProperty({ type: Object, description: 'The person (and access) as it stood when the campaign opened' }) snapshot: Record<string, unknown>;
  @ApiPropertyOptional({ enum: ['keep', 'change', 'remove'], nullable: true, type: String }) decision: string | null;
  @ApiPropertyOptional({ enum: ['read', 'operate', 'admin'], nullable: true, type: String }) newLevel: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
  @ApiPropertyOptional({ enum: ['keep', 'change', 'remove'], nullable: true, type: String, description: "The RSSI's override" }) rssiDecision: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) rssiLevel: string | null;
  @ApiProperty({ enum: ['new', 'unchanged', 'changed'], description: 'Compared with the last certified campaign' }) sinceLastCampaign: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Last allowed access or connection in the period; null: unused' }) lastUsedAt: string | null;
}

export class ReviewView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractorId: string;
  @ApiProperty({ enum: ['open', 'submitted', 'certified'] }) status: string;
  @ApiProperty() periodStart: string;
  @ApiProperty() openedAt: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ description: 'Past its due date and not submitted' }) overdue: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) submittedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) certifiedAt: string | null;
  @ApiProperty() itemsTotal: number;
  @ApiProperty() itemsDecided: number;
  @ApiPropertyOptional({ type: [ReviewItemView] }) items?: ReviewItemView[];
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toReviewView(c: CampaignRow, counts: { total: number; decided: number }, today: string, items?: ReviewItemView[]): ReviewView {
  return {
    id: c.id, contractorId: c.contractor_id, status: c.status, periodStart: new Date(c.period_start).toISOString(),
    openedAt: new Date(c.opened_at).toISOString(), dueOn: c.due_on, overdue: c.status === 'open' && today > c.due_on,
    submittedAt: iso(c.submitted_at), certifiedAt: iso(c.certified_at), itemsTotal: counts.total, itemsDecided: counts.decided,
    ...(items ? { items } : {}),
  };
}
