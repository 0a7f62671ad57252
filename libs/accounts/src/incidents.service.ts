import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { actorOf, AuditService, Clock, Db, DomainEvents, isStaffOnly, NotFoundError, Page, PageQuery, UserPrincipal } from '@app/core';
import { AccountErrors } from './errors';
import { AccountAccess } from './account-access';
import { AccountLifecycle } from './account-lifecycle';
import { Incident, INCIDENT_KINDS, IncidentKind, IncidentsRepository, NEWEST_INCIDENTS } from './incidents.repository';

export { INCIDENT_KINDS, IncidentKind };

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

const toView = (i: Incident): IncidentView => ({ ...i, reportedAt: i.reportedAt.toISOString() });

/**
 * R-ART5 (charter Art. 5 and 33): threats, vulnerabilities, thefts, suspected compromise. A compromise report naming
 * an account suspends it within the same request; the RSSI and the contractor's security contacts are alerted (AccountNotifications).
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccountAccess,
    private readonly lifecycle: AccountLifecycle,
    private readonly incidents: IncidentsRepository,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async report(principal: UserPrincipal, input: { kind: IncidentKind; description: string; accountId?: string }): Promise<IncidentView> {
    return this.db.transaction(async () => {
      const tenantId = principal.tenantId!;
      // Anyone may report about an account they can see (a staff member: their own).
      const account = input.accountId ? await this.access.require(principal, input.accountId, 'read', true).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw AccountErrors.invalid('ACCOUNT_UNKNOWN', 'accountId');
        throw error;
      }) : null;
      const contractorId = account?.contractorId ?? principal.contractorId ?? null;
      const incident = await this.incidents.insert({ tenantId }, {
        kind: input.kind, description: input.description.trim(), contractorId, accountId: account?.id ?? null, reportedBy: principal.userId,
        reportedAt: this.clock.now(),
      });
      await this.audit.record({
        tenantId, actor: actorOf(principal), action: 'incident.reported', targetType: 'incident', targetId: incident.id,
        after: { kind: input.kind, accountId: account?.id ?? null, contractorId },
      });
      let suspended = false;
      // R-INT: under the account's lock; a parallel report that suspended it first leaves nothing to do.
      if (input.kind === 'compromise' && account && (await this.lifecycle.lockedIf(account.id, 'suspended'))) {
        await this.lifecycle.suspend(account.id, actorOf(principal), 'incident', `suspected compromise reported (incident ${incident.id})`,
          null);
        await this.incidents.markAccountSuspended(incident.id);
        suspended = true;
      }
      await this.events.emit('incident.reported', {
        tenantId, incidentId: incident.id, kind: input.kind, description: input.description.trim(), contractorId,
        accountId: account?.id ?? null,
        reporter: principal.email, accountSuspended: suspended,
      });
      return { ...toView(incident), accountSuspended: suspended };
    });
  }

  async list(principal: UserPrincipal, filter: IncidentFilter, page: PageQuery): Promise<Page<IncidentView>> {
    const scope = { tenantId: principal.tenantId!, contractorId: principal.contractorId };
    const rows = await this.incidents.list(scope, { ...filter, reportedBy: isStaffOnly(principal) ? principal.userId : undefined }, page);
    return NEWEST_INCIDENTS.page(rows, page.limit, toView, (i) => ({ reportedAt: i.reportedAt, id: i.id }));
  }
}
