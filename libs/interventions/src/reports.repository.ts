import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';
import { Report } from './views';

const REPORT = `id, intervention_id AS "interventionId", version, operations, intervenants, actions, difficulties,
  referents_informed AS "referentsInformed", submitted_at AS "submittedAt", submitted_by AS "submittedBy"`;

export type NewReport = Omit<Report, 'id'>;

/** An overdue report's window, as the reminders need it. */
export interface OverdueWindow {
  id: string;
  tenantId: string;
  contractorId: string;
  contractorName: string;
  nature: string;
  startsAt: Date;
  reportDueOn: string;
  reportLateAt: Date;
  requestedBy: string | null;
}

/** Reports are immutable once written (a trigger refuses changes): a correction is a new version. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Db) {}

  async nextVersion(interventionId: string): Promise<number> {
    const [{ next }] = await this.db.query<{ next: number }>(
      `SELECT coalesce(max(version), 0) + 1 AS next FROM intervention_reports WHERE intervention_id = $1`, [interventionId],
    );
    return next;
  }

  async insert(scope: TenantScope, report: NewReport): Promise<Report> {
    const [row] = await this.db.query<Report>(
      `INSERT INTO intervention_reports (tenant_id, intervention_id, version, operations, intervenants, actions, difficulties,
         referents_informed, submitted_by, submitted_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING ${REPORT}`,
      [scope.tenantId, report.interventionId, report.version, report.operations, report.intervenants, report.actions, report.difficulties,
        report.referentsInformed, report.submittedBy, report.submittedAt],
    );
    return row;
  }

  versions(interventionId: string): Promise<Report[]> {
    return this.db.query<Report>(`SELECT ${REPORT} FROM intervention_reports WHERE intervention_id = $1 ORDER BY version`, [
      interventionId,
    ]);
  }

  /** Windows held without a report, every tenant (the daily job). */
  unreported(now: Date): Promise<OverdueWindow[]> {
    return this.db.query<OverdueWindow>(
      `SELECT i.id, i.tenant_id AS "tenantId", i.contractor_id AS "contractorId", c.legal_name AS "contractorName", i.nature,
              i.starts_at AS "startsAt", i.report_due_on AS "reportDueOn", i.report_late_at AS "reportLateAt",
              i.requested_by AS "requestedBy"
         FROM interventions i JOIN contractors c ON c.id = i.contractor_id
        WHERE i.status = 'approved' AND i.report_filed_at IS NULL AND i.starts_at < $1`,
      [now],
    );
  }
}
