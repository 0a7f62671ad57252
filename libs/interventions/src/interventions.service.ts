import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  Actor, actorOf, AuditService, Clock, CONTRACTOR_MANAGERS, CoreErrors, Db, DomainEvents, ForbiddenError, hasRole,
  isStaffOnly, Lifecycle, Page, PageQuery, Role, SYSTEM_ACTOR, UserPrincipal,
} from '@app/core';
import { InterventionErrors } from './errors';
import { WindowOutcome } from './events';
import { InterventionFilter, InterventionsRepository, LATEST_WINDOW } from './interventions.repository';
import { ReferentsService } from './referents.service';
import { IntervenantView, Intervention, InterventionStatus, InterventionView, toInterventionView, WorkDeclaration } from './views';
import { WindowAccess } from './window-access';
import { WindowRules } from './window-rules';

/** What a caller may filter the windows on (R-ART36). */
export type InterventionsFilter = Omit<InterventionFilter, 'accountUserId'>;

export interface RequestIntervention extends WorkDeclaration {
  contractorId: string;
  accountIds: string[];
  resourceIds: string[];
  startsAt?: Date;
  endsAt: Date;
  emergency?: boolean;
  justification?: string;
}

type WindowAction = 'approved' | 'rejected' | 'cancelled';

/** R-ART36 R-INT: a window is decided once; requested or approved, it may be cancelled (an emergency's review is its own, below). */
export const WINDOW_LIFECYCLE = new Lifecycle<InterventionStatus, WindowAction>('Intervention', 'ILLEGAL_TRANSITION', {
  approved: ['requested'],
  rejected: ['requested'],
  cancelled: ['requested', 'approved'],
});

/**
 * R-ART36 (charter Art. 36-39): every access happens inside a planned window, requested by the contractor, approved by
 * a referent or the DSI (an override for usage periods and blackouts); emergencies start at once and are reviewed after.
 */
