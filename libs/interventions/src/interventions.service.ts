import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  Actor, actorOf, AuditService, Clock, ConflictError, Db, DomainError, DomainEvents, ForbiddenError, hasRole, Lifecycle, lockRow, NotFoundError,
  Page, PageQuery, Role, SYSTEM_ACTOR, UserPrincipal, ValidationFailed,
} from '@app/core';
import { GateService } from '@app/charters';
import { ContractorAccess, Directory, Recipient } from '@app/contractors';
import { TenantCalendar, TenantsRepository } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { reportDueOn, usageConflict } from './business-time';
import { InterventionFilter, InterventionsRepository, LATEST_WINDOW } from './interventions.repository';
import { InterventionRow, InterventionStatus, InterventionView, toInterventionView } from './views';

/** What a caller may filter the windows on (R-ART36). */
export type InterventionsFilter = Omit<InterventionFilter, 'accountUserId'>;

export interface RequestIntervention {
  contractorId: string;
  accountIds: string[];
  resourceIds: string[];
  startsAt?: Date;
  endsAt: Date;
  nature: string;
  risks: string;
  availabilityImpact: string;
  changesSettings: boolean;
  changesData: boolean;
  emergency?: boolean;
  justification?: string;
}

/** R-ART36 R-INT: a window is decided once; requested or approved, it may be cancelled (an emergency's review is its own, below). */
export const WINDOW_LIFECYCLE = new Lifecycle<InterventionStatus, 'approved' | 'rejected' | 'cancelled'>('intervention', 'ILLEGAL_TRANSITION', {
  approved: ['requested'],
  rejected: ['requested'],
  cancelled: ['requested', 'approved'],
});

const MAX_WINDOW_MS = 31 * 24 * 3600_000;
const EMERGENCY_LEAD_MS = 15 * 60_000;

/**
 * R-ART36 (charter Art. 36-39): every access happens inside a planned window. The contractor
 * requests it (accounts, resources inside their habilitations, nature, risks, availability
 * impact, production settings and data changes); a referent designated for the contractor or
 * the DSI approves it. Windows in usage periods or blackouts need an explicit override.
 * Emergencies start at once, flagged, and are confirmed or challenged afterwards.
 */
