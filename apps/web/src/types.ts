/** The shapes the public API answers (see /docs-json); only the fields the console reads. */

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { field: string; message: string }[];
  missing?: GateMissing[];
  [extra: string]: unknown;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  recoveryCodes?: string[];
}

export type Role = 'platform_admin' | 'dsi' | 'rssi' | 'referent' | 'auditor' | 'legal_rep' | 'security_contact' | 'security_deputy' | 'staff';

export interface Me {
  id: string;
  tenantId: string | null;
  contractorId: string | null;
  email: string;
  firstName: string;
  lastName: string;
  roles: Role[];
  status: string;
  mfaEnrolled: boolean;
  locale: 'fr' | 'en';
}

export interface Contractor {
  id: string;
  legalName: string;
  siret: string;
  address: string;
  primeContractorId: string | null;
  createdAt: string;
}

export interface GateMissing {
  code: string;
  detail: string;
}

export interface Gate {
  open: boolean;
  missing: GateMissing[];
}

export type GateState = 'open' | 'closed';

/** An item of GET /v1/contractors: the company and its gate (R-ART2). */
export interface ContractorWithGate extends Contractor {
  gate: Gate;
}

export interface Contact {
  role: 'legal_rep' | 'security_contact' | 'security_deputy' | 'rssi';
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  function: string | null;
  userId: string | null;
}

export interface Prestation {
  id: string;
  title: string;
  accessMode: 'remote' | 'onsite' | 'saas';
  rgpdSubcontractor: boolean;
  requireRgpdClauses: boolean;
  requireSecurityReferential: boolean;
  startsOn: string;
  endsOn: string | null;
  endedAt: string | null;
  attestation: 'not_due' | 'missing' | 'received';
}

export type DocumentKind = 'charter' | 'access_convention' | 'rgpd_clauses' | 'security_referential';

export interface DocumentVersion {
  id: string;
  kind: DocumentKind;
  title: string;
  versionLabel: string;
  effectiveOn: string;
  resignDeadline: string | null;
  sha256: string;
  size: number;
  filename: string;
  withdrawnAt: string | null;
}

export interface Signature {
  id: string;
  contractorId: string;
  documentId: string;
  accountId: string | null;
  signerFirstName: string;
  signerLastName: string;
  signerFunction: string;
  signedOn: string;
  allPagesInitialled: boolean;
  sha256: string;
  size: number;
  filename: string;
  status: 'submitted' | 'validated' | 'rejected';
  submittedAt: string;
  rejectReason: string | null;
}

export interface Account {
  id: string;
  contractorId: string;
  userId: string | null;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  shared: boolean;
  status: 'requested' | 'approved' | 'active' | 'suspended' | 'deactivated' | 'rejected';
  suspensionReason: string | null;
  deactivationReason: string | null;
}

export interface Readiness {
  ready: boolean;
  missing: GateMissing[];
}

export interface Resource {
  id: string;
  name: string;
  kind: string;
  criticality: string;
  externalId: string | null;
}

export interface Habilitation {
  id: string;
  accountId: string;
  resourceId: string;
  accessType: 'remote' | 'onsite';
  level: 'read' | 'operate' | 'admin';
  endsOn: string | null;
  status: 'requested' | 'approved' | 'rejected' | 'revoked';
  inForce: boolean;
}

export interface Intervention {
  id: string;
  contractorId: string;
  accountIds: string[];
  resourceIds: string[];
  startsAt: string;
  endsAt: string;
  nature: string;
  risks: string;
  availabilityImpact: string;
  changesSettings: boolean;
  changesData: boolean;
  emergency: boolean;
  justification: string | null;
  status: 'requested' | 'approved' | 'rejected' | 'cancelled';
  emergencyReview: 'pending' | 'confirmed' | 'challenged' | null;
  usageConflict: boolean;
  outsideBusinessHours: boolean;
  reportDueOn: string;
  decisionReason: string | null;
  reportFiledAt: string | null;
}

export interface Report {
  id: string;
  version: number;
  operations: string;
  intervenants: string[];
  actions: string;
  difficulties: string;
  referentsInformed: string[];
  submittedAt: string;
}

export interface Referent {
  userId: string;
  email: string;
}

export interface Derogation {
  id: string;
  kind: string;
  contractorId: string | null;
  scope: string;
  justification: string;
  validFrom: string;
  validUntil: string;
  revokedAt: string | null;
  inForce: boolean;
}

