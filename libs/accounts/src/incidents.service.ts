import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { actorOf, AuditService, bindTo, Clock, Db, Keyset, NotFoundError, Page, PageQuery, Role, UserPrincipal, ValidationFailed } from '@app/core';
import { Directory } from '@app/contractors';
import { NotificationsService, WebhooksService } from '@app/notifications';
import { AccountAccess } from './account-access';
import { AccountsService } from './accounts.service';

export type IncidentKind = 'threat' | 'vulnerability' | 'theft' | 'compromise' | 'other';
export const INCIDENT_KINDS: IncidentKind[] = ['threat', 'vulnerability', 'theft', 'compromise', 'other'];

export class IncidentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: INCIDENT_KINDS }) kind: string;
  @ApiProperty() description: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) contractorId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiProperty({ format: 'uuid' }) reportedBy: string;
  @ApiProperty() reportedAt: string;
  @ApiProperty({ description: 'A compromise report suspended the account at once' }) accountSuspended: boolean;
}

export interface IncidentFilter {
  kind?: IncidentKind;
  contractorId?: string;
  accountId?: string;
}

/** Newest report first (index incidents_list_idx). */
const NEWEST = new Keyset('DESC', [['reportedAt', 'i.reported_at', 'instant'], ['id', 'i.id', 'uuid']]);

interface IncidentRow {
  id: string;
  kind: IncidentKind;
  description: string;
  contractor_id: string | null;
  account_id: string | null;
  reported_by: string;
  reported_at: Date;
  account_suspended: boolean;
}

/**
 * R-ART5 (charter Art. 5 and 33): threats, vulnerabilities, thefts, suspected compromise. A
 * compromise report naming an account suspends it within the same request and alerts the RSSI
 * and the contractor's security contacts.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccountAccess,
    private readonly accounts: AccountsService,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhooksService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async report(principal: UserPrincipal, input: { kind: IncidentKind; description: string; accountId?: string }): Promise<IncidentView> {
    return this.db.transaction(async () => {
      const tenantId = principal.tenantId!;
      // Anyone may report about an account they can see (a staff member: their own).
      const account = input.accountId ? await this.access.require(principal, input.accountId, 'read', true).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw new ValidationFailed('Unknown account', [{ field: 'accountId', message: 'no such account visible to you' }]);
        throw error;
      }) : null;
      const contractorId = account?.contractorId ?? principal.contractorId ?? null;
      const [row] = await this.db.query<IncidentRow>(
        `INSERT INTO incidents (tenant_id, contractor_id, account_id, kind, description, reported_by, reported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [tenantId, contractorId, account?.id ?? null, input.kind, input.description.trim(), principal.userId, this.clock.now()],
      );
      await this.audit.record({
        tenantId, actor: actorOf(principal), action: 'incident.reported', targetType: 'incident', targetId: row.id,
        after: { kind: input.kind, accountId: account?.id ?? null, contractorId },
      });
      let suspended = false;
      // R-INT: under the account's lock; a parallel report that suspended it first leaves nothing to do.
      const suspendable = input.kind === 'compromise' && account ? await this.accounts.lockedIf(account.id, 'suspended') : null;
      if (suspendable) {
        await this.accounts.suspendAccount(suspendable, actorOf(principal), 'incident', `suspected compromise reported (incident ${row.id})`, null);
        await this.db.query(`UPDATE incidents SET account_suspended = true WHERE id = $1`, [row.id]);
        suspended = true;
      }
      const contractor = contractorId ? await this.directory.companyName(contractorId) : null;
      const recipients = [
        ...(await this.directory.hospital(tenantId, [Role.Rssi])),
        ...(contractorId ? await this.directory.contactsOf(contractorId, ['security_contact', 'security_deputy', 'rssi']) : []),
      ];
      await this.notifications.emailEach(recipients, {
        tenantId, template: 'incident-reported',
        data: {
          contractor: contractor ?? '—', kind: input.kind, description: input.description.trim(), reporter: principal.email,
          person: account ? `${account.firstName} ${account.lastName}` : null, suspended,
        },
      });
      await this.webhooks.publish(tenantId, 'incident.reported', { incidentId: row.id, kind: input.kind, contractorId, accountId: account?.id ?? null, accountSuspended: suspended });
      return { ...toView(row), accountSuspended: suspended };
    });
  }

  async list(principal: UserPrincipal, filter: IncidentFilter, page: PageQuery): Promise<Page<IncidentView>> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const where = [`i.tenant_id = ${bind(principal.tenantId)}`];
    if (principal.contractorId) {
      where.push(`i.contractor_id = ${bind(principal.contractorId)}`);
      if (!principal.roles.some((r) => [Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy].includes(r))) {
        where.push(`i.reported_by = ${bind(principal.userId)}`);
      }
    }
    if (filter.kind) where.push(`i.kind = ${bind(filter.kind)}`);
    if (filter.contractorId) where.push(`i.contractor_id = ${bind(filter.contractorId)}`);
    if (filter.accountId) where.push(`i.account_id = ${bind(filter.accountId)}`);
    where.push(NEWEST.after(page.cursor, bind));
    const rows = await this.db.query<IncidentRow>(
      `SELECT i.* FROM incidents i WHERE ${where.join(' AND ')} ORDER BY ${NEWEST.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
    return NEWEST.page(rows, page.limit, toView, (r) => ({ reportedAt: r.reported_at, id: r.id }));
  }
}

function toView(r: IncidentRow): IncidentView {
  return {
    id: r.id, kind: r.kind, description: r.description, contractorId: r.contractor_id, accountId: r.account_id,
    reportedBy: r.reported_by, reportedAt: new Date(r.reported_at).toISOString(), accountSuspended: r.account_suspended,
  };
}
