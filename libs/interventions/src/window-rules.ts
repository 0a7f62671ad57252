import { Injectable } from '@nestjs/common';
import { GateService } from '@app/charters';
import { FieldError, isStaffOnly, localDate, statusWord, UserPrincipal, ValidationFailed } from '@app/core';
import { TenantsService } from '@app/identity';
import { reportDueOn, usageConflict } from './business-time';
import { InterventionErrors } from './errors';
import { InterventionsRepository } from './interventions.repository';
import { WindowScopeRepository } from './window-scope.repository';

const MAX_WINDOW_MS = 31 * 24 * 3600_000;
const EMERGENCY_LEAD_MS = 15 * 60_000;

export interface WindowDraft {
  startsAt?: Date;
  endsAt: Date;
  emergency: boolean;
  justification?: string;
  accountIds: string[];
  resourceIds: string[];
}

/** What the tenant's policy says of a window: a usage conflict (approval needs an override) and when its report is due. */
export interface WindowTerms {
  conflict: { conflict: boolean; reasons: string[] };
  due: { dueOn: string; lateAt: Date; afterHours: boolean };
}

/** What a window may be (R-ART36): its times, the accounts and resources it names (R-ART31), its contractor's standing. */
@Injectable()
export class WindowRules {
  constructor(
    private readonly scope: WindowScopeRepository,
    private readonly windows: InterventionsRepository,
    private readonly gate: GateService,
    private readonly tenants: TenantsService,
  ) {}

  checkTimes(draft: WindowDraft, now: Date): void {
    const { startsAt, endsAt, emergency } = draft;
    const errors: FieldError[] = [];
    const text = InterventionErrors.text;
    if (!startsAt) errors.push({ field: 'startsAt', message: text('START_REQUIRED') });
    else {
      if (endsAt <= startsAt) errors.push({ field: 'endsAt', message: text('END_BEFORE_START') });
      if (endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_MS) errors.push({ field: 'endsAt', message: text('WINDOW_TOO_LONG') });
      if (!emergency && endsAt <= now) errors.push({ field: 'endsAt', message: text('END_IN_PAST') });
      if (emergency && Math.abs(startsAt.getTime() - now.getTime()) > EMERGENCY_LEAD_MS) {
        errors.push({ field: 'startsAt', message: text('EMERGENCY_STARTS_NOW') });
      }
    }
    if (emergency && !draft.justification?.trim()) {
      errors.push({ field: 'justification', message: text('EMERGENCY_NEEDS_JUSTIFICATION') });
    }
    if (errors.length) throw new ValidationFailed(text('WINDOW_INVALID'), errors);
  }

  /** R-ART36: a closed gate refuses new windows and approvals; `detailed` names what is missing in the message. */
  async requireGateOpen(tenantId: string, contractorId: string, detailed: boolean): Promise<void> {
    const gate = await this.gate.evaluate(tenantId, contractorId);
    if (gate.open) return;
    const company = await this.scope.contractorName(contractorId);
    const params = { company, count: gate.missing.length };
    const code = detailed ? 'CONTRACTOR_GATE_CLOSED_DETAILED' : 'CONTRACTOR_GATE_CLOSED';
    throw InterventionErrors.error(code, params, { missing: gate.missing });
  }

  /** R-ART42: overdue reports block new windows. */
  async requireReportsFiled(contractorId: string, now: Date): Promise<void> {
    const overdue = await this.windows.overdueReports(contractorId, now);
    if (!overdue.length) return;
    throw InterventionErrors.error('REPORT_OVERDUE', { count: overdue.length }, { interventionIds: overdue.map((o) => o.id) });
  }

  /** Every account is an active account of this contractor; every resource is inside each account's habilitations (R-ART31). */
  async checkScope(principal: UserPrincipal, tenantId: string, contractorId: string, draft: WindowDraft, now: Date): Promise<WindowTerms> {
    const policy = await this.tenants.policyOf(tenantId);
    const { accountIds, resourceIds } = draft;
    const accounts = await this.scope.accountsOf(contractorId, accountIds);
    const errors: FieldError[] = [];
    const text = InterventionErrors.text;
    for (const id of accountIds) {
      const a = accounts.find((x) => x.id === id);
      if (!a) errors.push({ field: 'accountIds', message: text('NOT_AN_ACCOUNT_OF_CONTRACTOR') });
      else if (a.status !== 'active') {
        errors.push({ field: 'accountIds', message: text('ACCOUNT_NOT_ACTIVE', { person: a.person, status: statusWord(a.status) }) });
      }
    }
    if (isStaffOnly(principal) && accounts.some((a) => a.userId !== principal.userId)) {
      errors.push({ field: 'accountIds', message: text('OWN_ACCOUNT_ONLY') });
    }
    const catalogued = await this.scope.catalogued({ tenantId: principal.tenantId! }, resourceIds);
    for (const id of resourceIds) {
      if (!catalogued.some((r) => r.id === id)) errors.push({ field: 'resourceIds', message: text('RESOURCE_NOT_CATALOGUED') });
    }
    if (!errors.length) {
      const covered = await this.scope.covered(accountIds, resourceIds, localDate(now, policy.businessHours.timezone));
      for (const a of accounts) for (const r of catalogued) {
        if (!covered.some((c) => c.accountId === a.id && c.resourceId === r.id)) {
          errors.push({ field: 'resourceIds', message: text('OUTSIDE_HABILITATIONS', { resource: r.name, person: a.person }) });
        }
      }
    }
    if (errors.length) throw new ValidationFailed(text('WINDOW_SCOPE_INVALID'), errors);
    return { conflict: usageConflict(draft.startsAt!, draft.endsAt, policy), due: reportDueOn(draft.startsAt!, draft.endsAt, policy) };
  }
}
