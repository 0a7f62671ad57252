/** Who to write to: a person's address and language. */
export interface Recipient {
  email: string;
  locale?: 'fr' | 'en';
}

/** The person an identity event is about, as its e-mail needs them. */
export interface PersonNotice {
  tenantId: string | null;
  userId: string;
  email: string;
  locale: 'fr' | 'en';
  firstName: string;
}

declare module '@app/core' {
  interface DomainEventMap {
    /** R-ART28: a person enrolled TOTP (an approved account may become active). */
    'user.mfa_enrolled': { tenantId: string | null; userId: string };
    /** R-ART28 a one-time link to choose a password was issued (first invitation or resend). */
    'user.invitation_issued': PersonNotice & {
      tenantName: string; link: string; expiresAt: string; roles: string[]; existingAccount: boolean;
    };
    /** R-ART28 a failure reached the tenant's threshold: the person is locked out until `until`. */
    'user.locked': PersonNotice & { until: string };
    /** R-ART28 the person changed their password; every other session was revoked. */
    'user.password_changed': PersonNotice & { at: string };
    /** R-ART28 the person's second factor was reset; `link` enrols a new one. */
    'user.mfa_reset': PersonNotice & { at: string; reason: string; link: string; expiresAt: string; byOperator: boolean };
    /** R-ART28 the platform operator reset a DSI's second factor: the establishment's other DSIs and RSSIs are told. */
    'user.mfa_reset_by_operator': {
      tenantId: string; userId: string; person: string; email: string; tenant: string; operator: string; reason: string; at: string;
      recipients: Recipient[];
    };
    /** R-ART28 R-ART3 a contractor's declarer asked the DSIs to reset a person's second factor. */
    'user.mfa_reset_requested': {
      tenantId: string | null; userId: string; person: string; email: string; requester: string; reason: string; at: string;
      recipients: Recipient[];
    };
  }
}
