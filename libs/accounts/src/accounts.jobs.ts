import { Injectable } from '@nestjs/common';
import { Db, JobName, OnJob, SYSTEM_ACTOR } from '@app/core';
import { TenantCalendar, TenantsService } from '@app/identity';
import { AccountsService } from './accounts.service';
import { DeparturesService } from './departures.service';
import { AccountEntity } from './entities';

/**
 * Worker side (hourly, idempotent): departures whose date has come (R-ART35), absences whose
 * end has come (CPAM 4.2, automatic resumption), and, where the tenant sets it, suspension of
 * accounts nobody has used for the tenant's number of days (prolonged absence).
 */
@Injectable()
export class AccountsJobs {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountsService,
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
    const due = await this.db.manager.getRepository(AccountEntity).createQueryBuilder('a')
      .where("a.status = 'suspended' AND a.resume_on IS NOT NULL").getMany();
    let resumed = 0;
    for (const { id, tenantId } of due) {
      const today = await this.calendar.today(tenantId);
      // R-INT: read again under the lock: the DSI may have resumed or suspended it since the list was read.
      resumed += await this.db.transaction(async () => {
        const account = await this.accounts.lockedIf(id, 'resumed');
        if (!account?.resumeOn || account.resumeOn > today) return 0;
        await this.accounts.resumeAccount(account, SYSTEM_ACTOR, `absence ended on ${account.resumeOn}`);
        return 1;
      });
    }
    return resumed;
  }

  async suspendInactive(): Promise<number> {
    const tenants = await this.db.query<{ id: string }>(`SELECT id FROM tenants`);
    let suspended = 0;
    for (const { id } of tenants) {
      const days = (await this.tenants.policyOf(id)).absenceSuspensionDays;
      if (!days) continue;
      const today = await this.calendar.today(id);
      const idle = await this.db.query<{ id: string }>(
        `SELECT a.id FROM accounts a
          WHERE a.tenant_id = $1 AND a.status = 'active' AND a.user_id IS NOT NULL
            AND coalesce((SELECT max(s.created_at) FROM auth_sessions s WHERE s.user_id = a.user_id), a.activated_at) < ($2::date - $3::int)`,
        [id, today, days],
      );
      for (const row of idle) {
        suspended += await this.db.transaction(async () => {
          const account = await this.accounts.lockedIf(row.id, 'suspended');
          if (account?.status !== 'active') return 0;
          await this.accounts.suspendAccount(account, SYSTEM_ACTOR, 'inactivity', `no sign-in for ${days} days (prolonged absence)`, null);
          return 1;
        });
      }
    }
    return suspended;
  }
}
