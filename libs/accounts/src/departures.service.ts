import { Injectable, OnModuleInit } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  actorOf, AuditService, bindTo, Clock, ConflictError, Db, DomainError, DomainEventMap, DomainEvents, Keyset, Lifecycle, lockRow, Page, PageQuery,
  SYSTEM_ACTOR, UserPrincipal,
} from '@app/core';
import { ContractorAccess } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { sameName } from '@app/charters';
import { AccountsService } from './accounts.service';
import { AccountEntity, AccountStatus } from './entities';

export interface DeclareDeparture {
  firstName: string;
  lastName: string;
  accountId?: string;
  effectiveOn: string;
}

export class DepartureView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ format: 'date' }) effectiveOn: string;
  @ApiProperty() declaredAt: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When the account was deactivated; null while scheduled' }) appliedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When the DSI reinstated the person (R-INT); null while the departure stands' })
  reinstatedAt: string | null;
}

interface DepartureRow {
  id: string;
  tenant_id: string;
  account_id: string;
  first_name: string;
  last_name: string;
  effective_on: string;
  declared_at: Date;
  applied_at: Date | null;
  reinstated_at: Date | null;
}

/** Newest declaration first (index departures_list_idx). */
const NEWEST = new Keyset('DESC', [['declaredAt', 'declared_at', 'instant'], ['id', 'id', 'uuid']]);

const toView = (r: DepartureRow): DepartureView => ({
  id: r.id, accountId: r.account_id, firstName: r.first_name, lastName: r.last_name, effectiveOn: r.effective_on,
  declaredAt: new Date(r.declared_at).toISOString(), appliedAt: r.applied_at ? new Date(r.applied_at).toISOString() : null,
  reinstatedAt: r.reinstated_at ? new Date(r.reinstated_at).toISOString() : null,
});

/** R-ART35 R-INT: an open account departs once; whoever declares it second learns that it is closed (409). */
const DEPARTING = new Lifecycle<AccountStatus, 'declared departed'>('account', 'ACCOUNT_CLOSED', {
  'declared departed': ['requested', 'approved', 'active', 'suspended'],
});

/**
 * R-ART35 (charter Art. 35): the contractor declares in writing that a person leaves, with the
 * date the account must be deactivated. Today or past: deactivated within the same request
 * (sessions revoked, future windows cancelled, webhook, DSI e-mail). Later: by the scheduler on
 * that date. The declaration itself is kept as evidence. A departure is final (R-INT): no declaration
 * of the contractor names the person again until the DSI reinstates them (ReinstatementService).
 */
