/** The contractors library's domain events (merged into core's map). */
declare module '@app/core' {
  interface DomainEventMap {
    /** R-ART10: a prestation ended; its accounts must be deactivated. */
    'prestation.ended': { tenantId: string; contractorId: string; prestationId: string; reason: string };
    /** R-ART10: the data-destruction attestation of an ended prestation was received. */
    'prestation.attested': { tenantId: string; contractorId: string; prestationId: string; sha256: string };
    /** R-ART35 R-INT: a declaration names a person who will sign in; a listener may refuse it (409). */
    'contractor.person_named': { tenantId: string; contractorId: string; email: string; userId: string | null };
  }
}

export {};