export interface Departure {
  id: string;
  accountId: string;
  firstName: string;
  lastName: string;
  effectiveOn: string;
  declaredAt: string;
  appliedAt: string | null;
}

export interface Incident {
  id: string;
  kind: string;
  description: string;
  contractorId: string | null;
  accountId: string | null;
  reportedAt: string;
  accountSuspended: boolean;
}

export interface ReviewItem {
  id: string;
  kind: 'account' | 'habilitation' | 'addition';
  accountId: string | null;
  snapshot: Record<string, unknown>;
  decision: 'keep' | 'change' | 'remove' | null;
  newLevel: string | null;
  rssiDecision: string | null;
  rssiLevel: string | null;
  sinceLastCampaign: 'new' | 'unchanged' | 'changed';
  lastUsedAt: string | null;
}

export interface Review {
  id: string;
  contractorId: string;
  status: 'open' | 'submitted' | 'certified';
  openedAt: string;
  dueOn: string;
  overdue: boolean;
  submittedAt: string | null;
  certifiedAt: string | null;
  itemsTotal: number;
  itemsDecided: number;
  items?: ReviewItem[];
}

export interface DashboardCampaign {
  id: string;
  contractorId: string;
  contractor: string;
  dueOn: string;
  daysLate: number;
  undecided: number;
  silenced: boolean;
}

export interface ReviewDashboard {
  today: string;
  campaignsByStatus: { open: number; submitted: number; certified: number };
  overdue: { count: number; items: DashboardCampaign[] };
  toCertify: { count: number; items: DashboardCampaign[] };
  suspendedForReview: { count: number; items: { accountId: string; person: string; email: string; contractor: string; suspendedAt: string }[] };
}

export interface Anomaly {
  id: string;
  kind: string;
  startedAt: string;
  detectedAt: string;
  detail: string;
  accountRef: string;
  resourceRef: string | null;
  sourceIp: string | null;
}

export interface ConnectionExport {
  id: string;
  requestedAt: string;
  reason: string;
  from: string;
  to: string;
  contractorId: string | null;
  format: 'csv' | 'json';
  downloads: number;
  downloadUrl: string;
}

export interface AuditEvent {
  id: string;
  seq: number;
  occurredAt: string;
  actor: { type: string; id: string | null; label: string | null };
  action: string;
  target: { type: string; id: string | null };
  before: unknown;
  after: unknown;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenId?: string;
  firstBrokenSeq?: number;
}

export interface Person {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  roles: Role[];
  status: string;
  mfaEnrolled: boolean;
}

/** A gateway API key (GET /v1/api-keys); the key itself only in the creation answer. */
export interface ApiKey {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A webhook subscription (GET /v1/webhooks); its secret only in the creation and rotation answers. */
export interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  revokedAt: string | null;
  secretRotatedAt: string | null;
  previousSecretValidUntil: string | null;
}

/** One attempt to deliver one event (GET /v1/webhooks/{id}/deliveries). */
export interface WebhookDelivery {
  id: string;
  deliveryId: string;
  event: string;
  attempt: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: string;
}

/** R-POL: the establishment's policy (`GET /v1/tenant/policy`). */
export interface Blackout {
  from: string;
  to: string;
  label: string;
}

export interface TenantPolicy {
  reviewPeriodMonths: number;
  reviewReminderDays: number[];
  reviewGraceDays: number;
  reviewSilence: 'suspend' | 'deactivate';
  logRetentionMonths: number;
  logRetentionFloorMonths: number;
  reportDeadlineBusinessDays: number;
  reportEmail: string | null;
  businessHours: { start: string; end: string; days: number[]; timezone: string };
  blackouts: Blackout[];
  password: { minLength: number; requireUpper: boolean; requireLower: boolean; requireDigit: boolean; requireSpecial: boolean };
  lockout: { maxAttempts: number; durationMinutes: number };
  mfaRequired: boolean;
  absenceSuspensionDays: number;
  locale: 'fr' | 'en';
}

/** An establishment as the platform operator sees it (GET /v1/tenants). */
export interface Establishment {
  id: string;
  name: string;
  preset: string;
  createdAt: string;
  activeDsis: number;
  contractors: number;
}

/** A DSI of an establishment (GET /v1/tenants/{id}/dsis). */
export interface Dsi {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  status: 'invited' | 'active' | 'suspended' | 'deactivated';
  mfaEnrolled: boolean;
}
