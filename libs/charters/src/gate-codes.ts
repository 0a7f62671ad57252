import type { SignatureProblem } from './signature-in-force';
import type { CompanyDocumentKind } from './types';

/** Each company document's codes, written out: the gate answers them, the console localises them, decisions map them. */
export const DOCUMENT_GATE_CODES = {
  charter: {
    NOT_PUBLISHED: 'CHARTER_NOT_PUBLISHED', NOT_SIGNED: 'CHARTER_NOT_SIGNED', PENDING_VALIDATION: 'CHARTER_PENDING_VALIDATION',
    REJECTED: 'CHARTER_REJECTED', RESIGN_OVERDUE: 'CHARTER_RESIGN_OVERDUE',
  },
  rgpd_clauses: {
    NOT_PUBLISHED: 'RGPD_CLAUSES_NOT_PUBLISHED', NOT_SIGNED: 'RGPD_CLAUSES_NOT_SIGNED',
    PENDING_VALIDATION: 'RGPD_CLAUSES_PENDING_VALIDATION', REJECTED: 'RGPD_CLAUSES_REJECTED', RESIGN_OVERDUE: 'RGPD_CLAUSES_RESIGN_OVERDUE',
  },
  security_referential: {
    NOT_PUBLISHED: 'SECURITY_REFERENTIAL_NOT_PUBLISHED', NOT_SIGNED: 'SECURITY_REFERENTIAL_NOT_SIGNED',
    PENDING_VALIDATION: 'SECURITY_REFERENTIAL_PENDING_VALIDATION', REJECTED: 'SECURITY_REFERENTIAL_REJECTED',
    RESIGN_OVERDUE: 'SECURITY_REFERENTIAL_RESIGN_OVERDUE',
  },
} as const satisfies Record<CompanyDocumentKind, Record<SignatureProblem, string>>;
export type DocumentGateCode = (typeof DOCUMENT_GATE_CODES)[CompanyDocumentKind][SignatureProblem];

/** What the gate of a company can answer (R-ART2, R-ART3, R-ART4). */
export type GateCode = 'CONTACTS_MISSING' | 'NO_RUNNING_PRESTATION' | 'PRIME_GATE_CLOSED' | DocumentGateCode;

/** A person's access convention: never signed and signed only on a version past its deadline read the same. */
export const CONVENTION_CODES = {
  NOT_PUBLISHED: 'CONVENTION_NOT_PUBLISHED', NOT_SIGNED: 'CONVENTION_MISSING', PENDING_VALIDATION: 'CONVENTION_PENDING_VALIDATION',
  REJECTED: 'CONVENTION_REJECTED', RESIGN_OVERDUE: 'CONVENTION_MISSING',
} as const satisfies Record<SignatureProblem, string>;
export type ConventionCode = (typeof CONVENTION_CODES)[SignatureProblem];