@Injectable()
export class InterventionsService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly repo: InterventionsRepository,
    private readonly access: WindowAccess,
    private readonly rules: WindowRules,
    private readonly referents: ReferentsService,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // R-ART35: a deactivated account leaves its future windows; a window left with nobody is cancelled.
    this.events.on('account.deactivated', async (e) => {
      for (const listed of await this.repo.futureWindowsOf({ tenantId: e.tenantId }, e.accountId, this.clock.now())) {
        // R-INT: read again under the window's lock: cancelled or decided since the list was read, it is left as it is.
        const window = (await this.repo.find({ tenantId: listed.tenantId }, listed.id, true))!;
        if (!WINDOW_LIFECYCLE.can(window.status, 'cancelled') || !window.accountIds.includes(e.accountId)) continue;
        await this.repo.removeAccount(window.id, e.accountId);
        const remaining = window.accountIds.filter((id) => id !== e.accountId);
        if (!remaining.length) await this.close(window, SYSTEM_ACTOR, `account deactivated: ${e.reason}`);
        else await this.audit.record({
          tenantId: window.tenantId, actor: SYSTEM_ACTOR, action: 'intervention.account_removed', targetType: 'intervention',
          targetId: window.id, before: { accountIds: window.accountIds }, after: { accountIds: remaining, reason: e.reason },
        });
      }
    });
  }

  async request(principal: UserPrincipal, input: RequestIntervention): Promise<InterventionView> {
    const now = this.clock.now();
    const emergency = input.emergency ?? false;
    const draft = { ...input, emergency, startsAt: input.startsAt ?? (emergency ? now : undefined) };
    this.rules.checkTimes(draft, now);
    return this.db.transaction(async () => {
      const contractor = await this.access.company(principal, input.contractorId);
      const ownCompany = !principal.contractorId || principal.contractorId === contractor.id;
      const requester = hasRole(principal, Role.Dsi, ...CONTRACTOR_MANAGERS, Role.Staff) && ownCompany;
      if (!requester) throw new ForbiddenError(InterventionErrors.text('WINDOW_REQUESTED_BY_CONTRACTOR'));
      await this.rules.requireGateOpen(contractor.tenantId, contractor.id, true);
      await this.rules.requireReportsFiled(contractor.id, now);
      const { conflict, due } = await this.rules.checkScope(principal, contractor.tenantId, contractor.id, draft, now);
      const id = await this.repo.insert({
        tenantId: contractor.tenantId, contractorId: contractor.id, startsAt: draft.startsAt!, endsAt: input.endsAt,
        nature: input.nature.trim(), risks: input.risks.trim(), availabilityImpact: input.availabilityImpact.trim(),
        changesSettings: input.changesSettings,
        changesData: input.changesData, emergency, justification: input.justification?.trim() || null,
        status: emergency ? 'approved' : 'requested', emergencyReview: emergency ? 'pending' : null, usageConflict: conflict.conflict,
        outsideBusinessHours: due.afterHours, reportDueOn: due.dueOn, reportLateAt: due.lateAt, requestedBy: principal.userId,
        requestedAt: now,
      }, [...new Set(input.accountIds)], [...new Set(input.resourceIds)]);
      const window = (await this.repo.find({ tenantId: contractor.tenantId }, id))!;
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal),
        action: emergency ? 'intervention.emergency_declared' : 'intervention.requested', targetType: 'intervention', targetId: id,
        after: { ...toInterventionView(window), usageConflictReasons: conflict.reasons },
      });
      await this.events.emit('intervention.requested', { tenantId: contractor.tenantId, window });
      return toInterventionView(window);
    });
  }

  /** A referent of the contractor or the DSI approves; for an emergency, this confirms it after the fact. */
  async approve(principal: UserPrincipal, id: string, overrideUsage: boolean): Promise<InterventionView> {
    return this.db.transaction(async () => {
      const row = await this.access.decidable(principal, id);
      if (row.emergency && row.emergencyReview === 'pending') {
        await this.repo.update(id, { emergencyReview: 'confirmed', decidedBy: principal.userId, decidedAt: this.clock.now() });
        return this.decided(principal, row, 'intervention.emergency_confirmed', 'confirmed', null);
      }
      WINDOW_LIFECYCLE.check(row.status, 'approved');
      if (row.usageConflict && !overrideUsage) throw InterventionErrors.error('USAGE_OVERRIDE_REQUIRED');
      await this.rules.requireGateOpen(row.tenantId, row.contractorId, false);
      await this.repo.update(id, {
        status: 'approved', usageOverride: row.usageConflict, decidedBy: principal.userId, decidedAt: this.clock.now(),
      });
      return this.decided(principal, row, 'intervention.approved', 'approved', null);
    });
  }

  /** Refuses a request; for an emergency, challenges it: its access ends at once. */
  async reject(principal: UserPrincipal, id: string, reason: string): Promise<InterventionView> {
    return this.db.transaction(async () => {
      const row = await this.access.decidable(principal, id);
      const challenge = row.emergency && row.emergencyReview === 'pending';
      if (!challenge) WINDOW_LIFECYCLE.check(row.status, 'rejected');
      await this.repo.update(id, {
        status: 'rejected', emergencyReview: challenge ? 'challenged' : row.emergencyReview, decidedBy: principal.userId,
        decidedAt: this.clock.now(), decisionReason: reason.trim(),
      });
      if (challenge) return this.decided(principal, row, 'intervention.emergency_challenged', 'challenged', reason);
      return this.decided(principal, row, 'intervention.rejected', 'rejected', reason);
    });
  }

  async cancel(principal: UserPrincipal, id: string, reason: string | undefined): Promise<InterventionView> {
    return this.db.transaction(async () => {
      const row = await this.access.visible(principal, id, true);
      const own = principal.contractorId === row.contractorId
        && (hasRole(principal, ...CONTRACTOR_MANAGERS) || row.requestedBy === principal.userId);
      if (!hasRole(principal, Role.Dsi) && !own) {
        throw new ForbiddenError(InterventionErrors.text('WINDOW_CANCELLED_BY_REQUESTER'));
      }
      WINDOW_LIFECYCLE.check(row.status, 'cancelled');
      if (row.endsAt <= this.clock.now()) throw InterventionErrors.error('ILLEGAL_TRANSITION', undefined, { currentStatus: row.status });
      await this.close(row, actorOf(principal), reason?.trim() || 'cancelled');
      return toInterventionView((await this.repo.find({ tenantId: row.tenantId }, id))!);
    });
  }

  async get(principal: UserPrincipal, id: string): Promise<InterventionView> {
    return toInterventionView(await this.access.visible(principal, id));
  }

  intervenants(principal: UserPrincipal, id: string): Promise<IntervenantView[]> {
    return this.access.intervenants(principal, id);
  }

  async list(principal: UserPrincipal, filter: InterventionsFilter, page: PageQuery): Promise<Page<InterventionView>> {
    if (filter.from && filter.to && filter.to <= filter.from) {
      throw CoreErrors.invalid('RANGE_EMPTY', 'to');
    }
    const contractorId = await this.access.listCompany(principal, filter.contractorId);
    const accountUserId = isStaffOnly(principal) ? principal.userId : undefined;
    const scoped = { ...filter, contractorId: contractorId ?? undefined, accountUserId };
    const rows = await this.repo.list({ tenantId: principal.tenantId! }, scoped, page);
    return LATEST_WINDOW.page(rows, page.limit, toInterventionView, (r) => ({ startsAt: r.startsAt, id: r.id }));
  }

  /** The window if the caller may see it (404 otherwise, whoever holds it). */
  visible(principal: UserPrincipal, id: string, forUpdate = false): Promise<Intervention> {
    return this.access.visible(principal, id, forUpdate);
  }

  designateReferents(principal: UserPrincipal, contractorId: string, userIds: string[]): Promise<{ userId: string; email: string }[]> {
    return this.referents.designate(principal, contractorId, userIds);
  }

  referentsList(principal: UserPrincipal, contractorId: string): Promise<{ userId: string; email: string }[]> {
    return this.referents.list(principal, contractorId);
  }

  private async decided(
    principal: UserPrincipal, row: Intervention, action: string, outcome: WindowOutcome, reason: string | null,
  ): Promise<InterventionView> {
    const after = (await this.repo.find({ tenantId: row.tenantId }, row.id))!;
    await this.audit.record({
      tenantId: row.tenantId, actor: actorOf(principal), action, targetType: 'intervention', targetId: row.id,
      before: { status: row.status, emergencyReview: row.emergencyReview },
      after: { status: after.status, emergencyReview: after.emergencyReview, reason },
    });
    await this.events.emit('intervention.decided', { tenantId: row.tenantId, window: after, outcome, reason });
    return toInterventionView(after);
  }

  private async close(row: Intervention, actor: Actor, reason: string): Promise<void> {
    await this.repo.update(row.id, { status: 'cancelled', cancelledAt: this.clock.now(), cancelReason: reason });
    await this.audit.record({
      tenantId: row.tenantId, actor, action: 'intervention.cancelled', targetType: 'intervention', targetId: row.id,
      before: { status: row.status }, after: { status: 'cancelled', reason },
    });
    await this.events.emit('intervention.decided', { tenantId: row.tenantId, window: row, outcome: 'cancelled', reason });
  }
}
