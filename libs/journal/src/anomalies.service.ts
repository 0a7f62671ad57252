import { Injectable } from '@nestjs/common';
import { decodeCursor, isInstantKey, isUuidKey, Page, toPage, UserPrincipal, ValidationFailed } from '@app/core';
import { InterventionsService } from '@app/interventions';
import { AnomalyKind, AnomalyView, ConnectionView, toAnomalyView, toConnectionView } from './anomalies';
import { AnomaliesRepository, Position } from './anomalies.repository';

export interface AnomalyQuery {
  kind?: AnomalyKind;
  contractorId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

const position = (cursor: string | undefined): Position | null => decodeCursor<Position & Record<string, unknown>>(
  cursor, ['at', 'id'], (c) => isInstantKey(c.at) && isUuidKey(c.id),
);

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
      throw new ValidationFailed('The period is empty', [{ field: 'to', message: 'must be after from' }]);
    }
    const rows = await this.repo.list({ tenantId: principal.tenantId! }, query, query.limit, position(query.cursor));
    return toPage(rows, query.limit, toAnomalyView, (r) => ({ at: new Date(r.event_started_at).toISOString(), id: r.id }));
  }

  /** The intervention must be visible to the caller (404 otherwise, whoever holds it). */
  async connections(principal: UserPrincipal, interventionId: string, page: { limit: number; cursor?: string }): Promise<Page<ConnectionView>> {
    const window = await this.interventions.visible(principal, interventionId);
    const rows = await this.repo.connections({ tenantId: window.tenantId }, { id: window.id, starts_at: window.startsAt, ends_at: window.endsAt },
      page.limit, position(page.cursor));
    return toPage(rows, page.limit, toConnectionView, (r) => ({ at: new Date(r.started_at).toISOString(), id: r.id }));
  }
}
