import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { actorOf, Db, DomainEventMap, Page, PageQuery, SYSTEM_ACTOR, UserPrincipal } from '@app/core';
import { sameName } from '@app/charters';
import { ContractorAccess } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { AccountsRepository } from './accounts.repository';
import { DEPARTING, DepartureRecords } from './departure-records';
import { Departure, DeparturesRepository, NEWEST_DEPARTURES } from './departures.repository';
import { AccountEntity } from './entities';
import { AccountErrors } from './errors';

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
  @ApiPropertyOptional({ nullable: true, type: String,
    description: 'When the account was deactivated; null while scheduled' }) appliedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String,
    description: 'When the DSI reinstated the person (R-INT); null while the departure stands' })
  reinstatedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String,
    description: 'R-MEMB the establishment where it was declared, when it came from there (same person, same company SIRET)' })
  originEstablishment: string | null;
}

const toView = (d: Departure): DepartureView => ({
  id: d.id, accountId: d.accountId, firstName: d.firstName, lastName: d.lastName, effectiveOn: d.effectiveOn,
  declaredAt: d.declaredAt.toISOString(), appliedAt: d.appliedAt?.toISOString() ?? null,
  reinstatedAt: d.reinstatedAt?.toISOString() ?? null, originEstablishment: d.originEstablishment,
});

/**
 * R-ART35: the contractor declares in writing that a person leaves and when (today or past: at once; later: the
 * scheduler). Final (R-INT) until the DSI reinstates the person. R-MEMB it reaches the person's accounts for the same
 * company (SIRET) in every other establishment, in the same transaction.
 */
@Injectable()
export class DeparturesService {
  constructor(
    private readonly db: Db,
    private readonly contractorAccess: ContractorAccess,
    private readonly accounts: AccountsRepository,
    private readonly departures: DeparturesRepository,
    private readonly records: DepartureRecords,
    private readonly calendar: TenantCalendar,
  ) {}

  async declare(principal: UserPrincipal, contractorId: string, input: DeclareDeparture): Promise<DepartureView> {
    return this.db.transaction(async () => {
      await this.contractorAccess.require(principal, contractorId, 'declare');
      const matched = await this.match(contractorId, input);
      const { account, others } = await this.records.lockWithOthers(matched.id);
      DEPARTING.check(account.status, 'declared departed');
      const declared = { ...input, declaredBy: principal.userId };
      const departure = await this.records.declare(account, declared, actorOf(principal));
      await this.records.spread(departure, declared, others);
      return toView(departure);
    });
  }

  async list(principal: UserPrincipal, contractorId: string, page: PageQuery): Promise<Page<DepartureView>> {
    await this.contractorAccess.require(principal, contractorId, 'read');
    const rows = await this.departures.ofContractor(contractorId, page);
    return NEWEST_DEPARTURES.page(rows, page.limit, toView, (d) => ({ declaredAt: d.declaredAt, id: d.id }));
  }

  /** Scheduler: departures whose date has come, in each tenant's calendar. */
  async applyDue(): Promise<number> {
    let applied = 0;
    for (const pending of await this.departures.pending()) {
      if (pending.effectiveOn > (await this.calendar.today(pending.tenantId))) continue;
      await this.db.transaction(async () => {
        // R-INT: two schedulers at once apply it once (the second finds it applied).
        const due = await this.departures.lockPending(pending.id);
        if (!due) return;
        await this.records.apply(due, SYSTEM_ACTOR);
        applied++;
      });
    }
    return applied;
  }

  /** R-ART35 R-INT: naming again someone who left (a contact, an account) is refused until the DSI reinstates them. */
  async refuseDeparted(named: DomainEventMap['contractor.person_named']): Promise<void> {
    const departure = await this.departures.standingFor(named.contractorId, named.userId, named.email.trim());
    if (!departure) return;
    const person = `${departure.firstName} ${departure.lastName}`;
    throw AccountErrors.error('PERSON_DEPARTED', { person, email: named.email.trim(), date: departure.effectiveOn },
      { departure: toView(departure) });
  }

  /** The account named by the declaration: by id when given, else by name within the company, never by guess. */
  private async match(contractorId: string, input: DeclareDeparture): Promise<AccountEntity> {
    if (input.accountId) {
      // Whatever its status: a closed one is refused under its lock (409 with the status), like a race's loser.
      const account = await this.accounts.findOfContractor(contractorId, input.accountId);
      if (!account) {
        throw AccountErrors.error('DEPARTURE_NO_ACCOUNT', {}, {
          errors: [{ field: 'accountId', message: AccountErrors.text('DEPARTURE_NO_ACCOUNT', {}, 'field') }],
        });
      }
      if (!sameName(account.firstName, input.firstName) || !sameName(account.lastName, input.lastName)) {
        const params = { holder: `${account.firstName} ${account.lastName}`, person: `${input.firstName} ${input.lastName}` };
        throw AccountErrors.error('DEPARTURE_NAME_MISMATCH', params, {
          errors: [{ field: 'lastName', message: AccountErrors.text('DEPARTURE_NAME_MISMATCH', params, 'field') }],
        });
      }
      return account;
    }
    const named = (await this.accounts.openOfContractor(contractorId))
      .filter((a) => sameName(a.firstName, input.firstName) && sameName(a.lastName, input.lastName));
    if (!named.length) {
      const params = { person: `${input.firstName} ${input.lastName}` };
      throw AccountErrors.error('DEPARTURE_NO_MATCH', params, {
        errors: [{ field: 'lastName', message: AccountErrors.text('DEPARTURE_NO_MATCH', params, 'field') }],
      });
    }
    if (named.length > 1) {
      throw AccountErrors.error('DEPARTURE_AMBIGUOUS', { count: named.length, person: `${input.firstName} ${input.lastName}` }, {
        candidates: named.map((a) => ({ accountId: a.id, email: a.email })),
      });
    }
    return named[0];
  }
}
