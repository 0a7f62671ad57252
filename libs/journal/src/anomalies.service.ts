import { Injectable } from '@nestjs/common';
import { Clock, CoreErrors, Page, UserPrincipal } from '@app/core';
import { InterventionsService } from '@app/interventions';
import { AnomalyKind, AnomalyView, ConnectionView, toAnomalyView, toConnectionView } from './anomalies';
import { ANOMALIES_NEWEST, AnomaliesRepository, PageRequest } from './anomalies.repository';
import { CONNECTIONS_IN_ORDER, JOURNAL_NEWEST, JournalFilter, JournalSearchRepository } from './journal-search.repository';
import { JournalErrors } from './errors';

export interface AnomalyQuery extends PageRequest {
  kind?: AnomalyKind;
  contractorId?: string;
  from?: Date;
  to?: Date;
}

/** The journal search without its period, which defaults to the last 7 days. */
export type JournalQuery = Omit<JournalFilter, 'from' | 'to' | 'interventionId'> & PageRequest & { from?: Date; to?: Date };

const DAY_MS = 86_400_000;
/** A search reads at most this many days (about three monthly partitions); exports read longer periods. */
export const JOURNAL_MAX_DAYS = 92;

/**
 * R-ART41, the reading side of the journal: the tenant's anomalies (DSI, RSSI, auditors), the journal searched by person,
 * company, resource and period, and the sessions an intervention covers, for an auditor going from a report to what happened.
 */
@Injectable()
export class AnomaliesService {
  constructor(
    private readonly repo: AnomaliesRepository,
    private readonly journal: JournalSearchRepository,
    private readonly interventions: InterventionsService,
    private readonly clock: Clock,
  ) {}

  async list(principal: UserPrincipal, query: AnomalyQuery): Promise<Page<AnomalyView>> {
    if (query.from && query.to && query.to <= query.from) {
      throw CoreErrors.invalid('RANGE_EMPTY', 'to');
    }
    const rows = await this.repo.list({ tenantId: principal.tenantId! }, query, query);
    return ANOMALIES_NEWEST.page(rows, query.limit, toAnomalyView, (r) => ({ at: r.eventStartedAt, id: r.id }));
  }

  /** Newest first; `to` defaults to now and `from` to 7 days before `to`. */
  async search(principal: UserPrincipal, query: JournalQuery): Promise<Page<ConnectionView>> {
    const to = query.to ?? this.clock.now();
    const from = query.from ?? new Date(to.getTime() - 7 * DAY_MS);
    if (to <= from) throw CoreErrors.invalid('RANGE_EMPTY', 'to');
    if (to.getTime() - from.getTime() > JOURNAL_MAX_DAYS * DAY_MS) {
      const max = JOURNAL_MAX_DAYS;
      const errors = [{ field: 'to', message: JournalErrors.text('JOURNAL_PERIOD_TOO_LONG', { max }, 'field') }];
      throw JournalErrors.error('JOURNAL_PERIOD_TOO_LONG', { max }, { errors });
    }
    const rows = await this.journal.search({ tenantId: principal.tenantId! }, { ...query, from, to }, query);
    return JOURNAL_NEWEST.page(rows, query.limit, toConnectionView, (r) => ({ at: r.startedAt, id: r.id }));
  }

  /** The intervention must be visible to the caller (404 otherwise, whoever holds it); its window bounds the partitions read. */
  async connections(principal: UserPrincipal, interventionId: string, page: PageRequest): Promise<Page<ConnectionView>> {
    const w = await this.interventions.visible(principal, interventionId);
    const filter = { interventionId: w.id, from: w.startsAt, to: w.endsAt };
    const rows = await this.journal.search({ tenantId: w.tenantId }, filter, page, CONNECTIONS_IN_ORDER);
    return CONNECTIONS_IN_ORDER.page(rows, page.limit, toConnectionView, (r) => ({ at: r.startedAt, id: r.id }));
  }
}
