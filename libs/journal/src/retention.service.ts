import { Injectable } from '@nestjs/common';
import { Actor, actorOf, AuditService, Clock, Db, SYSTEM_ACTOR, TenantScope, UserPrincipal } from '@app/core';
import { DerogationsService } from '@app/derogations';
import { TenantsService } from '@app/identity';
import { DecisionRecorder } from '@app/interventions';
import { JournalErrors } from './errors';
import { nextMonth } from './partitions';
import { JournalPartitions } from './partitions.repository';
import { RetentionRepository } from './retention.repository';

/** The start of the sliding retention: `months` months before `now`. */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

/** An early deletion (Art. 40): the range, the derogation in force and why. */
export interface DerogatedPurge {
  from: Date;
  to: Date;
  derogationId: string;
  reason: string;
}

/** R-ART41: each tenant's retention (18 months sliding by default), then purge (docs/adr/journal-retention.md). */
@Injectable()
export class JournalRetention {
  constructor(
    private readonly db: Db,
    private readonly repo: RetentionRepository,
    private readonly partitions: JournalPartitions,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    private readonly derogations: DerogationsService,
    private readonly clock: Clock,
    private readonly decisions: DecisionRecorder,
  ) {}

  async purge(actor: Actor = SYSTEM_ACTOR): Promise<{ droppedMonths: string[]; deletedRows: number }> {
    const now = this.clock.now();
    await this.partitions.createAhead(now);
    const cutoffs = new Map<string, Date>();
    for (const id of await this.repo.tenantIds()) {
      cutoffs.set(id, retentionCutoff(now, (await this.tenants.policyOf(id)).logRetentionMonths));
    }
    // A month that ends before every tenant's cutoff holds nothing anyone keeps: drop it whole.
    const earliest = new Date(Math.min(...[...cutoffs.values()].map((d) => d.getTime()), now.getTime()));
    const droppedMonths: string[] = [];
    for (const p of await this.partitions.list()) {
      if (new Date(`${nextMonth(p.month)}-01T00:00:00Z`) > earliest) continue;
      await this.dropMonth(p.month, actor);
      droppedMonths.push(p.month);
    }
    // Inside the remaining months, each tenant's rows older than its own cutoff.
    let deletedRows = 0;
    for (const [tenantId, cutoff] of cutoffs) deletedRows += await this.purgeTenant({ tenantId }, cutoff, actor);
    return { droppedMonths, deletedRows };
  }

  private async dropMonth(month: string, actor: Actor): Promise<void> {
    await this.db.transaction(async () => {
      for (const t of await this.partitions.drop(month, this.clock.now())) {
        await this.audit.record({
          tenantId: t.tenantId, actor, action: 'journal.retention_purged', targetType: 'journal', targetId: null,
          after: { month, events: t.events, batches: t.batches, how: 'partition dropped' },
        });
      }
    });
  }

  private async purgeTenant(scope: TenantScope, cutoff: Date, actor: Actor): Promise<number> {
    const { tenantId } = scope;
    return this.db.transaction(async () => {
      const gone = await this.repo.purgeBefore(scope, cutoff, this.clock.now());
      const decisions = await this.decisions.purgeBefore(scope, cutoff);
      if (decisions) {
        await this.audit.record({
          tenantId, actor, action: 'journal.decisions_purged', targetType: 'journal', targetId: null,
          after: { before: cutoff.toISOString(), decisions },
        });
      }
      if (!gone.events) return 0;
      // A batch cut by the cutoff no longer matches its seal: marked purged too, its header stays in the chain.
      await this.audit.record({
        tenantId, actor, action: 'journal.retention_purged', targetType: 'journal', targetId: null,
        after: { before: cutoff.toISOString(), events: gone.events, batches: gone.batches },
      });
      return gone.events;
    });
  }

  /** R-ART16-27 (Art. 40): deleting entries before their time needs the DSI's log-deletion derogation in force; both audited. */
  async purgeUnderDerogation(principal: UserPrincipal, range: DerogatedPurge): Promise<number> {
    const scope = { tenantId: principal.tenantId! };
    const derogation = await this.derogations.covering(scope.tenantId, 'log_deletion', null);
    if (!derogation || derogation.id !== range.derogationId) throw JournalErrors.error('DEROGATION_REQUIRED');
    return this.db.transaction(async () => {
      const gone = await this.repo.deleteUnderDerogation(scope, derogation.id, range, this.clock.now());
      await this.audit.record({
        tenantId: scope.tenantId, actor: actorOf(principal), action: 'journal.deleted_under_derogation', targetType: 'derogation',
        targetId: derogation.id,
        after: {
          from: range.from.toISOString(), to: range.to.toISOString(), events: gone.events, batches: gone.batches, reason: range.reason,
        },
      });
      return gone.events;
    });
  }
}
