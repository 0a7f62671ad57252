/** Hospital-side roles, then contractor-side roles (REQUIREMENTS "Who uses it"). */
export enum Role {
  PlatformAdmin = 'platform_admin',
  Dsi = 'dsi',
  Rssi = 'rssi',
  Referent = 'referent',
  Auditor = 'auditor',
  LegalRep = 'legal_rep',
  SecurityContact = 'security_contact',
  SecurityDeputy = 'security_deputy',
  Staff = 'staff',
}

export const HOSPITAL_ROLES: readonly Role[] = [Role.Dsi, Role.Rssi, Role.Referent, Role.Auditor];
export const CONTRACTOR_ROLES: readonly Role[] = [Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy, Role.Staff];

export const ALL_ROLES: readonly Role[] = Object.values(Role);
/** The contractor side's people who declare for their company (contacts, accounts, signatures, departures). */
export const CONTRACTOR_MANAGERS: readonly Role[] = [Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy];
/** Every person of a tenant, hospital or contractor side (not the platform admin). */
export const TENANT_PEOPLE: readonly Role[] = [...HOSPITAL_ROLES, ...CONTRACTOR_ROLES];

export enum ApiKeyScope {
  Decisions = 'decisions',
  Connections = 'connections',
}

/** Who is calling: a person signed in with password + TOTP, or a gateway with an API key. */
export type Principal = UserPrincipal | GatewayPrincipal;

export interface UserPrincipal {
  readonly kind: 'user';
  readonly userId: string;
  readonly sessionId: string;
  readonly tenantId: string | null;
  /** Set for contractor-side people: they only ever see this company (and its subcontractors). */
  readonly contractorId: string | null;
  readonly roles: readonly Role[];
  readonly email: string;
  /** R-L10N the language the person reads the API's messages in. */
  readonly locale?: 'fr' | 'en';
}

export interface GatewayPrincipal {
  readonly kind: 'gateway';
  readonly apiKeyId: string;
  readonly tenantId: string;
  readonly scopes: readonly ApiKeyScope[];
}

/** Every tenant-owned query takes one of these: a query that forgets the tenant does not compile. */
export interface TenantScope {
  readonly tenantId: string;
  /** When set, the caller is a contractor person: queries must also filter on the company. */
  readonly contractorId?: string | null;
}

export interface Actor {
  readonly type: 'user' | 'gateway' | 'system';
  readonly id: string | null;
  readonly label?: string;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, label: 'scheduler' };

export function actorOf(p: Principal): Actor {
  return p.kind === 'user' ? { type: 'user', id: p.userId, label: p.email } : { type: 'gateway', id: p.apiKeyId };
}
