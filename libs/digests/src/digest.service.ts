import { Injectable } from '@nestjs/common';
import { Clock, daysBetween, IsoDate, Role } from '@app/core';
import { COMPANY_DOCUMENT_KINDS, DocumentsService } from '@app/charters';
import { Directory } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { NotificationsService, TemplateData } from '@app/notifications';
import { DigestRepository } from './digest.repository';
import { isoWeek } from './iso-week';

export type WeeklyDigest = TemplateData['weekly-digest'];

/** How many lines each section of the e-mail lists; its count is always complete. */
export const DIGEST_LIST_SIZE = 10;
/** "Gates closing soon": re-signature deadlines within this many days. */
export const GATE_HORIZON_DAYS = 14;
const WEEK_MS = 7 * 86_400_000;

/**
 * R-DIG: once a week, the DSI and the RSSI of each tenant receive what waits for them. The job
 * runs hourly; the outbox de-duplication key holds the tenant's ISO week (on its local calendar),
 * so each person gets one digest per week whatever the number of runs, restarts or workers.
 */
@Injectable()
export class DigestService {
  constructor(
    private readonly repo: DigestRepository,
    private readonly documents: DocumentsService,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  async sendWeekly(): Promise<number> {
    let tenants = 0;
    for (const tenant of await this.repo.tenants()) {
      const recipients = await this.directory.hospital(tenant.id, [Role.Dsi, Role.Rssi]);
      if (!recipients.length) continue;
      const digest = await this.compose(tenant, await this.calendar.today(tenant.id));
      await this.notifications.emailEach(recipients, {
        tenantId: tenant.id, template: 'weekly-digest', data: digest, dedupeKey: `digest:${tenant.id}:${digest.week}`,
      });
      tenants++;
    }
    return tenants;
  }

  async compose(tenant: { id: string; name: string }, today: IsoDate): Promise<WeeklyDigest> {
    const now = this.clock.now();
    const reports = await this.repo.overdueReports(tenant.id, now, DIGEST_LIST_SIZE);
    const reviews = await this.repo.overdueReviews(tenant.id, today, DIGEST_LIST_SIZE);
    const anomalies = await this.repo.anomaliesSince(tenant.id, new Date(now.getTime() - WEEK_MS));
    const gates = await this.gatesClosingSoon(tenant.id, today);
    return {
      tenant: tenant.name, week: isoWeek(today), today,
      pending: await this.repo.pendingApprovals(tenant.id),
      overdueReports: {
        count: reports[0]?.total ?? 0,
        items: reports.map((r) => ({ contractor: r.contractor, nature: r.nature, dueOn: r.dueOn, daysLate: daysBetween(r.dueOn, today) })),
      },
      overdueReviews: {
        count: reviews[0]?.total ?? 0,
        items: reviews.map((r) => ({
          contractor: r.contractor, dueOn: r.dueOn, daysLate: daysBetween(r.dueOn, today), undecided: r.undecided,
        })),
      },
      anomalies: { count: anomalies.reduce((sum, a) => sum + a.count, 0), byKind: anomalies },
      gatesClosingSoon: { count: gates.length, items: gates.slice(0, DIGEST_LIST_SIZE) },
      heads: await this.repo.heads(tenant.id),
    };
  }

  /** R-ART2: versions in force whose re-signature deadline falls within the horizon, and who has not re-signed them. */
  private async gatesClosingSoon(tenantId: string, today: IsoDate): Promise<WeeklyDigest['gatesClosingSoon']['items']> {
    const closing: WeeklyDigest['gatesClosingSoon']['items'] = [];
    for (const kind of COMPANY_DOCUMENT_KINDS) {
      const current = await this.documents.current(tenantId, kind, today);
      if (!current?.resignDeadline) continue;
      const daysLeft = daysBetween(today, current.resignDeadline);
      if (daysLeft < 0 || daysLeft > GATE_HORIZON_DAYS) continue;
      for (const { contractor } of await this.repo.notResigned(tenantId, kind, current.id)) {
        closing.push({ contractor, document: current.title, version: current.versionLabel, deadline: current.resignDeadline, daysLeft });
      }
    }
    return closing.sort((a, b) => a.daysLeft - b.daysLeft || a.contractor.localeCompare(b.contractor));
  }
}
