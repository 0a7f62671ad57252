import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, ConflictError, Db, daysBetween, ForbiddenError, hasRole, Role, UserPrincipal } from '@app/core';
import { Directory, Recipient } from '@app/contractors';
import { TenantCalendar, TenantsRepository } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { InterventionsRepository } from './interventions.repository';
import { InterventionsService } from './interventions.service';
import { InterventionRow, ReportRow, ReportView, toReportView } from './views';

export interface FileReport {
  operations: string;
  intervenants: string[];
  actions: string;
  difficulties: string;
  referentsInformed?: string[];
}

/** R-ART42 escalation: days late when the authors are reminded, then the security contacts, then the DSI. */
export const REPORT_ESCALATION = { authors: 0, contacts: 1, dsi: 3 };

/**
 * R-ART42 (charter Art. 42-43): every intervention that took place closes with a written report.
 * Submitted reports are immutable (a database trigger refuses changes); a correction is a new
 * version. Reports go to the referents; after hours, also to the address the tenant registered,
 * the same day. Overdue reports are reminded, escalated, and block new windows.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: Db,
    private readonly repo: InterventionsRepository,
    private readonly interventions: InterventionsService,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly tenants: TenantsRepository,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  async file(principal: UserPrincipal, interventionId: string, input: FileReport): Promise<ReportView> {
    return this.db.transaction(async () => {
      const row = await this.interventions.visible(principal, interventionId, true);
      if (!principal.contractorId && !hasRole(principal, Role.Dsi)) throw new ForbiddenError('Reports are written by the contractor');
      if (row.status !== 'approved' || new Date(row.starts_at) > this.clock.now()) {
        throw new ConflictError('INTERVENTION_NOT_HELD', 'A report is filed for an intervention that took place');
      }
      const [{ next }] = await this.db.query<{ next: number }>(
        `SELECT coalesce(max(version), 0) + 1 AS next FROM intervention_reports WHERE intervention_id = $1`, [interventionId],
      );
      const referents = input.referentsInformed?.length ? input.referentsInformed : (await this.repo.referentsOf(row.contractor_id)).map((r) => r.email);
      const [report] = await this.db.query<ReportRow>(
        `INSERT INTO intervention_reports (tenant_id, intervention_id, version, operations, intervenants, actions, difficulties, referents_informed, submitted_by, submitted_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING *`,
        [row.tenant_id, interventionId, next, input.operations.trim(), input.intervenants.map((i) => i.trim()), input.actions.trim(),
          input.difficulties.trim(), referents, principal.userId, this.clock.now()],
      );
      if (!row.report_filed_at) await this.repo.update(interventionId, { report_filed_at: this.clock.now() });
      await this.audit.record({
        tenantId: row.tenant_id, actor: actorOf(principal), action: next === 1 ? 'report.filed' : 'report.corrected',
        targetType: 'intervention', targetId: interventionId, after: toReportView(report),
      });
      await this.send(row, report);
      return toReportView(report);
    });
  }

  async versions(principal: UserPrincipal, interventionId: string): Promise<ReportView[]> {
    await this.interventions.visible(principal, interventionId);
    const rows = await this.db.query<ReportRow>(`SELECT * FROM intervention_reports WHERE intervention_id = $1 ORDER BY version`, [interventionId]);
    return rows.map(toReportView);
  }

  /** Scheduler: overdue reports are reminded to their authors, then to the security contacts, then to the DSI; once each. */
  async runDaily(): Promise<number> {
    const overdue = await this.db.query<InterventionRow>(
      `SELECT i.*, ARRAY[]::uuid[] AS account_ids, ARRAY[]::uuid[] AS resource_ids FROM interventions i
        WHERE i.status = 'approved' AND i.report_filed_at IS NULL AND i.starts_at < $1`,
      [this.clock.now()],
    );
    let sent = 0;
    for (const row of overdue) {
      if (row.report_late_at > this.clock.now()) continue;
      const daysLate = Math.max(0, daysBetween(row.report_due_on, await this.calendar.today(row.tenant_id)));
      const contractor = await this.directory.companyName(row.contractor_id);
      const data = { contractor, nature: row.nature, startsAt: new Date(row.starts_at).toISOString(), dueOn: row.report_due_on, daysLate };
      const steps: [keyof typeof REPORT_ESCALATION, () => Promise<Recipient[]>][] = [
        ['authors', () => this.authors(row)],
        ['contacts', () => this.directory.contactsOf(row.contractor_id, ['security_contact', 'security_deputy'])],
        ['dsi', () => this.directory.hospital(row.tenant_id, [Role.Dsi])],
      ];
      for (const [step, recipients] of steps) {
        if (daysLate < REPORT_ESCALATION[step]) continue;
        await this.notifications.emailEach(await recipients(), { tenantId: row.tenant_id, template: 'report-overdue', data, dedupeKey: `report:${row.id}:${step}` });
        sent++;
      }
    }
    return sent;
  }

  private async authors(row: InterventionRow): Promise<Recipient[]> {
    return this.db.query<Recipient>(
      `SELECT DISTINCT u.email, u.locale FROM users u
        WHERE u.status = 'active' AND (u.id = $2 OR u.id IN (SELECT a.user_id FROM intervention_accounts ia JOIN accounts a ON a.id = ia.account_id WHERE ia.intervention_id = $1))`,
      [row.id, row.requested_by],
    );
  }

  /** To the referents; after hours, also to the address registered beforehand, the same day (Art. 43). */
  private async send(row: InterventionRow, report: ReportRow): Promise<void> {
    const contractor = await this.directory.companyName(row.contractor_id);
    const recipients = await this.interventions.referents(row.contractor_id, row.tenant_id);
    const policy = await this.tenants.policyOf(row.tenant_id);
    if (row.outside_business_hours && policy.reportEmail) recipients.push({ email: policy.reportEmail, locale: policy.locale });
    await this.notifications.emailEach(recipients, {
      tenantId: row.tenant_id, template: 'report-filed',
      data: {
        contractor, nature: row.nature, startsAt: new Date(row.starts_at).toISOString(), endsAt: new Date(row.ends_at).toISOString(),
        version: report.version, operations: report.operations, intervenants: report.intervenants.join(', '), actions: report.actions,
        difficulties: report.difficulties, referentsInformed: report.referents_informed.join(', '),
      },
    });
  }
}
