/** A campaign as the repository returns it (review_campaigns). */
export interface Campaign {
  id: string;
  tenantId: string;
  contractorId: string;
  status: 'open' | 'submitted' | 'certified';
  periodStart: Date;
  openedAt: Date;
  openedBy: string | null;
  dueOn: string;
  submittedAt: Date | null;
  submittedBy: string | null;
  certifiedAt: Date | null;
  certifiedBy: string | null;
  overdueSuspendedAt: Date | null;
  /** R-ART34: the statement the security contact ticked when submitting. */
  attestationStatement: string | null;
}

export type Decision = 'keep' | 'change' | 'remove';

/** One decision of a batch: an item of the campaign, keep / change (with the level) / remove. */
export interface ItemDecision {
  itemId: string;
  decision: Decision;
  level?: string;
}

/** One line of a campaign (review_items): a person, one of their habilitations, or a person added during it. */
export interface Item {
  id: string;
  campaignId: string;
  kind: 'account' | 'habilitation' | 'addition';
  accountId: string | null;
  habilitationId: string | null;
  snapshot: Record<string, unknown>;
  decision: Decision | null;
  newLevel: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  rssiDecision: Decision | null;
  rssiLevel: string | null;
  appliedAt: Date | null;
}

export interface CampaignRow {
  id: string; tenant_id: string; contractor_id: string; status: Campaign['status']; period_start: Date; opened_at: Date;
  opened_by: string | null;
  due_on: string; submitted_at: Date | null; submitted_by: string | null; certified_at: Date | null; certified_by: string | null;
  overdue_suspended_at: Date | null; attestation_statement: string | null;
}

export interface ItemRow {
  id: string; campaign_id: string; kind: Item['kind']; account_id: string | null; habilitation_id: string | null;
  snapshot: Record<string, unknown>;
  decision: Decision | null; new_level: string | null; decided_by: string | null; decided_at: Date | null; rssi_decision: Decision | null;
  rssi_level: string | null; applied_at: Date | null;
}

const date = (d: Date | null) => (d ? new Date(d) : null);

export const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id, tenantId: r.tenant_id, contractorId: r.contractor_id, status: r.status, periodStart: new Date(r.period_start),
  openedAt: new Date(r.opened_at), openedBy: r.opened_by, dueOn: r.due_on, submittedAt: date(r.submitted_at), submittedBy: r.submitted_by,
  certifiedAt: date(r.certified_at), certifiedBy: r.certified_by, overdueSuspendedAt: date(r.overdue_suspended_at),
  attestationStatement: r.attestation_statement,
});

export const toItem = (r: ItemRow): Item => ({
  id: r.id, campaignId: r.campaign_id, kind: r.kind, accountId: r.account_id, habilitationId: r.habilitation_id, snapshot: r.snapshot,
  decision: r.decision, newLevel: r.new_level, decidedBy: r.decided_by, decidedAt: date(r.decided_at), rssiDecision: r.rssi_decision,
  rssiLevel: r.rssi_level, appliedAt: date(r.applied_at),
});
