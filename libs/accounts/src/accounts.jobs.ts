import { Injectable } from '@nestjs/common';
import { Db, JobName, OnJob, SYSTEM_ACTOR } from '@app/core';
import { TenantCalendar, TenantsService } from '@app/identity';
import { AccountLifecycle } from './account-lifecycle';
import { AccountsRepository } from './accounts.repository';
import { DeparturesService } from './departures.service';

/**
 * Worker side (hourly, idempotent): departures whose date has come (R-ART35), absences whose end has come (CPAM 4.2,
 * automatic resumption), and, where the tenant sets it, suspension of accounts nobody used for its number of days.
 */
@Injectable()
export class AccountsJobs {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountsRepository,
    private readonly lifecycle: AccountLifecycle,
    private readonly departures: DeparturesService,
    private readonly tenants: TenantsService,
    private readonly calendar: TenantCalendar,
  ) {}

  @OnJob(JobName.AccountsDaily)
  async daily(): Promise<void> {
    await this.departures.applyDue();
    await this.resumeAbsences();
    await this.suspendInactive();
  }

  async resumeAbsences(): Promise<number> {
    let resumed = 0;
    for (const { id, tenantId } of await this.accounts.absences()) {
      const today = await this.calendar.today(tenantId);
      // R-INT: read again under the lock: the DSI may have resumed or suspended it since the list was read.
      resumed += await this.db.transaction(async () => {
        const account = await this.lifecycle.lockedIf(id, 'resumed');
        if (!account?.resumeOn || account.resumeOn > today) return 0;
        await this.lifecycle.resume(id, SYSTEM_ACTOR, `absence ended on ${account.resumeOn}`);
        return 1;
      });
    }
    return resumed;
  }

  async suspendInactive(): Promise<number> {
    let suspended = 0;
    for (const tenantId of await this.accounts.tenantIds()) {
      const days = (await this.tenants.policyOf(tenantId)).absenceSuspensionDays;
      if (!days) continue;
      const today = await this.calendar.today(tenantId);
      for (const id of await this.accounts.idle({ tenantId }, today, days)) {
        suspended += await this.db.transaction(async () => {
          const account = await this.lifecycle.lockedIf(id, 'suspended');
          if (account?.status !== 'active') return 0;
          await this.lifecycle.suspend(id, SYSTEM_ACTOR, 'inactivity', `no sign-in for ${days} days (prolonged absence)`, null);
          return 1;
        });
      }
    }
    return suspended;
  }
}
