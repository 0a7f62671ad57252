import { Injectable } from '@nestjs/common';
import { Clock, daysBetween, Role } from '@app/core';
import { Directory, Recipient } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { ReferentsRepository } from './referents.repository';
import { ReportsRepository } from './reports.repository';

/** R-ART42 escalation: days late when the authors are reminded, then the security contacts, then the DSI. */
export const REPORT_ESCALATION = { authors: 0, contacts: 1, dsi: 3 };

/** The daily job: overdue reports are reminded to their authors, then to the security contacts, then to the DSI; once each. */
@Injectable()
export class ReportReminders {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly people: ReferentsRepository,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  async runDaily(): Promise<number> {
    const overdue = await this.reports.unreported(this.clock.now());
    let sent = 0;
    for (const row of overdue) {
      if (row.reportLateAt > this.clock.now()) continue;
      const daysLate = Math.max(0, daysBetween(row.reportDueOn, await this.calendar.today(row.tenantId)));
      const startsAt = row.startsAt.toISOString();
      const data = { contractor: row.contractorName, nature: row.nature, startsAt, dueOn: row.reportDueOn, daysLate };
      const steps: [keyof typeof REPORT_ESCALATION, () => Promise<Recipient[]>][] = [
        ['authors', () => this.people.authors(row.id, row.requestedBy)],
        ['contacts', () => this.directory.contactsOf(row.contractorId, ['security_contact', 'security_deputy'])],
        ['dsi', () => this.directory.hospital(row.tenantId, [Role.Dsi])],
      ];
      for (const [step, recipients] of steps) {
        if (daysLate < REPORT_ESCALATION[step]) continue;
        await this.notifications.emailEach(await recipients(), {
          tenantId: row.tenantId, template: 'report-overdue', data, dedupeKey: `report:${row.id}:${step}`,
        });
        sent++;
      }
    }
    return sent;
  }
}