@Injectable()
export class InterventionsService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly repo: InterventionsRepository,
    private readonly access: ContractorAccess,
    private readonly gate: GateService,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly tenants: TenantsRepository,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // R-ART35: a deactivated account leaves its future windows; a window left with nobody is cancelled.
    this.events.on('account.deactivated', async (e) => {
      for (const listed of await this.repo.futureWindowsOf(e.accountId, this.clock.now())) {
        // R-INT: read again under the window's lock: cancelled or decided since the list was read, it is left as it is.
        const window = (await this.repo.find(listed.tenant_id, listed.id, true))!;
        if (!WINDOW_LIFECYCLE.can(window.status, 'cancelled') || !window.account_ids.includes(e.accountId)) continue;
        await this.repo.removeAccount(window.id, e.accountId);
        const remaining = window.account_ids.filter((id) => id !== e.accountId);
        if (!remaining.length) await this.close(window, SYSTEM_ACTOR, `account deactivated: ${e.reason}`);
        else await this.audit.record({
          tenantId: window.tenant_id, actor: SYSTEM_ACTOR, action: 'intervention.account_removed', targetType: 'intervention',
          targetId: window.id, before: { accountIds: window.account_ids }, after: { accountIds: remaining, reason: e.reason },
        });
      }
    });
  }

  async request(principal: UserPrincipal, input: RequestIntervention): Promise<InterventionView> {
    const now = this.clock.now();
    const emergency = input.emergency ?? false;
    const startsAt = input.startsAt ?? (emergency ? now : undefined);
    this.checkTimes(startsAt, input.endsAt, emergency, now, input.justification);
    return this.db.transaction(async () => {
      const contractor = await this.access.require(principal, input.contractorId, 'read');
      const today = await this.calendar.today(contractor.tenantId);
      if (!hasRole(principal, Role.Dsi, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy, Role.Staff) || (principal.contractorId && principal.contractorId !== contractor.id)) {
        throw new ForbiddenError('Windows are requested by the contractor itself or the DSI');
      }
      const gate = await this.gate.evaluate(contractor.tenantId, contractor.id);
      if (!gate.open) {
        throw new DomainError('CONTRACTOR_GATE_CLOSED', 409, `The contractor's access is closed: ${gate.missing.map((m) => m.code).join(', ')}`, { missing: gate.missing });
      }
      const overdue = await this.repo.overdueReports(contractor.id, now);
      if (overdue.length) {
        throw new ConflictError('REPORT_OVERDUE', `${overdue.length} intervention report(s) are overdue; file them before requesting a new window (Art. 42)`, {
          interventionIds: overdue.map((o) => o.id),
        });
      }
      await this.checkAccountsAndScope(principal, contractor.id, input.accountIds, input.resourceIds, today);
      const policy = await this.tenants.policyOf(contractor.tenantId);
      const conflict = usageConflict(startsAt!, input.endsAt, policy);
      const due = reportDueOn(startsAt!, input.endsAt, policy);
      const id = await this.repo.insert({
        tenant_id: contractor.tenantId, contractor_id: contractor.id, starts_at: startsAt!, ends_at: input.endsAt, nature: input.nature.trim(),
        risks: input.risks.trim(), availability_impact: input.availabilityImpact.trim(), changes_settings: input.changesSettings,
        changes_data: input.changesData, emergency, justification: input.justification?.trim() || null,
        status: emergency ? 'approved' : 'requested', emergency_review: emergency ? 'pending' : null, usage_conflict: conflict.conflict,
        outside_business_hours: due.afterHours, report_due_on: due.dueOn, report_late_at: due.lateAt, requested_by: principal.userId, requested_at: now,
      }, [...new Set(input.accountIds)], [...new Set(input.resourceIds)]);
      const row = (await this.repo.find(contractor.tenantId, id))!;
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: emergency ? 'intervention.emergency_declared' : 'intervention.requested',
        targetType: 'intervention', targetId: id, after: { ...toInterventionView(row), usageConflictReasons: conflict.reasons },
      });
      const recipients = [...(await this.referents(contractor.id, contractor.tenantId)), ...(emergency ? await this.directory.hospital(contractor.tenantId, [Role.Dsi]) : [])];
      await this.notifications.emailEach(recipients, {
        tenantId: contractor.tenantId, template: 'window-requested',
        data: {
          contractor: contractor.legalName, nature: row.nature, startsAt: iso(row.starts_at), endsAt: iso(row.ends_at), emergency,
          justification: row.justification, usageConflict: conflict.conflict, risks: row.risks, availabilityImpact: row.availability_impact,
        },
      });
      return toInterventionView(row);
    });
  }

  /** A referent of the contractor or the DSI approves; for an emergency, this confirms it after the fact. */
  async approve(principal: UserPrincipal, id: string, overrideUsage: boolean): Promise<InterventionView> {
    return this.db.transaction(async () => {
      const row = await this.decidable(principal, id);
      if (row.emergency && row.emergency_review === 'pending') {
        await this.repo.update(id, { emergency_review: 'confirmed', decided_by: principal.userId, decided_at: this.clock.now() });
        return this.decided(principal, row, 'intervention.emergency_confirmed', 'confirmée', null);
      }
      WINDOW_LIFECYCLE.check(row.status, 'approved');
      if (row.usage_conflict && !overrideUsage) {
        throw new ConflictError('USAGE_OVERRIDE_REQUIRED', 'The window falls in a usage period or a blackout; approve it with overrideUsage: true');
      }
      const gate = await this.gate.evaluate(row.tenant_id, row.contractor_id);
      if (!gate.open) throw new DomainError('CONTRACTOR_GATE_CLOSED', 409, 'The contractor\'s access is closed', { missing: gate.missing });
      await this.repo.update(id, { status: 'approved', usage_override: row.usage_conflict, decided_by: principal.userId, decided_at: this.clock.now() });
      return this.decided(principal, row, 'intervention.approved', 'approuvée', null);
    });
  }

  /** Refuses a request; for an emergency, challenges it: its access ends at once. */
  async reject(principal: UserPrincipal, id: string, reason: string): Promise<InterventionView> {
    return this.db.transaction(async () => {
      const row = await this.decidable(principal, id);
      const challenge = row.emergency && row.emergency_review === 'pending';
      if (!challenge) WINDOW_LIFECYCLE.check(row.status, 'rejected');
      await this.repo.update(id, {
        status: 'rejected', emergency_review: challenge ? 'challenged' : row.emergency_review, decided_by: principal.userId,
        decided_at: this.clock.now(), decision_reason: reason.trim(),
      });
      return this.decided(principal, row, challenge ? 'intervention.emergency_challenged' : 'intervention.rejected', challenge ? 'contestée' : 'refusée', reason);
    });
  }

  async cancel(principal: UserPrincipal, id: string, reason: string | undefined): Promise<InterventionView> {
    return this.db.transaction(async () => {
      const row = await this.visible(principal, id, true);
      const own = principal.contractorId === row.contractor_id && (hasRole(principal, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy) || row.requested_by === principal.userId);
      if (!hasRole(principal, Role.Dsi) && !own) throw new ForbiddenError('Only the contractor that requested it or the DSI cancels a window');
      WINDOW_LIFECYCLE.check(row.status, 'cancelled');
      if (new Date(row.ends_at) <= this.clock.now()) throw new ConflictError('ILLEGAL_TRANSITION', 'This intervention is over', { currentStatus: row.status });
      await this.close(row, actorOf(principal), reason?.trim() || 'cancelled');
      return toInterventionView((await this.repo.find(row.tenant_id, id))!);
    });
  }

  async get(principal: UserPrincipal, id: string): Promise<InterventionView> {
    return toInterventionView(await this.visible(principal, id));
  }

  async list(principal: UserPrincipal, filter: InterventionsFilter, page: PageQuery): Promise<Page<InterventionView>> {
    if (filter.from && filter.to && filter.to <= filter.from) {
      throw new ValidationFailed('The period is empty', [{ field: 'to', message: 'must be after from' }]);
    }
    const contractorId = await this.access.listCompany(principal, filter.contractorId);
    const staffOnly = principal.contractorId && !hasRole(principal, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy);
    const rows = await this.repo.list(principal.tenantId!, { ...filter, contractorId: contractorId ?? undefined, accountUserId: staffOnly ? principal.userId : undefined }, page);
    return LATEST_WINDOW.page(rows, page.limit, toInterventionView, (r) => ({ startsAt: r.starts_at, id: r.id }));
  }

  /** The DSI designates the hospital people who accompany a contractor (Art. 36: "la ou les personnes du CHM ... désignées"). */
  async designateReferents(principal: UserPrincipal, contractorId: string, userIds: string[]): Promise<{ userId: string; email: string }[]> {
    return this.db.transaction(async () => {
      const contractor = await this.access.require(principal, contractorId, 'administer');
      // R-INT: designations replace a set: they take turns on the company's row.
      await lockRow(this.db, 'contractors', contractorId);
      const users = await this.db.query<{ id: string; email: string }>(
        `SELECT id, email FROM users WHERE tenant_id = $1 AND contractor_id IS NULL AND status <> 'deactivated'
           AND roles && ARRAY['referent', 'dsi']::text[] AND id = ANY($2::uuid[])`,
        [contractor.tenantId, userIds],
      );
      if (users.length !== new Set(userIds).size) {
        throw new ValidationFailed('Referents are hospital people with the referent or DSI role', [{ field: 'userIds', message: 'unknown person, or not a referent' }]);
      }
      const before = await this.repo.referentsOf(contractorId);
      const unchanged = before.length === users.length && users.every((u) => before.some((r) => r.user_id === u.id));
      if (unchanged) return users.map((u) => ({ userId: u.id, email: u.email }));
      await this.db.query(`DELETE FROM contractor_referents WHERE contractor_id = $1`, [contractorId]);
      await this.db.query(
        `INSERT INTO contractor_referents (contractor_id, user_id, designated_by, designated_at) SELECT $1, unnest($2::uuid[]), $3, $4`,
        [contractorId, users.map((u) => u.id), principal.userId, this.clock.now()],
      );
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'contractor.referents_designated', targetType: 'contractor',
        targetId: contractorId, before: before.map((r) => r.email), after: users.map((u) => u.email),
      });
      return users.map((u) => ({ userId: u.id, email: u.email }));
    });
  }

  async referentsList(principal: UserPrincipal, contractorId: string): Promise<{ userId: string; email: string }[]> {
    await this.access.require(principal, contractorId, 'read');
    return (await this.repo.referentsOf(contractorId)).map((r) => ({ userId: r.user_id, email: r.email }));
  }

  /** Who hears about a contractor's windows: its referents, else the DSI. */
  async referents(contractorId: string, tenantId: string): Promise<Recipient[]> {
    const referents = await this.repo.referentsOf(contractorId);
    return referents.length ? referents.map((r) => ({ email: r.email, locale: r.locale })) : this.directory.hospital(tenantId, [Role.Dsi]);
  }

  private checkTimes(startsAt: Date | undefined, endsAt: Date, emergency: boolean, now: Date, justification?: string): void {
    const errors: { field: string; message: string }[] = [];
    if (!startsAt) errors.push({ field: 'startsAt', message: 'is required (except for an emergency, which starts now)' });
    else {
      if (endsAt <= startsAt) errors.push({ field: 'endsAt', message: 'must be after startsAt' });
      if (endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_MS) errors.push({ field: 'endsAt', message: 'a window lasts 31 days at most' });
      if (!emergency && endsAt <= now) errors.push({ field: 'endsAt', message: 'must be in the future' });
      if (emergency && Math.abs(startsAt.getTime() - now.getTime()) > EMERGENCY_LEAD_MS) {
        errors.push({ field: 'startsAt', message: 'an emergency starts now (within 15 minutes)' });
      }
    }
    if (emergency && !justification?.trim()) errors.push({ field: 'justification', message: 'an emergency needs a justification (Art. 36)' });
    if (errors.length) throw new ValidationFailed('The window is not valid', errors);
  }

  /** Every account is an active account of this contractor; every resource is inside each account's habilitations (R-ART31). */
  private async checkAccountsAndScope(principal: UserPrincipal, contractorId: string, accountIds: string[], resourceIds: string[], today: string): Promise<void> {
    const accounts = await this.db.query<{ id: string; status: string; user_id: string | null }>(
      `SELECT id, status, user_id FROM accounts WHERE contractor_id = $1 AND id = ANY($2::uuid[])`, [contractorId, accountIds],
    );
    const errors: { field: string; message: string }[] = [];
    for (const id of accountIds) {
      const a = accounts.find((x) => x.id === id);
      if (!a) errors.push({ field: 'accountIds', message: `${id} is not an account of this contractor` });
      else if (a.status !== 'active') errors.push({ field: 'accountIds', message: `${id} is ${a.status}, not active` });
    }
    const staffOnly = principal.contractorId && !hasRole(principal, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy);
    if (staffOnly && accounts.some((a) => a.user_id !== principal.userId)) {
      errors.push({ field: 'accountIds', message: 'an intervenant requests windows for their own account only' });
    }
    const resources = await this.db.query<{ id: string }>(`SELECT id FROM resources WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [principal.tenantId, resourceIds]);
    for (const id of resourceIds) if (!resources.some((r) => r.id === id)) errors.push({ field: 'resourceIds', message: `${id} is not in the catalogue` });
    if (!errors.length) {
      const covered = await this.db.query<{ account_id: string; resource_id: string }>(
        `SELECT DISTINCT account_id, resource_id FROM habilitations
          WHERE account_id = ANY($1::uuid[]) AND resource_id = ANY($2::uuid[]) AND status = 'approved' AND (ends_on IS NULL OR ends_on >= $3)`,
        [accountIds, resourceIds, today],
      );
      for (const a of accountIds) for (const r of resourceIds) {
        if (!covered.some((c) => c.account_id === a && c.resource_id === r)) {
          errors.push({ field: 'resourceIds', message: `${r} is outside the habilitations of account ${a} (R-ART31)` });
        }
      }
    }
    if (errors.length) throw new ValidationFailed('The window names accounts or resources it may not', errors);
  }

  private async decidable(principal: UserPrincipal, id: string): Promise<InterventionRow> {
    const row = await this.visible(principal, id, true);
    if (hasRole(principal, Role.Dsi)) return row;
    const referents = await this.repo.referentsOf(row.contractor_id);
    if (!referents.some((r) => r.user_id === principal.userId)) {
      throw new ForbiddenError('Only a referent designated for this contractor or the DSI decides on its windows');
    }
    return row;
  }

  private async decided(principal: UserPrincipal, row: InterventionRow, action: string, word: string, reason: string | null): Promise<InterventionView> {
    const after = (await this.repo.find(row.tenant_id, row.id))!;
    await this.audit.record({
      tenantId: row.tenant_id, actor: actorOf(principal), action, targetType: 'intervention', targetId: row.id,
      before: { status: row.status, emergencyReview: row.emergency_review }, after: { status: after.status, emergencyReview: after.emergency_review, reason },
    });
    await this.notifyContractor(after, word, reason);
    return toInterventionView(after);
  }

  private async close(row: InterventionRow, actor: Actor, reason: string): Promise<void> {
    await this.repo.update(row.id, { status: 'cancelled', cancelled_at: this.clock.now(), cancel_reason: reason });
    await this.audit.record({
      tenantId: row.tenant_id, actor, action: 'intervention.cancelled', targetType: 'intervention', targetId: row.id,
      before: { status: row.status }, after: { status: 'cancelled', reason },
    });
    await this.notifyContractor(row, 'annulée', reason);
  }

  private async notifyContractor(row: InterventionRow, decision: string, reason: string | null): Promise<void> {
    const contractor = await this.directory.companyName(row.contractor_id);
    const requester = row.requested_by
      ? await this.db.query<Recipient>(`SELECT email, locale FROM users WHERE id = $1`, [row.requested_by])
      : [];
    await this.notifications.emailEach([...requester, ...(await this.directory.contactsOf(row.contractor_id, ['security_contact', 'security_deputy']))], {
      tenantId: row.tenant_id, template: 'window-decided',
      data: { contractor, nature: row.nature, startsAt: iso(row.starts_at), endsAt: iso(row.ends_at), decision, reason },
    });
  }

  async visible(principal: UserPrincipal, id: string, forUpdate = false): Promise<InterventionRow> {
    const row = await this.repo.find(principal.tenantId!, id, forUpdate && this.db.inTransaction);
    if (!row) throw new NotFoundError('Intervention');
    await this.access.require(principal, row.contractor_id, 'read').catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Intervention') : error;
    });
    if (principal.contractorId && !hasRole(principal, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy)) {
      const mine = await this.db.query(`SELECT 1 FROM intervention_accounts ia JOIN accounts a ON a.id = ia.account_id WHERE ia.intervention_id = $1 AND a.user_id = $2`, [id, principal.userId]);
      if (!mine.length && row.requested_by !== principal.userId) throw new NotFoundError('Intervention');
    }
    return row;
  }
}

const iso = (d: Date) => new Date(d).toISOString();
