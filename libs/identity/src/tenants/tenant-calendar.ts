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

  async today(tenantId: string): Promise<IsoDate> {
    const policy = await this.tenants.policyOf(tenantId);
    return localDate(this.clock.now(), policy.businessHours.timezone);
  }
}
