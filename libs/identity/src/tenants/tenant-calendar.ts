import { Injectable } from '@nestjs/common';
import { Clock, IsoDate, localDate } from '@app/core';
import { TenantsRepository } from './tenants.repository';

/** "Today" as the establishment sees it: deadlines and effective dates fall on the tenant's local day. */
@Injectable()
export class TenantCalendar {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly clock: Clock,
  ) {}

  today(tenantId: string): Promise<IsoDate> {
    return this.dayOf(tenantId, this.clock.now());
  }

  /** The establishment's day of an instant, in its time zone (business hours' setting, Europe/Paris by default): file names. */
  async dayOf(tenantId: string, at: Date): Promise<IsoDate> {
    const policy = await this.tenants.policyOf(tenantId);
    return localDate(at, policy.businessHours.timezone);
  }
}
