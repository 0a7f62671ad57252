import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, CoreErrors, Db, NotFoundError, Page, UserPrincipal } from '@app/core';
import { ASSIGNEES_BY_NAME, CASES_NEWEST, AnomalyCasesRepository, CaseFilter } from './anomaly-cases.repository';
import { PageRequest } from './anomalies.repository';
import { AnomalyCaseCountsView, AnomalyCaseView, AssigneeView, CaseAct, CASE_ACTS, PersonRef, toCaseView } from './anomaly-cases';
import { JournalErrors } from './errors';

export type CaseQuery = CaseFilter & PageRequest;

/**
 * R-ART41 triage by the RSSI (and the DSI): each act is a conditional write on the case's status, under the row's lock taken
 * before it (so the audit's "before" is exact), with its audit event in the same transaction. A loser of a race gets 409.
 */
@Injectable()
export class AnomalyCasesService {
  constructor(
    private readonly db: Db,
    private readonly repo: AnomalyCasesRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(principal: UserPrincipal, query: CaseQuery): Promise<Page<AnomalyCaseView>> {
    checkPeriod(query);
    const rows = await this.repo.list({ tenantId: principal.tenantId! }, query, query);
    return CASES_NEWEST.page(rows, query.limit, toCaseView, (r) => ({ at: r.startedAt, id: r.id }));
  }

  counts(principal: UserPrincipal, filter: CaseFilter): Promise<AnomalyCaseCountsView> {
    checkPeriod(filter);
    return this.repo.counts({ tenantId: principal.tenantId! }, filter);
  }

  async get(principal: UserPrincipal, id: string): Promise<AnomalyCaseView> {
    const found = await this.repo.get({ tenantId: principal.tenantId! }, id);
    if (!found) throw new NotFoundError('Anomaly');
    return toCaseView(found);
  }

  async assignees(principal: UserPrincipal, page: PageRequest): Promise<Page<AssigneeView>> {
    const rows = await this.repo.assignees({ tenantId: principal.tenantId! }, page);
    const view = ({ id, name, roles }: AssigneeView): AssigneeView => ({ id, name, roles });
    return ASSIGNEES_BY_NAME.page(rows, page.limit, view, (r) => ({ lastName: r.last_name, firstName: r.first_name, id: r.id }));
  }

  acknowledge(principal: UserPrincipal, id: string): Promise<AnomalyCaseView> {
    return this.act(principal, id, 'acknowledged', {});
  }

  async assign(principal: UserPrincipal, id: string, assigneeId: string): Promise<AnomalyCaseView> {
    return this.act(principal, id, 'assigned', { assigneeId });
  }

  close(principal: UserPrincipal, id: string, comment: string): Promise<AnomalyCaseView> {
    return this.act(principal, id, 'closed', { comment });
  }

  reopen(principal: UserPrincipal, id: string, comment: string): Promise<AnomalyCaseView> {
    return this.act(principal, id, 'reopened', { comment });
  }

  private async act(principal: UserPrincipal, id: string, act: CaseAct, given: { assigneeId?: string; comment?: string })
    : Promise<AnomalyCaseView> {
    const scope = { tenantId: principal.tenantId! };
    await this.db.transaction(async () => {
      const before = await this.repo.lock(scope, id);
      if (!before) throw new NotFoundError('Anomaly');
      const assignee = given.assigneeId ? await this.eligible(scope, given.assigneeId) : before.assignee;
      const applied = await this.repo.apply(scope, id, act, { actorId: principal.userId, at: this.clock.now(), ...given });
      if (!applied) throw JournalErrors.error('ANOMALY_TRANSITION', undefined, { currentStatus: before.status, act });
      const who = (p: PersonRef | null) => ({ contractorId: before.contractorId, assigneeId: p?.id ?? null, assignee: p?.name ?? null });
      await this.audit.record({
        tenantId: scope.tenantId, actor: actorOf(principal), action: `anomaly.${act}`, targetType: 'anomaly', targetId: id,
        before: { status: before.status, ...who(before.assignee) },
        after: { status: CASE_ACTS[act].to, ...who(assignee), ...(given.comment && { comment: given.comment }) },
      });
    });
    return this.get(principal, id);
  }

  /** An active RSSI or DSI of the establishment, else 422 on `assigneeId`. */
  private async eligible(scope: { tenantId: string }, assigneeId: string): Promise<PersonRef> {
    const [assignee] = await this.repo.assignees(scope, { id: assigneeId, limit: 1 });
    if (assignee) return assignee;
    throw JournalErrors.error('ANOMALY_ASSIGNEE_NOT_ELIGIBLE', undefined, {
      errors: [{ field: 'assigneeId', message: JournalErrors.text('ANOMALY_ASSIGNEE_NOT_ELIGIBLE', {}, 'field') }],
    });
  }
}

function checkPeriod(filter: CaseFilter): void {
  if (filter.from && filter.to && filter.to <= filter.from) {
    throw CoreErrors.invalid('RANGE_EMPTY', 'to');
  }
}
