/** The shapes the console reads, named after the API's own schemas (schema.d.ts, generated from /docs-json). */
import type { components, operations } from './schema';

type Schemas = components['schemas'];

/** An RFC 9457 problem+json answer (the document's `Problem`); an activation refused also lists what is missing. */
export type Problem = Schemas['Problem'] & { missing?: GateMissing[] };

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Tokens = Schemas['TokensResponse'] & { recoveryCodes?: string[] };
export type Role = Schemas['UserView']['roles'][number];
/** Ids the document does not type yet (`nullable` without a type): strings or null on the wire. */
type Ids = { tenantId?: string | null; contractorId?: string | null };
export type Me = Omit<Schemas['MeView'], keyof Ids> & Ids;
export type Person = Schemas['UserView'];
/** R-MEMB one of the signed-in person's establishments (`GET /v1/me/memberships`), `current` the session's. */
export type Membership = Schemas['MembershipView'];

export type Contractor = Schemas['ContractorView'];
export type ContractorWithGate = Schemas['ContractorWithGateView'];
export type GateMissing = Schemas['GateMissing'];
export type Gate = Schemas['GateView'];
export type GateState = NonNullable<NonNullable<operations['ContractorsController_list']['parameters']['query']>['gate']>;
export type Contact = Schemas['ContactView'];
export type Prestation = Schemas['PrestationView'];
export type DocumentVersion = Schemas['DocumentView'];
export type DocumentKind = DocumentVersion['kind'];
export type Signature = Schemas['SignatureView'];
export type Account = Schemas['AccountView'];
export type Resource = Schemas['ResourceView'];
export type Habilitation = Schemas['HabilitationView'];
export type Intervention = Schemas['InterventionView'];
export type Report = Schemas['ReportView'];
export type Referent = Schemas['ReferentView'];
export type Derogation = Schemas['DerogationView'];
export type Departure = Schemas['DepartureView'];
export type Incident = Schemas['IncidentView'];
export type ReviewItem = Schemas['ReviewItemView'];
export type Review = Schemas['ReviewView'];
export type DashboardCampaign = Schemas['DashboardCampaign'];
export type ReviewDashboard = Schemas['ReviewDashboardView'];
export type Anomaly = Schemas['AnomalyView'];
export type ConnectionExport = Schemas['ConnectionExportResponse'];
export type AuditEvent = Schemas['AuditEventView'];
export type ApiKey = Schemas['ApiKeyView'];
export type Webhook = Schemas['WebhookView'];
export type WebhookDelivery = Schemas['WebhookDeliveryView'];
export type Blackout = Schemas['Blackout'];
export type TenantPolicy = Schemas['TenantPolicy'];
export type Establishment = Schemas['EstablishmentView'];
export type Dsi = Schemas['DsiView'];

/** Answers the document does not describe yet (no response schema): typed here until it does. */
export interface Readiness {
  ready: boolean;
  missing: GateMissing[];
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenId?: string;
  firstBrokenSeq?: number;
}
export type Home = Schemas['HomeView'];
export type HomeTask = Schemas['HomeTaskView'];
export type AnomalyCase = Schemas['AnomalyCaseView'];
export type Assignee = Schemas['AssigneeView'];
export type Connection = Schemas['ConnectionView'];
export type AnomalyCaseQuery = NonNullable<operations['AnomalyCasesController_list']['parameters']['query']>;
