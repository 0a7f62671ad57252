/** The charters library's domain events (merged into core's map). */
declare module '@app/core' {
  interface DomainEventMap {
    /** R-ART2: a signature was validated (a person's convention when accountId is set). */
    'signature.validated': { tenantId: string; contractorId: string; accountId: string | null; signatureId: string };
    /** R-ART2: a signed document came back; the DSI is to decide. */
    'signature.submitted': { tenantId: string; contractorId: string; signatureId: string; documentId: string; signer: string };
    /** R-ART2: the DSI validated or rejected a signature. */
    'signature.decided': {
      tenantId: string; contractorId: string; signatureId: string; documentId: string;
      status: 'validated' | 'rejected'; reason: string | null;
    };
  }
}

export {};
