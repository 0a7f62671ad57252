import { Injectable } from '@nestjs/common';
import { IsoDate } from '@app/core';
import {
  CONVENTION_CODES, ConventionCode, DocumentsService, GateCode, GateService, SignatureFacts, signatureInForce, SignaturesService,
  VersionFacts,
} from '@app/charters';
import { PrestationsService } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { AccountsRepository } from './accounts.repository';
import { AccountEntity } from './entities';

/** The access convention in force in a tenant (the version the rule reads). */
export type ConventionInForce = VersionFacts;
/** One of a person's access convention signatures, with the version it signs. */
export type ConventionSignature = SignatureFacts;

/** What stands between an approved account and its activation. */
export interface ReadinessProblem {
  code: GateCode | ConventionCode | 'MFA_NOT_ENROLLED';
  detail: string;
}

/**
 * R-ART28 / R-ART2: what is wrong with a person's access convention (signatures newest first), by the one rule of the
 * signature in force (signatureInForce); null when it holds. Shared by AccountReadiness and the access decisions.
 */
export function conventionProblem(
  current: ConventionInForce | null, signatures: ConventionSignature[], today: IsoDate, person: { firstName: string; lastName: string },
): { code: ConventionCode; detail: string } | null {
  const found = signatureInForce(current, signatures, today);
  if (found.problem === null) return null;
  const code = CONVENTION_CODES[found.problem];
  switch (found.problem) {
    case 'NOT_PUBLISHED':
      return { code, detail: 'The establishment has not published its access convention yet' };
    case 'PENDING_VALIDATION':
      return { code, detail: 'The signed access convention waits for the DSI' };
    case 'REJECTED':
      return { code, detail: `The signed access convention was rejected: ${found.signature.rejectReason}` };
    case 'NOT_SIGNED':
    case 'RESIGN_OVERDUE':
      return {
        code, detail: `${person.firstName} ${person.lastName} has not signed the access convention (version ${current?.versionLabel})`,
      };
  }
}

/**
 * R-ART28 + R-ART2 for one person: what still stands between an approved account and its activation: the contractor's
 * gate (GateService), the person's access convention in force (when a running prestation reaches the SI), TOTP enrolled.
 */
@Injectable()
export class AccountReadiness {
  constructor(
    private readonly gate: GateService,
    private readonly prestations: PrestationsService,
    private readonly calendar: TenantCalendar,
    private readonly accounts: AccountsRepository,
    private readonly documents: DocumentsService,
    private readonly signatures: SignaturesService,
  ) {}

  async missing(account: AccountEntity): Promise<ReadinessProblem[]> {
    const missing: ReadinessProblem[] = [...(await this.gate.evaluate(account.tenantId, account.contractorId)).missing];
    const today = await this.calendar.today(account.tenantId);
    const running = await this.prestations.running(account.contractorId, today);
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
  conventionInForce(tenantId: string, today: IsoDate): Promise<ConventionInForce | null> {
    return this.documents.current(tenantId, 'access_convention', today);
  }

  private async conventionProblem(account: AccountEntity, today: IsoDate): Promise<ReadinessProblem | null> {
    const current = await this.conventionInForce(account.tenantId, today);
    if (!current) return conventionProblem(null, [], today, account);
    return conventionProblem(current, await this.signatures.conventionSignatures(account.id), today, account);
  }
}
