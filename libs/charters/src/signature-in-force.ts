import type { IsoDate } from '@app/core';
import type { SignatureStatus } from './types';

/** A published version of a document, as the rule reads it. */
export interface VersionFacts {
  id: string;
  versionLabel: string;
  effectiveOn: IsoDate;
  createdAt: Date | string;
  resignDeadline: IsoDate | null;
}

/** One signature of a document of that kind (a company's or a person's), with the version it signs. */
export interface SignatureFacts {
  documentId: string;
  status: SignatureStatus;
  rejectReason: string | null;
  effectiveOn: IsoDate;
  createdAt: Date | string;
  versionLabel: string;
}

export const SIGNATURE_PROBLEMS = ['NOT_PUBLISHED', 'NOT_SIGNED', 'PENDING_VALIDATION', 'REJECTED', 'RESIGN_OVERDUE'] as const;
export type SignatureProblem = (typeof SIGNATURE_PROBLEMS)[number];

/**
 * In force: the signature that counts. Otherwise the problem, with the signature it is about: the version in
 * force's newest one (waiting or rejected), or the superseded one whose re-signature deadline has passed.
 */
export type SignatureInForce =
  | { problem: null; signature: SignatureFacts }
  | { problem: 'NOT_PUBLISHED' | 'NOT_SIGNED'; signature: null }
  | { problem: 'PENDING_VALIDATION' | 'REJECTED' | 'RESIGN_OVERDUE'; signature: SignatureFacts };

/**
 * R-ART2, the one rule (gate, readiness, decisions): a validated signature of the version in force; else one
 * of a superseded (truly earlier) version until the new version's deadline. `signatures` newest first.
 */
export function signatureInForce(current: VersionFacts | null, signatures: SignatureFacts[], today: IsoDate): SignatureInForce {
  if (!current) return { problem: 'NOT_PUBLISHED', signature: null };
  const validated = signatures.find((s) => s.documentId === current.id && s.status === 'validated');
  if (validated) return { problem: null, signature: validated };
  const superseded = signatures.find((s) => s.status === 'validated' && supersedes(current, s));
  const withinDeadline = !current.resignDeadline || today <= current.resignDeadline;
  if (superseded && withinDeadline) return { problem: null, signature: superseded };
  const latest = signatures.find((s) => s.documentId === current.id);
  if (latest?.status === 'submitted') return { problem: 'PENDING_VALIDATION', signature: latest };
  if (latest?.status === 'rejected') return { problem: 'REJECTED', signature: latest };
  if (superseded) return { problem: 'RESIGN_OVERDUE', signature: superseded };
  return { problem: 'NOT_SIGNED', signature: null };
}

/** Only an earlier version stands in for the one in force; a later one (not yet in force, or withdrawn) never does. */
function supersedes(current: VersionFacts, s: SignatureFacts): boolean {
  if (s.documentId === current.id) return false;
  if (s.effectiveOn !== current.effectiveOn) return s.effectiveOn < current.effectiveOn;
  return new Date(s.createdAt).getTime() < new Date(current.createdAt).getTime();
}
