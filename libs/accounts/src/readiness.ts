import { Injectable } from '@nestjs/common';
import { Db, IsoDate } from '@app/core';
import { GateMissing, GateService } from '@app/charters';
import { ContractorsRepository } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { AccountsRepository } from './accounts.repository';
import { AccountEntity } from './entities';

export interface ConventionInForce {
  id: string;
  version_label: string;
  resign_deadline: IsoDate | null;
}

export interface ConventionSignature {
  document_id: string;
  status: string;
  reject_reason: string | null;
}

/**
 * R-ART28 / R-ART2: what is wrong with a person's access convention, from the version in force and
 * the person's signatures (newest first); null when it is in order. The one rule, shared by
 * AccountReadiness and the access decisions (which read the signatures in their own query).
 */
export function conventionProblem(
  current: ConventionInForce | null, signatures: ConventionSignature[], today: IsoDate, person: { firstName: string; lastName: string },
): GateMissing | null {
  if (!current) return { code: 'CONVENTION_NOT_PUBLISHED', detail: 'The establishment has not published its access convention yet' };
  if (signatures.some((s) => s.document_id === current.id && s.status === 'validated')) return null;
  const earlier = signatures.some((s) => s.document_id !== current.id && s.status === 'validated');
  if (earlier && (!current.resign_deadline || today <= current.resign_deadline)) return null;
  const latest = signatures.find((s) => s.document_id === current.id);
  if (latest?.status === 'submitted') return { code: 'CONVENTION_PENDING_VALIDATION', detail: 'The signed access convention waits for the DSI' };
  if (latest?.status === 'rejected') return { code: 'CONVENTION_REJECTED', detail: `The signed access convention was rejected: ${latest.reject_reason}` };
  return { code: 'CONVENTION_MISSING', detail: `${person.firstName} ${person.lastName} has not signed the access convention (version ${current.version_label})` };
}

/**
 * R-ART28 + R-ART2 for one person: what still stands between an approved account and its activation: the contractor's
 * gate (GateService), the person's access convention in force (when a running prestation reaches the SI), TOTP enrolled.
 */
@Injectable()
export class AccountReadiness {
  constructor(
    private readonly db: Db,
    private readonly gate: GateService,
    private readonly contractors: ContractorsRepository,
    private readonly calendar: TenantCalendar,
    private readonly accounts: AccountsRepository,
  ) {}

  async missing(account: AccountEntity): Promise<GateMissing[]> {
    const missing = [...(await this.gate.evaluate(account.tenantId, account.contractorId)).missing];
    const today = await this.calendar.today(account.tenantId);
    const running = await this.contractors.runningPrestations(account.contractorId, today);
    if (running.some((p) => p.accessMode !== 'saas')) {
      const convention = await this.conventionProblem(account, today);
      if (convention) missing.push(convention);
    }
    if (!account.userId || !(await this.accounts.mfaEnrolled(account.userId))) {
      missing.push({ code: 'MFA_NOT_ENROLLED', detail: 'The person has not enrolled TOTP yet (first sign-in)' });
    }
    return missing;
  }

  /** The access convention in force in the tenant on that day (null: none published yet). */
  async conventionInForce(tenantId: string, today: IsoDate): Promise<ConventionInForce | null> {
    const [current] = await this.db.query<ConventionInForce>(
      `SELECT id, version_label, resign_deadline FROM documents
        WHERE tenant_id = $1 AND kind = 'access_convention' AND withdrawn_at IS NULL AND effective_on <= $2
        ORDER BY effective_on DESC, created_at DESC LIMIT 1`,
      [tenantId, today],
    );
    return current ?? null;
  }

  private async conventionProblem(account: AccountEntity, today: IsoDate): Promise<GateMissing | null> {
    const current = await this.conventionInForce(account.tenantId, today);
    if (!current) return conventionProblem(null, [], today, account);
    const signatures = await this.db.query<ConventionSignature>(
      `SELECT s.document_id, s.status, s.reject_reason FROM signatures s
        WHERE s.account_id = $1 ORDER BY s.submitted_at DESC`,
      [account.id],
    );
    return conventionProblem(current, signatures, today, account);
  }
}
