import { Injectable } from '@nestjs/common';
import { CoreErrors, Page, UserPrincipal } from '@app/core';
import { InterventionsService } from '@app/interventions';
import { AnomalyKind, AnomalyView, ConnectionView, toAnomalyView, toConnectionView } from './anomalies';
import { ANOMALIES_NEWEST, AnomaliesRepository, CONNECTIONS_IN_ORDER, PageRequest } from './anomalies.repository';

export interface AnomalyQuery extends PageRequest {
  kind?: AnomalyKind;
  contractorId?: string;
  from?: Date;
  to?: Date;
}

/**
 * R-ART41, the reading side of correlation: the tenant's anomalies (DSI, RSSI, auditors), and the
 * sessions an intervention covers, for an auditor going from a report to what actually happened.
 */
@Injectable()
export class AnomaliesService {
  constructor(
    private readonly repo: AnomaliesRepository,
    private readonly interventions: InterventionsService,
  ) {}

  async list(principal: UserPrincipal, query: AnomalyQuery): Promise<Page<AnomalyView>> {
    if (query.from && query.to && query.to <= query.from) {
      throw CoreErrors.invalid('RANGE_EMPTY', 'to');
    }
    const rows = await this.repo.list({ tenantId: principal.tenantId! }, query, query);
    return ANOMALIES_NEWEST.page(rows, query.limit, toAnomalyView, (r) => ({ at: r.eventStartedAt, id: r.id }));
  }

  /** The intervention must be visible to the caller (404 otherwise, whoever holds it). */
  async connections(principal: UserPrincipal, interventionId: string, page: PageRequest): Promise<Page<ConnectionView>> {
    const w = await this.interventions.visible(principal, interventionId);
    const rows = await this.repo.connections({ tenantId: w.tenantId }, { id: w.id, startsAt: w.startsAt, endsAt: w.endsAt }, page);
    return CONNECTIONS_IN_ORDER.page(rows, page.limit, toConnectionView, (r) => ({ at: r.startedAt, id: r.id }));
  }
}
