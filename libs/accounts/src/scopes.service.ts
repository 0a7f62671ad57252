import { Injectable } from '@nestjs/common';
import {
  Actor, actorOf, AuditService, Clock, Db, DomainEvents, Lifecycle, NotFoundError, Page, PageQuery, Principal, Transactional,
  UserPrincipal,
} from '@app/core';
import { TenantCalendar } from '@app/identity';
import { AccountAccess, closedParams } from './account-access';
import { AccessType, Criticality, HabilitationEntity, HabilitationStatus, Level, ResourceKind } from './entities';
import { AccountErrors } from './errors';
import './events';
import { HABILITATIONS, RESOURCES, ScopesRepository } from './scopes.repository';
import { HabilitationView, ResourceView, toHabilitationView, toResourceView } from './views';

export interface CreateResource {
  name: string;
  kind: ResourceKind;
  criticality: Criticality;
  externalId?: string;
}

export interface RequestHabilitation {
  resourceId: string;
  accessType: AccessType;
  level: Level;
  endsOn?: string;
}

type HabilitationDecision = 'approved' | 'rejected' | 'revoked';

/** R-ART31 R-INT: a requested habilitation is approved or rejected once; only an approved one is revoked. */
const HABILITATION_LIFECYCLE = new Lifecycle<HabilitationStatus, HabilitationDecision>('Habilitation', 'ILLEGAL_TRANSITION', {
  approved: ['requested'],
  rejected: ['requested'],
  revoked: ['approved'],
});

/** The tenant's habilitations: optionally of one company's accounts (the DSI's queue: `status: 'requested'`). */
export interface HabilitationFilter {
  status?: HabilitationStatus;
  contractorId?: string;
}

/** R-ART34: what a certified access review changes in an approved habilitation (its own campaign). */
export type ReviewChange = { revoke: true } | { level: Level };

/**
 * R-ART31 (charter Art. 31, 34): the tenant's catalogue of resources, and each account's declared scope: resource +
 * access type + level, approved by the DSI, with an optional end date after which it stops counting on its own.
 */
