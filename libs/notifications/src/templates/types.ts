/** R-NOT: every e-mail exists in French (default) and English. A template is a pure function of its data. */
export type Locale = 'fr' | 'en';

export interface RenderedMail {
  subject: string;
  text: string;
}

/** `link(path)`: the console's address of a page (`/reviews`), for a template that names several (the weekly digest). */
export type Render<D> = (data: D, link: (path: string) => string) => RenderedMail;

export interface TemplateData {
  /** `expiresAt` an instant; `timeZone` the establishment's (the e-mail shows the expiry in it); `roles` the person's. */
  invitation: {
    firstName: string; tenantName: string; link: string; expiresAt: string; timeZone?: string; roles?: string[]; existingAccount?: boolean;
  };
  'password-changed': { firstName: string; at: string; timeZone?: string };
  'account-locked': { firstName: string; until: string; timeZone?: string };
  /** `byOperator`: the platform operator reset a DSI's (docs/guide.md "Lost phone, lost invitation"); `link`: the enrolment link. */
  'mfa-reset': {
    firstName: string; at: string; reason: string; link: string; expiresAt: string; byOperator?: boolean; timeZone?: string;
  };
  'mfa-reset-by-operator': {
    person: string; email: string; tenant: string; operator: string; reason: string; at: string; timeZone?: string;
  };
  'mfa-reset-requested': {
    person: string; email: string; userId: string; requester: string; reason: string; at: string; timeZone?: string;
  };
  'signature-submitted': { contractor: string; document: string; version: string; signer: string };
  'signature-decided': { contractor: string; document: string; version: string; decision: 'validated' | 'rejected'; reason: string | null };
  'resign-reminder': { contractor: string; document: string; version: string; deadline: string; daysLeft: number };
  'resign-overdue': { contractor: string; contractorId?: string; document: string; version: string; deadline: string };
  'attestation-required': { contractor: string; contractorId?: string; prestation: string; endedOn: string; days: number };
  'attestation-overdue': { contractor: string; contractorId?: string; prestation: string; endedOn: string; days: number };
  'attestation-received': { contractor: string; contractorId?: string; prestation: string; sha256: string };
  'account-suspended': { person: string; contractor: string; contractorId?: string; reason: string; resumeOn: string | null };
  'account-deactivated': { person: string; contractor: string; contractorId?: string; reason: string; effectiveOn: string };
  'account-reinstated': { person: string; contractor: string; contractorId?: string; departedOn: string; reason: string; by: string };
  /** R-PROV the hospital's directory refused a change for an account. */
  'directory-refused': { person: string; message: string };
  /** R-PROV reconciliation found drift in the directory (corrected when automatic correction is on). */
  'directory-drift': { drifts: { kind: string; dn: string; groupDn: string }[]; corrected: boolean };
  'incident-reported': {
    contractor: string; kind: string; description: string; reporter: string; person: string | null; suspended: boolean;
  };
  'window-requested': {
    contractor: string; nature: string; startsAt: string; endsAt: string; emergency: boolean; justification: string | null;
    usageConflict: boolean; risks: string; availabilityImpact: string;
  };
  'window-decided': { contractor: string; nature: string; startsAt: string; endsAt: string; decision: string; reason: string | null };
  'intervention-started': { contractor: string; nature: string; person: string; resource: string; at: string };
  'report-filed': {
    contractor: string; nature: string; startsAt: string; endsAt: string; version: number; operations: string; intervenants: string;
    actions: string; difficulties: string; referentsInformed: string;
  };
  'report-overdue': { contractor: string; nature: string; startsAt: string; dueOn: string; daysLate: number };
  'review-reminder': { contractor: string; reviewId?: string; dueOn: string; undecided: number; daysLeft: number };
  'review-overdue': { contractor: string; reviewId?: string; dueOn: string; undecided: number; daysLeft: number };
  'anomalies-detected': {
    count: number; more: number; timeZone: string;
    items: { kind: string; at: string; account: string; resource: string; detail: string }[];
  };
  'weekly-digest': {
    tenant: string; week: string; today: string;
    pending: { accounts: number; habilitations: number; signatures: number; interventions: number };
    overdueReports: { count: number; items: { contractor: string; nature: string; dueOn: string; daysLate: number }[] };
    overdueReviews: { count: number; items: { contractor: string; dueOn: string; daysLate: number; undecided: number }[] };
    anomalies: { count: number; byKind: { kind: string; count: number }[] };
    gatesClosingSoon: {
      count: number; items: { contractor: string; document: string; version: string; deadline: string; daysLeft: number }[];
    };
    /** R-INT: the heads of the tenant's chains, a copy outside the database to compare a later verify with. */
    heads: { chain: 'audit' | 'journal'; seq: number; hash: string }[];
  };
}

export type TemplateName = keyof TemplateData;

/** The templates of some names, in one language. */
export type TemplateSet<N extends TemplateName> = { [K in N]: Render<TemplateData[K]> };

/** The connection journal's anomaly kinds as the e-mails name them (R-ART41). */
export const ANOMALY_KINDS: Record<Locale, Record<string, string>> = {
  fr: {
    unknown_account: 'compte inconnu', inactive_account: 'compte suspendu, désactivé ou pas encore actif',
    outside_window: "hors de toute fenêtre d'intervention approuvée", out_of_scope: 'hors du périmètre déclaré',
    failed_login_burst: 'rafale de connexions échouées',
  },
  en: {
    unknown_account: 'unknown account', inactive_account: 'suspended, deactivated or not yet active account',
    outside_window: 'outside any approved window', out_of_scope: 'outside the declared scope', failed_login_burst: 'burst of failed logins',
  },
};
