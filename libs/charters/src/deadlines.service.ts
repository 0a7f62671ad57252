import { Injectable } from '@nestjs/common';
import { AuditService, daysBetween, Db, lockRow, Role, SYSTEM_ACTOR } from '@app/core';
import { ContractorsRepository, Directory } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { DocumentsService } from './documents.service';
import { COMPANY_DOCUMENT_KINDS } from './entities';

/** R-ART2: reminders before a re-signature deadline (days left), then the closing notice. */
export const RESIGN_REMINDER_DAYS = [14, 7, 1];

/**
 * Scheduler (hourly, idempotent through outbox de-duplication keys): for every new version with a
 * re-signature deadline, reminds the contractors that signed only an earlier version, and once
 * the deadline has passed tells them and the DSI that their access is closed (the gate computes
 * the closure itself; this job only makes it known and leaves it in the audit trail).
 */
@Injectable()
export class CharterDeadlinesService {
  constructor(
    private readonly db: Db,
    private readonly documents: DocumentsService,
    private readonly contractors: ContractorsRepository,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
  ) {}

  async runDaily(): Promise<{ reminders: number; closures: number }> {
    let reminders = 0;
    let closures = 0;
    const tenants = await this.db.query<{ id: string }>(`SELECT id FROM tenants`);
    for (const { id: tenantId } of tenants) {
      const today = await this.calendar.today(tenantId);
      for (const kind of COMPANY_DOCUMENT_KINDS) {
        const current = await this.documents.current(tenantId, kind, today);
        if (!current?.resignDeadline) continue;
        const late = await this.db.query<{ contractor_id: string; legal_name: string }>(
          `SELECT DISTINCT c.id AS contractor_id, c.legal_name
             FROM signatures s JOIN documents d ON d.id = s.document_id JOIN contractors c ON c.id = s.contractor_id
            WHERE s.tenant_id = $1 AND s.account_id IS NULL AND s.status = 'validated' AND d.kind = $2 AND d.id <> $3
              AND NOT EXISTS (SELECT 1 FROM signatures v WHERE v.contractor_id = c.id AND v.document_id = $3 AND v.status = 'validated')`,
          [tenantId, kind, current.id],
        );
        for (const c of late) {
          const data = { contractor: c.legal_name, document: current.title, version: current.versionLabel, deadline: current.resignDeadline };
          const contacts = await this.directory.contactsOf(c.contractor_id);
          const daysLeft = daysBetween(today, current.resignDeadline);
          if (daysLeft >= 0) {
            const step = [...RESIGN_REMINDER_DAYS].sort((a, b) => a - b).find((d) => daysLeft <= d);
            if (step === undefined) continue;
            await this.notifications.emailEach(contacts, {
              tenantId, template: 'resign-reminder', data: { ...data, daysLeft }, dedupeKey: `resign:${current.id}:${c.contractor_id}:d${step}`,
            });
            reminders++;
            continue;
          }
          const closed = await this.db.transaction(async () => {
            // R-INT: two schedulers at once close the gate once (the second sees the first's event).
            await lockRow(this.db, 'contractors', c.contractor_id);
            if (await this.alreadyClosed(tenantId, c.contractor_id, current.id)) return false;
            await this.audit.record({
              tenantId, actor: SYSTEM_ACTOR, action: 'contractor.gate_closed', targetType: 'contractor', targetId: c.contractor_id,
              after: { reason: 'resign_deadline_passed', documentId: current.id, kind, version: current.versionLabel, deadline: current.resignDeadline },
            });
            await this.notifications.emailEach([...contacts, ...(await this.directory.hospital(tenantId, [Role.Dsi]))], {
              tenantId, template: 'resign-overdue', data, dedupeKey: `resign:${current.id}:${c.contractor_id}:overdue`,
            });
            return true;
          });
          if (closed) closures++;
        }
      }
    }
    return { reminders, closures };
  }

  private async alreadyClosed(tenantId: string, contractorId: string, documentId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = 'contractor.gate_closed' AND target_id = $2 AND after->>'documentId' = $3 LIMIT 1`,
      [tenantId, contractorId, documentId],
    );
    return rows.length > 0;
  }
}
