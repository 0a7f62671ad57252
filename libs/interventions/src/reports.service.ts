import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, Db, DomainEvents, ForbiddenError, hasRole, Role, Transactional, UserPrincipal } from '@app/core';
import { InterventionErrors } from './errors';
import { InterventionsRepository } from './interventions.repository';
import { ReferentsRepository } from './referents.repository';
import { ReportsRepository } from './reports.repository';
import { ReportView, toReportView } from './views';
import { WindowAccess } from './window-access';

export interface FileReport {
  operations: string;
  intervenants: string[];
  actions: string;
  difficulties: string;
  referentsInformed?: string[];
}

/**
 * R-ART42 (charter Art. 42-43): every intervention that took place closes with a written report; a correction is a
 * new version. InterventionNotifications sends it; ReportReminders reminds and escalates the overdue ones.
 */
@Injectable()
export class ReportsService {
  constructor(
    readonly db: Db,
    private readonly reports: ReportsRepository,
    private readonly windows: InterventionsRepository,
    private readonly referents: ReferentsRepository,
    private readonly access: WindowAccess,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async file(principal: UserPrincipal, interventionId: string, input: FileReport): Promise<ReportView> {
    const window = await this.access.visible(principal, interventionId, true);
    if (!principal.contractorId && !hasRole(principal, Role.Dsi)) {
      throw new ForbiddenError(InterventionErrors.text('REPORT_BY_CONTRACTOR'));
    }
    if (window.status !== 'approved' || window.startsAt > this.clock.now()) throw InterventionErrors.error('INTERVENTION_NOT_HELD');
    const version = await this.reports.nextVersion(interventionId);
    const referents = input.referentsInformed?.length
      ? input.referentsInformed
      : (await this.referents.referentsOf(window.contractorId)).map((r) => r.email);
    const report = await this.reports.insert({ tenantId: window.tenantId }, {
      interventionId, version, operations: input.operations.trim(), intervenants: input.intervenants.map((i) => i.trim()),
      actions: input.actions.trim(), difficulties: input.difficulties.trim(), referentsInformed: referents, submittedBy: principal.userId,
      submittedAt: this.clock.now(),
    });
    if (!window.reportFiledAt) await this.windows.update(interventionId, { reportFiledAt: this.clock.now() });
    await this.audit.record({
      tenantId: window.tenantId, actor: actorOf(principal), action: version === 1 ? 'report.filed' : 'report.corrected',
      targetType: 'intervention', targetId: interventionId, after: toReportView(report),
    });
    await this.events.emit('report.filed', { tenantId: window.tenantId, window, report });
    return toReportView(report);
  }

  async versions(principal: UserPrincipal, interventionId: string): Promise<ReportView[]> {
    await this.access.visible(principal, interventionId);
    return (await this.reports.versions(interventionId)).map(toReportView);
  }
}
