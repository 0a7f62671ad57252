export type DerogationKind = 'equipment' | 'remote_control_tool' | 'shared_account' | 'log_deletion';
export const DEROGATION_KINDS: DerogationKind[] = ['equipment', 'remote_control_tool', 'shared_account', 'log_deletion'];

/** One written authorisation of the DSI, as the register keeps it. */
export interface Derogation {
  id: string;
  tenantId: string;
  kind: DerogationKind;
  contractorId: string | null;
  scope: string;
  justification: string;
  validFrom: Date;
  validUntil: Date;
  authorId: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokeReason: string | null;
}

export interface DerogationFilter {
  kind?: DerogationKind;
  contractorId?: string;
  /** true: in force now; false: revoked, over or not begun. */
  inForce?: boolean;
}

export interface CreateDerogation {
  kind: DerogationKind;
  contractorId?: string;
  scope: string;
  justification: string;
  validFrom: Date;
  validUntil: Date;
}
