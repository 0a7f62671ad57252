import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import {
  actorOf, AuditService, Clock, ConflictError, Db, isUniqueViolation, Keyset, Lifecycle, NotFoundError, Page, PageQuery, Principal, UserPrincipal,
  ValidationFailed,
} from '@app/core';
import { TenantCalendar } from '@app/identity';
import { AccountAccess } from './account-access';
import { AccessType, AccountEntity, Criticality, HabilitationEntity, HabilitationStatus, Level, ResourceEntity, ResourceKind } from './entities';
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

/**
 * The catalogue by name (index resources_list_idx); habilitations in the order requested: one account's
 * (habilitations_list_idx), the tenant's queue in one status (habilitations_queue_idx).
 */
const RESOURCES = new Keyset('ASC', [['name', 'r.name', 'text'], ['id', 'r.id', 'uuid']]);
const HABILITATIONS = new Keyset('ASC', [['requestedAt', 'h.requested_at', 'instant'], ['id', 'h.id', 'uuid']]);

type HabilitationDecision = 'approved' | 'rejected' | 'revoked';

/** R-ART31 R-INT: a requested habilitation is approved or rejected once; only an approved one is revoked. */
const HABILITATION_LIFECYCLE = new Lifecycle<HabilitationStatus, HabilitationDecision>('habilitation', 'ILLEGAL_TRANSITION', {
  approved: ['requested'],
  rejected: ['requested'],
  revoked: ['approved'],
});

/** The tenant's habilitations: optionally of one company's accounts (the DSI's queue: `status: 'requested'`). */
export interface HabilitationFilter {
  status?: HabilitationStatus;
  contractorId?: string;
}

/**
 * R-ART31 (charter Art. 31, 34): the tenant's catalogue of resources, and each account's
 * declared scope: resource + access type + level, approved by the DSI, with an optional end date
 * after which it stops counting on its own.
 */
