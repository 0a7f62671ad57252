import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { conventionProblem } from '@app/accounts';
import type { ConventionCode, GateCode } from '@app/charters';
import { Clock, Db, DomainEvents, GatewayPrincipal, localDate } from '@app/core';
import { DecisionLookup } from './decision-lookup';
import { DecisionMetrics } from './decision-metrics';
import { DecisionRecorder } from './decision-recorder';
import { DecisionStandings } from './decision-standings';
import { LookupRow } from './decisions.repository';
import './events';
import { InterventionsRepository } from './interventions.repository';

export const REASON_CODES = [
  'UNKNOWN_ACCOUNT', 'UNKNOWN_RESOURCE', 'CONTRACTOR_GATE_CLOSED', 'CONTACTS_MISSING', 'CONVENTION_MISSING', 'ACCOUNT_NOT_ACTIVE',
  'ACCOUNT_SUSPENDED', 'ACCOUNT_DEACTIVATED', 'MFA_NOT_ENROLLED', 'PRESTATION_ENDED', 'OUT_OF_SCOPE', 'NO_APPROVED_WINDOW',
  'DEROGATION_MISSING',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export class DecisionView {
  @ApiProperty({ enum: ['allow', 'deny'] }) decision: 'allow' | 'deny';
  @ApiProperty({ enum: REASON_CODES, isArray: true, description: 'Every reason that applies (empty on allow)' })
  reasons: ReasonCode[];
  @ApiPropertyOptional({ format: 'uuid' }) interventionId?: string;
  @ApiPropertyOptional({ description: 'The instant the access must end: the end of the window' }) validUntil?: string;
  @ApiPropertyOptional({ format: 'uuid' }) accountId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) resourceId?: string;
}

export interface DecisionInput {
  account: string;
  resource: string;
  at?: Date;
  accessType?: 'remote' | 'onsite';
}

/** How far a gateway's `at` may drift from this clock and still mean "now". */
const PRESENT_SKEW_MS = 60_000;

/** The gate's and the convention's detailed codes, as the gateway needs them (the compiler checks every code is mapped). */
export function gateReason(code: GateCode | ConventionCode): ReasonCode {
  switch (code) {
    case 'CONTACTS_MISSING':
      return 'CONTACTS_MISSING';
    case 'NO_RUNNING_PRESTATION':
      return 'PRESTATION_ENDED';
    case 'CONVENTION_NOT_PUBLISHED': case 'CONVENTION_MISSING': case 'CONVENTION_PENDING_VALIDATION': case 'CONVENTION_REJECTED':
      return 'CONVENTION_MISSING';
    case 'PRIME_GATE_CLOSED':
    case 'CHARTER_NOT_PUBLISHED': case 'CHARTER_NOT_SIGNED': case 'CHARTER_PENDING_VALIDATION': case 'CHARTER_REJECTED':
    case 'CHARTER_RESIGN_OVERDUE':
    case 'RGPD_CLAUSES_NOT_PUBLISHED': case 'RGPD_CLAUSES_NOT_SIGNED': case 'RGPD_CLAUSES_PENDING_VALIDATION': case 'RGPD_CLAUSES_REJECTED':
    case 'RGPD_CLAUSES_RESIGN_OVERDUE':
    case 'SECURITY_REFERENTIAL_NOT_PUBLISHED': case 'SECURITY_REFERENTIAL_NOT_SIGNED': case 'SECURITY_REFERENTIAL_PENDING_VALIDATION':
    case 'SECURITY_REFERENTIAL_REJECTED': case 'SECURITY_REFERENTIAL_RESIGN_OVERDUE':
      return 'CONTRACTOR_GATE_CLOSED';
  }
}

