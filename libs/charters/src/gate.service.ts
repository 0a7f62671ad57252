import { Injectable } from '@nestjs/common';
import { Db, Principal } from '@app/core';
import { ContractorAccess } from '@app/contractors';
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
    private readonly access: ContractorAccess,
    private readonly documents: DocumentsService,
    private readonly calendar: TenantCalendar,
  ) {}

  async forContractor(principal: Principal, contractorId: string): Promise<GateView> {
    const contractor = await this.access.require(principal, contractorId, 'read');
    return this.evaluate(contractor.tenantId, contractorId);
  }

  async evaluate(tenantId: string, contractorId: string): Promise<GateView> {
    const { open, missing } = (await this.evaluateMany(tenantId, [contractorId])).get(contractorId)!;
    return { open, missing };
  }

  /**
   * The gates of several contractors of a tenant, by the same rule as `evaluate`, read in a fixed
   * number of queries whatever their number (the access decisions refresh many at once). Each also
   * tells the access modes of its running prestations (a person needs a convention when one reaches the SI).
   */
  async evaluateMany(tenantId: string, contractorIds: string[]): Promise<Map<string, GateAssessment>> {
    const today = await this.calendar.today(tenantId);
    const ids = [...new Set(contractorIds)];
    const primes = new Map((await this.db.query<{ id: string; prime_contractor_id: string | null }>(
      `SELECT id, prime_contractor_id FROM contractors WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, ids],
    )).map((c) => [c.id, c.prime_contractor_id]));
    const facts = await this.facts(tenantId, [...new Set([...ids, ...[...primes.values()].filter((p): p is string => p !== null)])], today);
    const result = new Map<string, GateAssessment>();
    for (const id of ids) {
      const missing = missingFor(facts, id, today);
      const prime = primes.get(id);
      if (prime) {
        const primeMissing = missingFor(facts, prime, today);
        if (primeMissing.length) {
          missing.push({ code: 'PRIME_GATE_CLOSED', detail: `The prime contractor's access is closed: ${primeMissing.map((m) => m.code).join(', ')}` });
        }
      }
      result.set(id, { open: missing.length === 0, missing, runningAccessModes: (facts.running.get(id) ?? []).map((p) => p.access_mode) });
    }
    return result;
  }

  /** Everything the rule reads about these contractors, on the tenant's `today`. */
  private async facts(tenantId: string, contractorIds: string[], today: string): Promise<GateFacts> {
    const contacts = groupBy(await this.db.query<{ contractor_id: string; role: string }>(
      `SELECT contractor_id, role FROM contractor_contacts WHERE contractor_id = ANY($1::uuid[])`, [contractorIds],
    ));
    const running = groupBy(await this.db.query<RunningRow>(
      `SELECT contractor_id, access_mode, require_rgpd_clauses, require_security_referential FROM prestations
        WHERE contractor_id = ANY($1::uuid[]) AND starts_on <= $2 AND (ends_on IS NULL OR ends_on >= $2) AND ended_at IS NULL`,
      [contractorIds, today],
    ));
    const kinds = new Set<DocumentKind>(['charter']);
    for (const list of running.values()) {
      if (list.some((p) => p.require_rgpd_clauses)) kinds.add('rgpd_clauses');
      if (list.some((p) => p.require_security_referential)) kinds.add('security_referential');
    }
    const current = new Map<DocumentKind, DocumentEntity | null>();
    for (const kind of kinds) current.set(kind, await this.documents.current(tenantId, kind, today));
    const signatures = groupBy((await this.db.query<SignatureRow & { contractor_id: string; kind: DocumentKind }>(
      `SELECT s.contractor_id, d.kind, s.document_id, s.status, s.reject_reason, d.effective_on, d.created_at, d.version_label
         FROM signatures s JOIN documents d ON d.id = s.document_id
        WHERE s.contractor_id = ANY($1::uuid[]) AND s.account_id IS NULL AND d.kind = ANY($2::text[])
        ORDER BY s.submitted_at DESC`,
      [contractorIds, [...kinds]],
    )).map((row) => ({ ...row, contractor_id: `${row.contractor_id}|${row.kind}` })));
    return { contacts, running, current, signatures };
  }
}

export interface GateAssessment extends GateView {
  /** The access modes of the contractor's running prestations. */
  runningAccessModes: string[];
}

interface RunningRow {
  contractor_id: string;
  access_mode: string;
  require_rgpd_clauses: boolean;
  require_security_referential: boolean;
}

interface GateFacts {
  contacts: Map<string, { role: string }[]>;
  running: Map<string, RunningRow[]>;
  current: Map<DocumentKind, DocumentEntity | null>;
  /** By `${contractorId}|${kind}`, newest first. */
  signatures: Map<string, SignatureRow[]>;
}

function groupBy<T extends { contractor_id: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.contractor_id);
    if (list) list.push(row);
    else groups.set(row.contractor_id, [row]);
  }
  return groups;
}

function missingFor(facts: GateFacts, contractorId: string, today: string): GateMissing[] {
  const missing: GateMissing[] = [];
  const contacts = facts.contacts.get(contractorId) ?? [];
  const absent = (['legal_rep', 'security_contact', 'security_deputy'] as const).filter((r) => !contacts.some((c) => c.role === r));
  if (absent.length) {
    const names = { legal_rep: 'legal representative', security_contact: 'security contact', security_deputy: 'security deputy' };
    missing.push({ code: 'CONTACTS_MISSING', detail: `Not declared: ${absent.map((r) => names[r]).join(', ')} (Art. 3)` });
  }
  const running = facts.running.get(contractorId) ?? [];
  if (!running.length) {
    missing.push({ code: 'NO_RUNNING_PRESTATION', detail: 'No prestation of this contractor is running today' });
  }
  const required: DocumentKind[] = ['charter'];
  if (running.some((p) => p.require_rgpd_clauses)) required.push('rgpd_clauses');
  if (running.some((p) => p.require_security_referential)) required.push('security_referential');
  for (const kind of required) {
    const problem = documentProblem(facts.current.get(kind) ?? null, facts.signatures.get(`${contractorId}|${kind}`) ?? [], kind, today);
    if (problem) missing.push(problem);
  }
  return missing;
}

function documentProblem(current: DocumentEntity | null, signatures: SignatureRow[], kind: DocumentKind, today: string): GateMissing | null {
  const code = CODE[kind];
  if (!current) {
    return { code: `${code}_NOT_PUBLISHED`, detail: `The establishment has not published ${LABEL[kind]} yet` };
  }
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

function isEarlier(s: SignatureRow, current: DocumentEntity): boolean {
  return s.document_id !== current.id && (s.effective_on < current.effectiveOn ||
    (s.effective_on === current.effectiveOn && new Date(s.created_at) < current.createdAt));
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