@Injectable()
export class ScopesService {
  constructor(
    readonly db: Db,
    private readonly access: AccountAccess,
    private readonly scopes: ScopesRepository,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  @Transactional()
  async createResource(principal: UserPrincipal, input: CreateResource): Promise<ResourceView> {
    const resource = await this.scopes.insertResource({
      tenantId: principal.tenantId!, name: input.name.trim(), kind: input.kind, criticality: input.criticality,
      externalId: input.externalId?.trim() || null,
    });
    if (resource === 'name') throw AccountErrors.error('RESOURCE_EXISTS', { name: input.name.trim() });
    if (resource === 'externalId') throw AccountErrors.error('RESOURCE_EXTERNAL_ID_EXISTS',
      { externalId: input.externalId!.trim() });
    await this.audit.record({
      tenantId: resource.tenantId, actor: actorOf(principal), action: 'resource.created', targetType: 'resource', targetId: resource.id,
      after: toResourceView(resource),
    });
    return toResourceView(resource);
  }

  async listResources(principal: Principal, filter: { kind?: ResourceKind; criticality?: Criticality },
    page: PageQuery): Promise<Page<ResourceView>> {
    const rows = await this.scopes.listResources({ tenantId: principal.tenantId! }, filter, page);
    return RESOURCES.page(rows, page.limit, toResourceView, (r) => ({ name: r.name, id: r.id }));
  }

  /** Requested by the contractor's security contact or deputy (or the DSI); counts once the DSI approves. */
  @Transactional()
  async request(principal: UserPrincipal, accountId: string, input: RequestHabilitation): Promise<HabilitationView> {
    const account = await this.access.require(principal, accountId, 'declare');
    if (['deactivated', 'rejected'].includes(account.status)) throw AccountErrors.error('ACCOUNT_CLOSED', closedParams(account));
    const today = await this.calendar.today(account.tenantId);
    if (input.endsOn && input.endsOn < today) {
      throw AccountErrors.invalid('HABILITATION_ALREADY_OVER', 'endsOn');
    }
    const resource = await this.scopes.findResource({ tenantId: account.tenantId }, input.resourceId);
    if (!resource) throw AccountErrors.invalid('RESOURCE_UNKNOWN', 'resourceId');
    const habilitation = await this.scopes.insertHabilitation({
      tenantId: account.tenantId, accountId, resourceId: resource.id, accessType: input.accessType, level: input.level,
      endsOn: input.endsOn ?? null, status: 'requested', requestedBy: principal.userId, requestedAt: this.clock.now(),
    });
    await this.audit.record({
      tenantId: account.tenantId, actor: actorOf(principal), action: 'habilitation.requested', targetType: 'habilitation',
      targetId: habilitation.id, after: toHabilitationView(habilitation, today),
    });
    return toHabilitationView(habilitation, today);
  }

  approve(principal: UserPrincipal, id: string): Promise<HabilitationView> {
    return this.decide(principal, id, 'approved', null);
  }

  reject(principal: UserPrincipal, id: string, reason: string): Promise<HabilitationView> {
    return this.decide(principal, id, 'rejected', reason);
  }

  revoke(principal: UserPrincipal, id: string, reason: string): Promise<HabilitationView> {
    return this.decide(principal, id, 'revoked', reason);
  }

  async list(principal: UserPrincipal, accountId: string, filter: { status?: HabilitationStatus },
    page: PageQuery): Promise<Page<HabilitationView>> {
    const account = await this.access.require(principal, accountId, 'read');
    const today = await this.calendar.today(account.tenantId);
    return this.page(await this.scopes.ofAccount(accountId, filter.status, page), page, today);
  }

  /** R-ART31: the tenant's habilitations, oldest request first; with `status: 'requested'`, what waits for the DSI. */
  async listTenant(principal: UserPrincipal, filter: HabilitationFilter, page: PageQuery): Promise<Page<HabilitationView>> {
    const rows = await this.scopes.ofTenant(await this.access.visibility(principal, filter.contractorId), filter.status, page);
    return this.page(rows, page, await this.calendar.today(principal.tenantId!));
  }

  /**
   * R-ART34: a certified review revokes an approved habilitation or changes its level, audited with the campaign
   * ('habilitation.revoked', 'habilitation.level_changed'); revoked meanwhile by the DSI, nothing changes.
   */
  async applyReview(tenantId: string, id: string, change: ReviewChange, actor: Actor, campaignId: string,
    levelBefore: unknown): Promise<void> {
    const reason = `access review ${campaignId}`;
    const revokedAt = this.clock.now();
    // Only a habilitation still approved changes (a conditional update): a parallel decision leaves it alone.
    const applied = 'revoke' in change
      ? await this.scopes.updateApproved(id, { status: 'revoked', revokedAt, reason })
      : await this.scopes.updateApproved(id, { level: change.level, reason });
    if (!applied) return;
    const after = 'revoke' in change ? { status: 'revoked', revoked_at: revokedAt, reason } : { level: change.level, reason };
    await this.audit.record({
      tenantId, actor, action: 'revoke' in change ? 'habilitation.revoked' : 'habilitation.level_changed', targetType: 'habilitation',
      targetId: id, before: { level: levelBefore, status: 'approved' }, after: { ...after, campaignId },
    });
    const { accountId } = await this.scopes.getHabilitation(id);
    await this.events.emit('habilitation.changed', { tenantId, accountId, habilitationId: id });
  }

  private page(rows: HabilitationEntity[], page: PageQuery, today: string): Page<HabilitationView> {
    return HABILITATIONS.page(rows, page.limit, (h) => toHabilitationView(h, today), (h) => ({ requestedAt: h.requestedAt, id: h.id }));
  }

  private async decide(principal: UserPrincipal, id: string, status: HabilitationDecision, reason: string | null) {
    return this.db.transaction(async () => {
      // Locked: two decisions at once must not both see it `requested` (or `approved`) and both apply.
      const habilitation = await this.scopes.findHabilitation({ tenantId: principal.tenantId! }, id, true);
      if (!habilitation) throw new NotFoundError('Habilitation');
      const account = await this.access.require(principal, habilitation.accountId, 'administer').catch((error: unknown) => {
        throw error instanceof NotFoundError ? new NotFoundError('Habilitation') : error;
      });
      HABILITATION_LIFECYCLE.check(habilitation.status, status);
      // As when requesting: a rejected or deactivated account is given no scope (closing what is left stays possible).
      if (status === 'approved' && ['deactivated', 'rejected'].includes(account.status)) {
        throw AccountErrors.error('ACCOUNT_CLOSED', closedParams(account));
      }
      const now = this.clock.now();
      await this.scopes.updateHabilitation(id, status === 'revoked' ? { status, revokedAt: now, reason } : { status,
        decidedBy: principal.userId, decidedAt: now, reason });
      await this.audit.record({
        tenantId: habilitation.tenantId, actor: actorOf(principal), action: `habilitation.${status}`, targetType: 'habilitation',
        targetId: id,
        before: { status: habilitation.status }, after: { status, reason },
      });
      await this.events.emit('habilitation.changed', {
        tenantId: habilitation.tenantId, accountId: habilitation.accountId, habilitationId: id,
      });
      return toHabilitationView(await this.scopes.getHabilitation(id), await this.calendar.today(habilitation.tenantId));
    });
  }
}