/**
 * R-ART36 access decision, the hot path: "may account A reach resource R now?" Allow only when every rule holds; a deny
 * lists every reason. Read fresh per question (DecisionLookup) or from short caches (DecisionStandings): docs/adr/access-decision-path.md.
 */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly db: Db,
    private readonly lookups: DecisionLookup,
    private readonly standings: DecisionStandings,
    private readonly recorder: DecisionRecorder,
    private readonly metrics: DecisionMetrics,
    private readonly windows: InterventionsRepository,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async decide(gateway: GatewayPrincipal, input: DecisionInput): Promise<DecisionView> {
    const now = this.clock.now();
    const at = input.at ?? now;
    const tenantId = gateway.tenantId;
    const timezone = await this.standings.timezone(tenantId);
    const today = localDate(at, timezone);
    const { account, resource } = input;
    const row = await this.lookups.find({ tenantId, account, resource, accessType: input.accessType ?? 'remote', today, at });
    const reasons: ReasonCode[] = [];
    if (!row.accountId) reasons.push('UNKNOWN_ACCOUNT');
    if (!row.resourceId) reasons.push('UNKNOWN_RESOURCE');
    if (row.accountId) {
      if (row.status === 'deactivated' || row.status === 'rejected') reasons.push('ACCOUNT_DEACTIVATED');
      else if (row.status === 'suspended') reasons.push('ACCOUNT_SUSPENDED');
      else if (row.status !== 'active') reasons.push('ACCOUNT_NOT_ACTIVE');
      if (!row.mfa) reasons.push('MFA_NOT_ENROLLED');
      for (const r of await this.standingOf(tenantId, row, at, localDate(now, timezone))) if (!reasons.includes(r)) reasons.push(r);
      if (row.resourceId && !row.inScope) reasons.push('OUT_OF_SCOPE');
    }
    if (!row.interventionId) reasons.push('NO_APPROVED_WINDOW');
    const allow = reasons.length === 0;
    const decision: DecisionView = allow
      ? { decision: 'allow', reasons: [], interventionId: row.interventionId!, validUntil: new Date(row.endsAt!).toISOString() }
      : { decision: 'deny', reasons };
    if (row.accountId) decision.accountId = row.accountId;
    if (row.resourceId) decision.resourceId = row.resourceId;
    this.recorder.record({
      tenantId, apiKeyId: gateway.apiKeyId, decidedAt: now, at, accountRef: input.account, resourceRef: input.resource,
      accountId: row.accountId, resourceId: row.resourceId, decision: decision.decision, reasons, interventionId: row.interventionId,
      validUntil: allow ? new Date(row.endsAt!) : null,
    });
    this.metrics.count(decision.decision, reasons);
    // An allow about the present is an access: it starts the intervention. One about another instant (a gateway checking
    // ahead, or looking back) is only a question, and must not tell the referents that work began.
    if (allow && !row.startedAt && Math.abs(at.getTime() - now.getTime()) <= PRESENT_SKEW_MS) await this.markStarted(tenantId, row, now);
    return decision;
  }

  /** The account's standing on the tenant's `today` (gate, contacts, prestation, convention), plus a shared account's derogation. */
  private async standingOf(tenantId: string, row: LookupRow, at: Date, today: string): Promise<ReasonCode[]> {
    const contractorId = row.contractorId!;
    const [contractor, current] = await Promise.all([
      this.standings.contractorGate(tenantId, contractorId),
      this.standings.conventionInForce(tenantId, today),
    ]);
    const reasons: ReasonCode[] = [];
    for (const missing of contractor.missing) {
      const reason = gateReason(missing.code);
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    }
    if (contractor.conventionRequired) {
      const problem = conventionProblem(current, row.conventions ?? [], today, { firstName: row.firstName!, lastName: row.lastName! });
      const reason = problem && gateReason(problem.code);
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    }
    if (row.shared && !(await this.standings.sharedAccountCovered(tenantId, contractorId, at))) reasons.push('DEROGATION_MISSING');
    return reasons;
  }

  /** R-ART36: the first allowed access starts the window; the referents and the DSI hear of it (InterventionNotifications). */
  private async markStarted(tenantId: string, row: LookupRow, now: Date): Promise<void> {
    await this.db.transaction(async () => {
      const claimed = await this.windows.claimStart(row.interventionId!, now);
      if (!claimed) return;
      await this.events.emit('intervention.started', {
        tenantId, interventionId: row.interventionId!, contractorId: claimed.contractorId, nature: claimed.nature,
        accountId: row.accountId!, resourceId: row.resourceId!, at: now,
      });
    });
  }
}
