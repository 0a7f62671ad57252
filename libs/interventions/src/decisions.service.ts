import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AccountReadiness, ConventionInForce, conventionProblem } from '@app/accounts';
import { ConventionCode, GateCode, GateService } from '@app/charters';
import { Clock, Db, DomainEvents, GatewayPrincipal, localDate, Role } from '@app/core';
import { Directory } from '@app/contractors';
import { DerogationsService } from '@app/derogations';
import { TenantsRepository } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { DecisionLookup, LookupRow } from './decision-lookup';
import { DecisionMetrics } from './decision-metrics';
import { DecisionRecorder } from './decision-recorder';
import { InterventionsService } from './interventions.service';

export const DECISION_CACHE_MS = Symbol('DECISION_CACHE_MS');

export const REASON_CODES = [
  'UNKNOWN_ACCOUNT', 'UNKNOWN_RESOURCE', 'CONTRACTOR_GATE_CLOSED', 'CONTACTS_MISSING', 'CONVENTION_MISSING', 'ACCOUNT_NOT_ACTIVE',
  'ACCOUNT_SUSPENDED', 'ACCOUNT_DEACTIVATED', 'MFA_NOT_ENROLLED', 'PRESTATION_ENDED', 'OUT_OF_SCOPE', 'NO_APPROVED_WINDOW',
  'DEROGATION_MISSING',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export class DecisionView {
  @ApiProperty({ enum: ['allow', 'deny'] }) decision: 'allow' | 'deny';
  @ApiProperty({ enum: REASON_CODES, isArray: true, description: 'Every reason that applies (empty on allow)' }) reasons: ReasonCode[];
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

type Row = LookupRow;

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

/** What a contractor's accounts share: its gate (contacts, running prestation, charter...) and whether conventions are required. */
interface ContractorStanding {
  reasons: ReasonCode[];
  conventionRequired: boolean;
}

type Cache<T> = Map<string, { value: Promise<T>; expires: number; refreshing?: boolean }>;

/**
 * R-ART36 access decision, the hot path: "may account A reach resource R now?" Allow only when
 * every rule holds; a deny lists every reason. One SQL statement (DecisionLookup, shared by the
 * questions asked at the same moment) answers the account (status, TOTP, its convention
 * signatures), the resource, the scope and the window. What changes slowly
 * and is shared comes from a short cache (DECISION_CACHE_MS): the contractor's gate (per
 * contractor), the access convention in force (per tenant), shared-account derogations (per
 * contractor). Suspensions, deactivations, habilitations, windows and the person's own
 * convention are read in the SQL, so they take effect at once.
 */
@Injectable()
export class DecisionsService implements OnModuleInit {
  private readonly contractorStandings: Cache<ContractorStanding> = new Map();
  private readonly conventionsInForce: Cache<ConventionInForce | null> = new Map();
  private readonly sharedAccountCover: Cache<boolean> = new Map();
  /** Tenant -> contractor -> the decisions waiting for its standing (refreshed together). */
  private standingQueue = new Map<string, Map<string, { resolve: (s: ContractorStanding) => void; reject: (e: unknown) => void }[]>>();
  private standingsRefreshing = false;
  private readonly timezones = new Map<string, { tz: string; expires: number }>();

  constructor(
    private readonly db: Db,
    private readonly lookups: DecisionLookup,
    private readonly readiness: AccountReadiness,
    private readonly gate: GateService,
    private readonly derogations: DerogationsService,
    private readonly tenants: TenantsRepository,
    private readonly recorder: DecisionRecorder,
    private readonly metrics: DecisionMetrics,
    private readonly interventions: InterventionsService,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    @Inject(DECISION_CACHE_MS) private readonly cacheMs: number,
  ) {}

  onModuleInit(): void {
    // Changes made in this process are seen once committed; other processes see them within cacheMs.
    this.events.on('signature.validated', async () => this.db.afterCommit(() => this.clearStandings()));
    this.events.on('prestation.ended', async () => this.db.afterCommit(() => this.clearStandings()));
  }

  async decide(gateway: GatewayPrincipal, input: DecisionInput): Promise<DecisionView> {
    const now = this.clock.now();
    const at = input.at ?? now;
    const tenantId = gateway.tenantId;
    const timezone = await this.timezone(tenantId);
    const today = localDate(at, timezone);
    const row = await this.lookups.find({ tenantId, account: input.account, resource: input.resource, accessType: input.accessType ?? 'remote', today, at });
    const reasons: ReasonCode[] = [];
    if (!row.account_id) reasons.push('UNKNOWN_ACCOUNT');
    if (!row.resource_id) reasons.push('UNKNOWN_RESOURCE');
    if (row.account_id) {
      if (row.status === 'deactivated' || row.status === 'rejected') reasons.push('ACCOUNT_DEACTIVATED');
      else if (row.status === 'suspended') reasons.push('ACCOUNT_SUSPENDED');
      else if (row.status !== 'active') reasons.push('ACCOUNT_NOT_ACTIVE');
      if (!row.mfa) reasons.push('MFA_NOT_ENROLLED');
      for (const r of await this.standingOf(tenantId, row, at, localDate(now, timezone))) if (!reasons.includes(r)) reasons.push(r);
      if (row.resource_id && !row.in_scope) reasons.push('OUT_OF_SCOPE');
    }
    if (!row.intervention_id) reasons.push('NO_APPROVED_WINDOW');
    const allow = reasons.length === 0;
    const decision: DecisionView = allow
      ? { decision: 'allow', reasons: [], interventionId: row.intervention_id!, validUntil: new Date(row.ends_at!).toISOString() }
      : { decision: 'deny', reasons };
    if (row.account_id) decision.accountId = row.account_id;
    if (row.resource_id) decision.resourceId = row.resource_id;
    this.recorder.record({
      tenantId, apiKeyId: gateway.apiKeyId, decidedAt: now, at, accountRef: input.account, resourceRef: input.resource,
      accountId: row.account_id, resourceId: row.resource_id, decision: decision.decision, reasons, interventionId: row.intervention_id,
      validUntil: allow ? new Date(row.ends_at!) : null,
    });
    this.metrics.count(decision.decision, reasons);
    // An allow about the present is an access: it starts the intervention. One about another instant (a gateway checking
    // ahead, or looking back) is only a question, and must not tell the referents that work began.
    if (allow && !row.started_at && Math.abs(at.getTime() - now.getTime()) <= PRESENT_SKEW_MS) await this.markStarted(tenantId, row, now);
    return decision;
  }

  /**
   * The account's standing as AccountReadiness sees it on the tenant's `today` (gate, contacts, prestation,
   * convention; TOTP is read by the SQL), plus the derogation a shared account needs.
   */
  private async standingOf(tenantId: string, row: Row, at: Date, today: string): Promise<ReasonCode[]> {
    const contractorId = row.contractor_id!;
    const [contractor, current] = await Promise.all([
      this.cached(this.contractorStandings, contractorId, () => this.contractorStanding(tenantId, contractorId)),
      this.cached(this.conventionsInForce, tenantId, () => this.readiness.conventionInForce(tenantId, today)),
    ]);
    const reasons = [...contractor.reasons];
    if (contractor.conventionRequired) {
      const problem = conventionProblem(current, row.conventions ?? [], today, { firstName: row.first_name!, lastName: row.last_name! });
      const reason = problem && gateReason(problem.code);
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    }
    if (row.shared) {
      const covered = await this.cached(this.sharedAccountCover, contractorId,
        async () => (await this.derogations.covering(tenantId, 'shared_account', contractorId, at)) !== null);
      if (!covered) reasons.push('DEROGATION_MISSING');
    }
    return reasons;
  }

  /**
   * The contractor's gate (the one GateService) and whether a running prestation reaches the SI (then
   * each person needs a convention). Contractors asked for while a refresh runs are refreshed together
   * in the next one (GateService.evaluateMany: a fixed number of queries however many they are).
   */
  private contractorStanding(tenantId: string, contractorId: string): Promise<ContractorStanding> {
    return new Promise((resolve, reject) => {
      let tenant = this.standingQueue.get(tenantId);
      if (!tenant) this.standingQueue.set(tenantId, (tenant = new Map()));
      tenant.set(contractorId, [...(tenant.get(contractorId) ?? []), { resolve, reject }]);
      this.refreshStandings();
    });
  }

  private refreshStandings(): void {
    if (this.standingsRefreshing || !this.standingQueue.size) return;
    this.standingsRefreshing = true;
    // void: a background batch; each caller waits on its own promise, which drainStandings settles.
    setImmediate(() => void this.drainStandings());
  }

  private async drainStandings(): Promise<void> {
    const queue = this.standingQueue;
    this.standingQueue = new Map();
    try {
      await Promise.all([...queue].map(async ([tenantId, waiting]) => {
        try {
          const gates = await this.gate.evaluateMany(tenantId, [...waiting.keys()]);
          for (const [contractorId, callers] of waiting) {
            const gate = gates.get(contractorId)!;
            const standing: ContractorStanding = {
              reasons: [...new Set(gate.missing.map((m) => gateReason(m.code)))],
              conventionRequired: gate.runningAccessModes.some((mode) => mode !== 'saas'),
            };
            for (const caller of callers) caller.resolve(standing);
          }
        } catch (error) {
          for (const callers of waiting.values()) for (const caller of callers) caller.reject(error);
        }
      }));
    } finally {
      this.standingsRefreshing = false;
    }
    this.refreshStandings();
  }

  /**
   * Caches the promise (so concurrent decisions for one contractor compute it once) for cacheMs from
   * the start of its computation; 0 turns caching off. In the last fifth of its life, an entry still in
   * use is recomputed in the background and replaced, so that decisions do not wait when it expires
   * (and entries computed together are refreshed together, in few statements). A failure is not kept.
   */
  private cached<T>(cache: Cache<T>, key: string, compute: () => Promise<T>): Promise<T> {
    if (this.cacheMs <= 0) return compute();
    const nowMs = Date.now();
    const hit = cache.get(key);
    if (hit && hit.expires > nowMs) {
      if (!hit.refreshing && hit.expires - nowMs < this.cacheMs / 5) {
        hit.refreshing = true;
        const fresh = compute();
        fresh.then(
          () => {
            if (cache.get(key) === hit) cache.set(key, { value: fresh, expires: nowMs + this.cacheMs });
          },
          () => {
            hit.refreshing = false;
          },
        );
      }
      return hit.value;
    }
    const value = compute();
    cache.set(key, { value, expires: nowMs + this.cacheMs });
    value.catch(() => {
      if (cache.get(key)?.value === value) cache.delete(key);
    });
    return value;
  }

  private clearStandings(): void {
    this.contractorStandings.clear();
    this.conventionsInForce.clear();
    this.sharedAccountCover.clear();
  }

  private async timezone(tenantId: string): Promise<string> {
    const cached = this.timezones.get(tenantId);
    if (cached && cached.expires > Date.now()) return cached.tz;
    const tz = (await this.tenants.policyOf(tenantId)).businessHours.timezone;
    this.timezones.set(tenantId, { tz, expires: Date.now() + Math.max(this.cacheMs, 1000) });
    return tz;
  }

  /** R-ART36: the referents and the DSI hear when an approved intervention actually starts (first allowed access). */
  private async markStarted(tenantId: string, row: Row, now: Date): Promise<void> {
    await this.db.transaction(async () => {
      const [claimed] = await this.db.query<{ nature: string; contractor_id: string }>(
        `UPDATE interventions SET started_at = $2 WHERE id = $1 AND started_at IS NULL RETURNING nature, contractor_id`,
        [row.intervention_id, now],
      );
      if (!claimed) return;
      const contractor = await this.directory.companyName(claimed.contractor_id);
      const [who] = await this.db.query<{ person: string; resource: string }>(
        `SELECT a.first_name || ' ' || a.last_name AS person, r.name AS resource FROM accounts a, resources r WHERE a.id = $1 AND r.id = $2`,
        [row.account_id, row.resource_id],
      );
      await this.notifications.emailEach([
        ...(await this.interventions.referents(claimed.contractor_id, tenantId)),
        ...(await this.directory.hospital(tenantId, [Role.Dsi])),
      ], {
        tenantId, template: 'intervention-started',
        data: { contractor, nature: claimed.nature, person: who.person, resource: who.resource, at: now.toISOString() },
      });
    });
  }
}
