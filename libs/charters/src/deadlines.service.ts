import { Injectable } from '@nestjs/common';
import { AuditService, daysBetween, Db, IsoDate, lockRow, Role, SYSTEM_ACTOR } from '@app/core';
import { Directory } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { ChartersRepository, LateSigner } from './charters.repository';
import { DocumentEntity } from './entities';
import { signatureInForce } from './signature-in-force';
import { COMPANY_DOCUMENT_KINDS, CompanyDocumentKind } from './types';

/** R-ART2: reminders before a re-signature deadline (days left), then the closing notice. */
export const RESIGN_REMINDER_DAYS = [14, 7, 1];

/**
 * Scheduler (hourly, idempotent by de-duplication keys): reminds the companies that signed only a superseded version,
 * then tells them and the DSI once the deadline has passed (the gate closes by itself; this makes it known, and audited).
 */
@Injectable()
export class CharterDeadlinesService {
  constructor(
    private readonly db: Db,
    private readonly repo: ChartersRepository,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
  ) {}

  async runDaily(): Promise<{ reminders: number; closures: number }> {
    let reminders = 0;
    let closures = 0;
    for (const tenantId of await this.repo.tenantIds()) {
      const today = await this.calendar.today(tenantId);
      for (const kind of COMPANY_DOCUMENT_KINDS) {
        const current = await this.repo.current({ tenantId }, kind, today);
        if (!current?.resignDeadline) continue;
        for (const late of await this.lateSigners(kind, current, today)) {
          const daysLeft = daysBetween(today, current.resignDeadline);
          if (daysLeft >= 0) reminders += await this.remind(current, late, daysLeft);
          else if (await this.close(current, late)) closures++;
        }
      }
    }
    return { reminders, closures };
  }

  /** The companies whose signature in force is a superseded version (before the deadline) or is missing since (after it). */
  private async lateSigners(kind: CompanyDocumentKind, current: DocumentEntity, today: IsoDate): Promise<LateSigner[]> {
    const late = await this.repo.lateSigners({ tenantId: current.tenantId }, current);
    const signatures = await this.repo.companySignatures(late.map((c) => c.contractorId), [kind]);
    return late.filter(({ contractorId }) => {
      const found = signatureInForce(current, signatures.filter((s) => s.contractorId === contractorId), today);
      return found.problem !== null || found.signature.documentId !== current.id;
    });
  }

  private async remind(current: DocumentEntity, late: LateSigner, daysLeft: number): Promise<number> {
    const step = [...RESIGN_REMINDER_DAYS].sort((a, b) => a - b).find((d) => daysLeft <= d);
    if (step === undefined) return 0;
    await this.notifications.emailEach(await this.directory.contactsOf(late.contractorId), {
      tenantId: current.tenantId, template: 'resign-reminder', data: { ...noticeData(current, late, current.resignDeadline!), daysLeft },
      dedupeKey: `resign:${current.id}:${late.contractorId}:d${step}`,
    });
    return 1;
  }

  private close(current: DocumentEntity, late: LateSigner): Promise<boolean> {
    const tenantId = current.tenantId;
    return this.db.transaction(async () => {
      // R-INT: two schedulers at once close the gate once (the second sees the first's event).
      await lockRow(this.db, 'contractors', late.contractorId);
      if (await this.repo.gateClosureRecorded({ tenantId }, late.contractorId, current.id)) return false;
      await this.audit.record({
        tenantId, actor: SYSTEM_ACTOR, action: 'contractor.gate_closed', targetType: 'contractor', targetId: late.contractorId,
        after: {
          reason: 'resign_deadline_passed', documentId: current.id, kind: current.kind, version: current.versionLabel,
          deadline: current.resignDeadline,
        },
      });
      const contacts = await this.directory.contactsOf(late.contractorId);
      await this.notifications.emailEach([...contacts, ...(await this.directory.hospital(tenantId, [Role.Dsi]))], {
        tenantId, template: 'resign-overdue', data: noticeData(current, late, current.resignDeadline!),
        dedupeKey: `resign:${current.id}:${late.contractorId}:overdue`,
      });
      return true;
    });
  }
}

const noticeData = (current: DocumentEntity, late: LateSigner, deadline: IsoDate) => ({
  contractor: late.legalName, contractorId: late.contractorId, document: current.title, version: current.versionLabel, deadline,
});