@Injectable()
export class DeparturesService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly contractorAccess: ContractorAccess,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.on('contractor.person_named', (e) => this.refuseDeparted(e));
  }

  async declare(principal: UserPrincipal, contractorId: string, input: DeclareDeparture): Promise<DepartureView> {
    return this.db.transaction(async () => {
      const contractor = await this.contractorAccess.require(principal, contractorId, 'declare');
      const matched = await this.match(contractorId, input);
      await lockRow(this.db, 'accounts', matched.id);
      const account = await this.db.manager.getRepository(AccountEntity).findOneByOrFail({ id: matched.id });
      DEPARTING.check(account.status, 'declared departed');
      const [row] = await this.db.query<DepartureRow>(
        `INSERT INTO departures (tenant_id, contractor_id, account_id, first_name, last_name, effective_on, declared_by, declared_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [contractor.tenantId, contractorId, account.id, input.firstName.trim(), input.lastName.trim(), input.effectiveOn, principal.userId, this.clock.now()],
      );
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'departure.declared', targetType: 'account', targetId: account.id,
        after: toView(row),
      });
      if (input.effectiveOn <= (await this.calendar.today(contractor.tenantId))) {
        return toView(await this.apply(row, account, actorOf(principal)));
      }
      return toView(row);
    });
  }

  async list(principal: UserPrincipal, contractorId: string, page: PageQuery): Promise<Page<DepartureView>> {
    await this.contractorAccess.require(principal, contractorId, 'read');
    const params: unknown[] = [contractorId];
    const rows = await this.db.query<DepartureRow>(
      `SELECT * FROM departures WHERE contractor_id = $1 AND ${NEWEST.after(page.cursor, bindTo(params))}
        ORDER BY ${NEWEST.orderBy} LIMIT ${bindTo(params)(page.limit + 1)}`,
      params,
    );
    return NEWEST.page(rows, page.limit, toView, (r) => ({ declaredAt: r.declared_at, id: r.id }));
  }

  /** Scheduler: departures whose date has come, in each tenant's calendar. */
  async applyDue(): Promise<number> {
    const due = await this.db.query<DepartureRow>(`SELECT * FROM departures WHERE applied_at IS NULL ORDER BY effective_on`);
    let applied = 0;
    for (const row of due) {
      if (row.effective_on > (await this.calendar.today(row.tenant_id))) continue;
      await this.db.transaction(async () => {
        // R-INT: two schedulers at once apply it once (the second finds it applied).
        await lockRow(this.db, 'departures', row.id);
        const [due] = await this.db.query<DepartureRow>(`SELECT * FROM departures WHERE id = $1 AND applied_at IS NULL`, [row.id]);
        if (!due) return;
        const account = await this.db.manager.getRepository(AccountEntity).findOneByOrFail({ id: row.account_id });
        await this.apply(due, account, SYSTEM_ACTOR);
        applied++;
      });
    }
    return applied;
  }

  private async apply(row: DepartureRow, account: AccountEntity, actor: ReturnType<typeof actorOf>): Promise<DepartureRow> {
    await this.accounts.deactivate(account, actor, `departure on ${row.effective_on} (Art. 35)`);
    const [updated] = await this.db.query<DepartureRow>(`UPDATE departures SET applied_at = $2 WHERE id = $1 RETURNING *`, [row.id, this.clock.now()]);
    return updated;
  }

  /** R-ART35 R-INT: naming again someone who left (a contact, an account) is refused until the DSI reinstates them. */
  async refuseDeparted(named: DomainEventMap['contractor.person_named']): Promise<void> {
    const [departure] = await this.db.query<DepartureRow>(
      `SELECT d.* FROM departures d JOIN accounts a ON a.id = d.account_id
        WHERE d.contractor_id = $1 AND d.applied_at IS NOT NULL AND d.reinstated_at IS NULL AND (a.user_id = $2 OR lower(a.email) = lower($3))
        ORDER BY d.applied_at DESC LIMIT 1`,
      [named.contractorId, named.userId, named.email.trim()],
    );
    if (!departure) return;
    throw new ConflictError('PERSON_DEPARTED',
      `${departure.first_name} ${departure.last_name} (${named.email.trim()}) left the company on ${departure.effective_on} (departure ${departure.id}): ` +
      'only the DSI can reinstate them', { departure: toView(departure) });
  }

  /** The account named by the declaration: by id when given, else by name within the company, never by guess. */
  private async match(contractorId: string, input: DeclareDeparture): Promise<AccountEntity> {
    const accounts = this.db.manager.getRepository(AccountEntity);
    if (input.accountId) {
      // Whatever its status: a closed one is refused under its lock (409 with the status), like a race's loser.
      const account = await accounts.findOneBy({ id: input.accountId, contractorId });
      if (!account) throw new DomainError('DEPARTURE_NO_MATCH', 422, 'No account of this company has this id', { errors: [{ field: 'accountId', message: 'no account of this company' }] });
      if (!sameName(account.firstName, input.firstName) || !sameName(account.lastName, input.lastName)) {
        throw new DomainError('DEPARTURE_NAME_MISMATCH', 422, `Account ${input.accountId} belongs to ${account.firstName} ${account.lastName}`, {
          errors: [{ field: 'lastName', message: 'does not match the account' }],
        });
      }
      return account;
    }
    const candidates = await accounts.createQueryBuilder('a')
      .where("a.contractor_id = :contractorId AND a.status NOT IN ('deactivated', 'rejected')", { contractorId })
      .getMany();
    const named = candidates.filter((a) => sameName(a.firstName, input.firstName) && sameName(a.lastName, input.lastName));
    if (!named.length) {
      throw new DomainError('DEPARTURE_NO_MATCH', 422, `Nobody named ${input.firstName} ${input.lastName} holds an open account in this company`, {
        errors: [{ field: 'lastName', message: 'no open account with this name' }],
      });
    }
    if (named.length > 1) {
      throw new ConflictError('DEPARTURE_AMBIGUOUS', `${named.length} open accounts are named ${input.firstName} ${input.lastName}; give the accountId`, {
        candidates: named.map((a) => ({ accountId: a.id, email: a.email })),
      });
    }
    return named[0];
  }
}
