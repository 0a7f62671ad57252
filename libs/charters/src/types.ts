export type DocumentKind = 'charter' | 'access_convention' | 'rgpd_clauses' | 'security_referential';
export const DOCUMENT_KINDS: DocumentKind[] = ['charter', 'access_convention', 'rgpd_clauses', 'security_referential'];
/** Signed once per company by its legal representative; conventions are signed per person (accounts). */
export type CompanyDocumentKind = Exclude<DocumentKind, 'access_convention'>;
export const COMPANY_DOCUMENT_KINDS: CompanyDocumentKind[] = ['charter', 'rgpd_clauses', 'security_referential'];
export const isCompanyDocument = (kind: DocumentKind): kind is CompanyDocumentKind => kind !== 'access_convention';

export type SignatureStatus = 'submitted' | 'validated' | 'rejected';
export const SIGNATURE_STATUSES: SignatureStatus[] = ['submitted', 'validated', 'rejected'];

export interface SignatureFilter {
  status?: SignatureStatus;
  documentId?: string;
  accountId?: string;
}
