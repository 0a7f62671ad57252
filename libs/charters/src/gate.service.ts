import { Injectable } from '@nestjs/common';
import { Db, Principal } from '@app/core';
import { ContractorAccess, ContractorsRepository } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { DocumentsService } from './documents.service';
import { DocumentEntity, DocumentKind } from './entities';
import { GateMissing, GateView } from './views';

const LABEL: Record<DocumentKind, string> = {
  charter: 'the contractor charter',
  access_convention: 'the access convention',
  rgpd_clauses: 'the RGPD subcontracting clauses',
  security_referential: 'the security referential',
};
const CODE: Record<DocumentKind, string> = {
  charter: 'CHARTER',
  access_convention: 'CONVENTION',
  rgpd_clauses: 'RGPD_CLAUSES',
  security_referential: 'SECURITY_REFERENTIAL',
};

interface SignatureRow {
  document_id: string;
  status: 'submitted' | 'validated' | 'rejected';
  reject_reason: string | null;
  effective_on: string;
  created_at: Date;
  version_label: string;
}

/**
 * R-ART2 / R-ART3: the one answer to "may this contractor have access?" Accounts, windows and
 * access decisions call it; nothing else re-implements the rule. It lists everything missing:
 *
 * - the legal representative, the security contact and the deputy are declared (R-ART3);
 * - a prestation is running;
 * - every document the running prestations require (the charter always; the RGPD clauses and
 *   the security referential when the DSI requires them) is signed and validated in its version
 *   in force, or in an earlier version while the new version's re-signature deadline has not
 *   passed (a new version without a deadline does not require signing again);
 * - for a subcontractor, its prime's gate is open too (R-ART4: the prime stays answerable).
 */
@Injectable()
export class GateService {
  constructor(
    private readonly db: Db,
    private readonly contractors: ContractorsRepository,
    private readonly access: ContractorAccess,
    private readonly documents: DocumentsService,
    private readonly calendar: TenantCalendar,
  ) {}

  async forContractor(principal: Principal, contractorId: string): Promise<GateView> {
    const contractor = await this.access.require(principal, contractorId, 'read');
    return this.evaluate(contractor.tenantId, contractorId);
  }

  async evaluate(tenantId: string, contractorId: string): Promise<GateView> {
    const today = await this.calendar.today(tenantId);
    const missing = await this.missingFor(tenantId, contractorId, today);
    const contractor = await this.contractors.contractors.findOneBy({ id: contractorId, tenantId });
    if (contractor?.primeContractorId) {
      const prime = await this.missingFor(tenantId, contractor.primeContractorId, today);
      if (prime.length) {
        missing.push({ code: 'PRIME_GATE_CLOSED', detail: `The prime contractor's access is closed: ${prime.map((m) => m.code).join(', ')}` });
      }
    }
    return { open: missing.length === 0, missing };
  }

  private async missingFor(tenantId: string, contractorId: string, today: string): Promise<GateMissing[]> {
    const missing: GateMissing[] = [];
    const contacts = await this.contractors.contactsOf(contractorId);
    const absent = (['legal_rep', 'security_contact', 'security_deputy'] as const).filter((r) => !contacts.some((c) => c.role === r));
    if (absent.length) {
      const names = { legal_rep: 'legal representative', security_contact: 'security contact', security_deputy: 'security deputy' };
      missing.push({ code: 'CONTACTS_MISSING', detail: `Not declared: ${absent.map((r) => names[r]).join(', ')} (Art. 3)` });
    }
    const running = await this.contractors.runningPrestations(contractorId, today);
    if (!running.length) {
      missing.push({ code: 'NO_RUNNING_PRESTATION', detail: 'No prestation of this contractor is running today' });
    }
    const required: DocumentKind[] = ['charter'];
    if (running.some((p) => p.requireRgpdClauses)) required.push('rgpd_clauses');
    if (running.some((p) => p.requireSecurityReferential)) required.push('security_referential');
    for (const kind of required) {
      const problem = await this.documentProblem(tenantId, contractorId, kind, today);
      if (problem) missing.push(problem);
    }
    return missing;
  }

  private async documentProblem(tenantId: string, contractorId: string, kind: DocumentKind, today: string): Promise<GateMissing | null> {
    const current = await this.documents.current(tenantId, kind, today);
    const code = CODE[kind];
    if (!current) {
      return { code: `${code}_NOT_PUBLISHED`, detail: `The establishment has not published ${LABEL[kind]} yet` };
    }
    const signatures = await this.db.query<SignatureRow>(
      `SELECT s.document_id, s.status, s.reject_reason, d.effective_on, d.created_at, d.version_label
         FROM signatures s JOIN documents d ON d.id = s.document_id
        WHERE s.contractor_id = $1 AND s.account_id IS NULL AND d.kind = $2
        ORDER BY s.submitted_at DESC`,
      [contractorId, kind],
    );
    if (signatures.some((s) => s.document_id === current.id && s.status === 'validated')) return null;
    const earlierValidated = signatures.find((s) => s.status === 'validated' && isEarlier(s, current));
    if (earlierValidated) {
      if (!current.resignDeadline || today <= current.resignDeadline) return null;
      return {
        code: `${code}_RESIGN_OVERDUE`,
        detail: `Version ${current.versionLabel} of ${LABEL[kind]} had to be signed by ${current.resignDeadline}; only version ${earlierValidated.version_label} is signed`,
      };
    }
    const latest = signatures.find((s) => s.document_id === current.id);
    if (latest?.status === 'submitted') {
      return { code: `${code}_PENDING_VALIDATION`, detail: `The signed ${LABEL[kind]} (version ${current.versionLabel}) waits for the DSI's validation` };
    }
    if (latest?.status === 'rejected') {
      return { code: `${code}_REJECTED`, detail: `The signed ${LABEL[kind]} (version ${current.versionLabel}) was rejected: ${latest.reject_reason}` };
    }
    return { code: `${code}_NOT_SIGNED`, detail: `${capitalise(LABEL[kind])} (version ${current.versionLabel}) is not signed by the legal representative` };
  }
}

function isEarlier(s: SignatureRow, current: DocumentEntity): boolean {
  return s.document_id !== current.id && (s.effective_on < current.effectiveOn ||
    (s.effective_on === current.effectiveOn && new Date(s.created_at) < current.createdAt));
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
