import type { IsoDate } from '@app/core';
import type { ContractorStanding } from '@app/contractors';
import { DOCUMENT_GATE_CODES, GateCode } from './gate-codes';
import { SignatureFacts, signatureInForce, VersionFacts } from './signature-in-force';
import type { CompanyDocumentKind } from './types';

/** One thing that keeps a company's gate closed. */
export interface GateProblem {
  code: GateCode;
  detail: string;
}

/** Everything the gate reads about some companies on one day. */
export interface GateFacts {
  standings: Map<string, ContractorStanding>;
  current: Map<CompanyDocumentKind, VersionFacts | null>;
  /** By `${contractorId}|${kind}`, newest first. */
  signatures: Map<string, SignatureFacts[]>;
}

const LABEL: Record<CompanyDocumentKind, string> = {
  charter: 'the contractor charter',
  rgpd_clauses: 'the RGPD subcontracting clauses',
  security_referential: 'the security referential',
};
const CONTACT_NAMES = { legal_rep: 'legal representative', security_contact: 'security contact', security_deputy: 'security deputy' };
const REQUIRED_CONTACTS = ['legal_rep', 'security_contact', 'security_deputy'] as const;

/** R-ART3 contacts, a running prestation, and each document the running prestations require (R-ART2). */
export function missingOf(facts: GateFacts, contractorId: string, today: IsoDate): GateProblem[] {
  const missing: GateProblem[] = [];
  const { contactRoles = [], running = [] } = facts.standings.get(contractorId) ?? {};
  const absent = REQUIRED_CONTACTS.filter((r) => !contactRoles.includes(r));
  if (absent.length) {
    missing.push({ code: 'CONTACTS_MISSING', detail: `Not declared: ${absent.map((r) => CONTACT_NAMES[r]).join(', ')} (Art. 3)` });
  }
  if (!running.length) missing.push({ code: 'NO_RUNNING_PRESTATION', detail: 'No prestation of this contractor is running today' });
  const required: CompanyDocumentKind[] = ['charter'];
  if (running.some((p) => p.requireRgpdClauses)) required.push('rgpd_clauses');
  if (running.some((p) => p.requireSecurityReferential)) required.push('security_referential');
  for (const kind of required) {
    const problem = documentProblem(kind, facts.current.get(kind) ?? null, facts.signatures.get(`${contractorId}|${kind}`) ?? [], today);
    if (problem) missing.push(problem);
  }
  return missing;
}

/** What is wrong with a company document (null: its signature in force holds), in the gate's words. */
export function documentProblem(
  kind: CompanyDocumentKind, current: VersionFacts | null, signatures: SignatureFacts[], today: IsoDate,
): GateProblem | null {
  const found = signatureInForce(current, signatures, today);
  if (found.problem === null) return null;
  const code = DOCUMENT_GATE_CODES[kind][found.problem];
  const label = LABEL[kind];
  const version = current?.versionLabel;
  switch (found.problem) {
    case 'NOT_PUBLISHED':
      return { code, detail: `The establishment has not published ${label} yet` };
    case 'RESIGN_OVERDUE':
      return {
        code,
        detail: `Version ${version} of ${label} had to be signed by ${current?.resignDeadline}; `
          + `only version ${found.signature.versionLabel} is signed`,
      };
    case 'PENDING_VALIDATION':
      return { code, detail: `The signed copy of ${label} (version ${version}) waits for the DSI's validation` };
    case 'REJECTED':
      return { code, detail: `The signed copy of ${label} (version ${version}) was rejected: ${found.signature.rejectReason}` };
    case 'NOT_SIGNED':
      return { code, detail: `${capitalise(label)} (version ${version}) is not signed by the legal representative` };
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