@Injectable()
export class ScopesService {
  constructor(
    private readonly db: Db,
    private readonly access: AccountAccess,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  private get resources() {
    return this.db.manager.getRepository(ResourceEntity);
  }
  private get habilitations() {
    return this.db.manager.getRepository(HabilitationEntity);
  }

  async createResource(principal: UserPrincipal, input: CreateResource): Promise<ResourceView> {
    return this.db.transaction(async () => {
      const resource = await this.resources.save(this.resources.create({
        tenantId: principal.tenantId!, name: input.name.trim(), kind: input.kind, criticality: input.criticality,
        externalId: input.externalId?.trim() || null,
      })).catch((error: unknown) => {
        if (isUniqueViolation(error, 'resources_tenant_id_name_key')) throw new ConflictError('RESOURCE_EXISTS', `A resource named "${input.name}" already exists`);
        if (isUniqueViolation(error, 'resources_external_id_key')) throw new ConflictError('RESOURCE_EXISTS', `A resource with external id "${input.externalId}" already exists`);
        throw error;
      });
      await this.audit.record({
        tenantId: resource.tenantId, actor: actorOf(principal), action: 'resource.created', targetType: 'resource', targetId: resource.id,
        after: toResourceView(resource),
      });
      return toResourceView(resource);
    });
  }

  async listResources(principal: Principal, filter: { kind?: ResourceKind; criticality?: Criticality }, page: PageQuery): Promise<Page<ResourceView>> {
    const query = this.resources.createQueryBuilder('r').where('r.tenant_id = :tenantId', { tenantId: principal.tenantId });
    if (filter.kind) query.andWhere('r.kind = :kind', { kind: filter.kind });
    if (filter.criticality) query.andWhere('r.criticality = :criticality', { criticality: filter.criticality });
    const rows = await RESOURCES.applyTo(query, page).getMany();
    return RESOURCES.page(rows, page.limit, toResourceView, (r) => ({ name: r.name, id: r.id }));
  }

  /** Requested by the contractor's security contact or deputy (or the DSI); counts once the DSI approves. */
  async request(principal: UserPrincipal, accountId: string, input: RequestHabilitation): Promise<HabilitationView> {
    return this.db.transaction(async () => {
      const account = await this.access.require(principal, accountId, 'declare');
      if (['deactivated', 'rejected'].includes(account.status)) throw new ConflictError('ACCOUNT_CLOSED', `This account is ${account.status}`);
      const today = await this.calendar.today(account.tenantId);
      if (input.endsOn && input.endsOn < today) {
        throw new ValidationFailed('The habilitation would already be over', [{ field: 'endsOn', message: 'must be today or later' }]);
      }
      const resource = await this.resources.findOneBy({ id: input.resourceId, tenantId: account.tenantId });
      if (!resource) throw new ValidationFailed('Unknown resource', [{ field: 'resourceId', message: 'no such resource in the catalogue' }]);
      const habilitation = await this.habilitations.save(this.habilitations.create({
        tenantId: account.tenantId, accountId, resourceId: resource.id, accessType: input.accessType, level: input.level,
        endsOn: input.endsOn ?? null, status: 'requested', requestedBy: principal.userId, requestedAt: this.clock.now(),
      }));
      await this.audit.record({
        tenantId: account.tenantId, actor: actorOf(principal), action: 'habilitation.requested', targetType: 'habilitation',
        targetId: habilitation.id, after: toHabilitationView(habilitation, today),
      });
      return toHabilitationView(habilitation, today);
    });
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

  async list(principal: UserPrincipal, accountId: string, filter: { status?: HabilitationStatus }, page: PageQuery): Promise<Page<HabilitationView>> {
    const account = await this.access.require(principal, accountId, 'read');
    const today = await this.calendar.today(account.tenantId);
    return this.page(this.habilitations.createQueryBuilder('h').where('h.account_id = :accountId', { accountId }), filter, page, today);
  }

  /**
   * R-ART31: the tenant's habilitations, oldest request first; with `status: 'requested'`, what waits
   * for the DSI. Scoped like the accounts they belong to (AccountAccess.restrictList).
   */
  async listTenant(principal: UserPrincipal, filter: HabilitationFilter, page: PageQuery): Promise<Page<HabilitationView>> {
    const query = this.habilitations.createQueryBuilder('h').where('h.tenant_id = :tenantId', { tenantId: principal.tenantId });
    // Hospital people read the whole tenant (an index range of habilitations_queue_idx); the accounts
    // are joined only to narrow the list to a company, or to a contractor person's view.
    if (filter.contractorId || principal.contractorId) {
      await this.access.restrictList(principal, query.innerJoin(AccountEntity, 'a', 'a.id = h.account_id'), filter.contractorId);
    }
    return this.page(query, filter, page, await this.calendar.today(principal.tenantId!));
  }

  private async page(query: SelectQueryBuilder<HabilitationEntity>, filter: { status?: HabilitationStatus }, page: PageQuery, today: string) {
    if (filter.status) query.andWhere('h.status = :status', { status: filter.status });
    const rows = await HABILITATIONS.applyTo(query, page).getMany();
    return HABILITATIONS.page(rows, page.limit, (h) => toHabilitationView(h, today), (h) => ({ requestedAt: h.requestedAt, id: h.id }));
  }

  private async decide(principal: UserPrincipal, id: string, status: HabilitationDecision, reason: string | null) {
    return this.db.transaction(async () => {
      // Locked: two decisions at once must not both see it `requested` (or `approved`) and both apply.
      const habilitation = await this.habilitations.findOne({ where: { id, tenantId: principal.tenantId! }, lock: { mode: 'pessimistic_write' } });
      if (!habilitation) throw new NotFoundError('Habilitation');
      const account = await this.access.require(principal, habilitation.accountId, 'administer').catch((error: unknown) => {
        throw error instanceof NotFoundError ? new NotFoundError('Habilitation') : error;
      });
      HABILITATION_LIFECYCLE.check(habilitation.status, status);
      // As when requesting: a rejected or deactivated account is given no scope (closing what is left stays possible).
      if (status === 'approved' && ['deactivated', 'rejected'].includes(account.status)) {
        throw new ConflictError('ACCOUNT_CLOSED', `This account is ${account.status}`);
      }
      const now = this.clock.now();
      const changes = status === 'revoked'
        ? { status, revokedAt: now, reason }
        : { status, decidedBy: principal.userId, decidedAt: now, reason };
      await this.habilitations.update({ id }, changes);
      await this.audit.record({
        tenantId: habilitation.tenantId, actor: actorOf(principal), action: `habilitation.${status}`, targetType: 'habilitation', targetId: id,
        before: { status: habilitation.status }, after: { status, reason },
      });
      return toHabilitationView((await this.habilitations.findOneByOrFail({ id })), await this.calendar.today(habilitation.tenantId));
    });
  }
}
