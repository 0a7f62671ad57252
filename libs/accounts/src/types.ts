export type AccountStatus = 'requested' | 'approved' | 'active' | 'suspended' | 'deactivated' | 'rejected';
export const ACCOUNT_STATUSES: AccountStatus[] = ['requested', 'approved', 'active', 'suspended', 'deactivated', 'rejected'];
export type SuspensionKind = 'manual' | 'absence' | 'inactivity' | 'incident' | 'review' | 'departure';
export type ResourceKind = 'application' | 'server' | 'medical_device' | 'network_equipment' | 'other';
export const RESOURCE_KINDS: ResourceKind[] = ['application', 'server', 'medical_device', 'network_equipment', 'other'];
export type Criticality = 'low' | 'medium' | 'high' | 'critical';
export const CRITICALITIES: Criticality[] = ['low', 'medium', 'high', 'critical'];
export type AccessType = 'remote' | 'onsite';
export type Level = 'read' | 'operate' | 'admin';
export type HabilitationStatus = 'requested' | 'approved' | 'rejected' | 'revoked';
export const HABILITATION_STATUSES: HabilitationStatus[] = ['requested', 'approved', 'rejected', 'revoked'];

/** Which accounts a list shows: one company's, or the whole tenant's (a contractor person's: its own company's). */
export interface AccountFilter {
  contractorId?: string;
  status?: AccountStatus;
  /** Only these accounts (the approvals queue names the people whose habilitations wait). */
  ids?: string[];
}

/** `name`: a directory; `oldest`: a queue, the first requested first. */
export type AccountOrder = 'name' | 'oldest';
export const ACCOUNT_ORDERS: AccountOrder[] = ['name', 'oldest'];
