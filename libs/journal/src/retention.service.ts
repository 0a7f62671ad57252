import { Injectable } from '@nestjs/common';
import {
  Actor, actorOf, AuditService, CheckpointCheck, Clock, Db, DomainError, EvidenceCheckpoints, GENESIS_HASH, SYSTEM_ACTOR, UserPrincipal,
} from '@app/core';
import { DerogationsService } from '@app/derogations';
import { TenantsService } from '@app/identity';
import { JournalPartitions, nextMonth } from './partitions';
import { BATCH_CONTENT_HASH_SQL, batchHash } from './seal';


export interface JournalVerifyResult {
  ok: boolean;
  checkedBatches: number;
  purgedBatches: number;
  firstBrokenBatchId?: string;
  firstBrokenSeq?: number;
  /** R-INT: the latest signed checkpoint of the journal's chain, and whether the chain still holds its head. */
  checkpoint?: CheckpointCheck;
}

/** The start of the sliding retention: `months` months before `now`. */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

/**
 * R-ART41: events are kept for the tenant's retention (18 months sliding by default), then purged:
 * whole monthly partitions are dropped once older than every tenant's retention; inside the
 * boundary months the rows older than each tenant's cutoff are deleted. Nothing younger is ever
 * deleted. Purged batches keep their seal, so the chain stays verifiable. The gateways' decision log
 * (access_decisions, what correlation compares the journal with) leaves with the same retention.
 */
@Injectable()
export class JournalRetention {
  constructor(
    private readonly db: Db,
    private readonly partitions: JournalPartitions,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    private readonly derogations: DerogationsService,
    private readonly clock: Clock,
    private readonly checkpoints: EvidenceCheckpoints,
  ) {}

  async purge(actor: Actor = SYSTEM_ACTOR): Promise<{ droppedMonths: string[]; deletedRows: number }> {
    const now = this.clock.now();
    await this.partitions.createAhead(now);
    const cutoffs = new Map<string, Date>();
    for (const { id } of await this.db.query<{ id: string }>(`SELECT id FROM tenants`)) {
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
    for (const [tenantId, cutoff] of cutoffs) deletedRows += await this.purgeTenant(tenantId, cutoff, actor);
    return { droppedMonths, deletedRows };
  }

  private async dropMonth(month: string, actor: Actor): Promise<void> {
    await this.db.transaction(async () => {
      for (const t of await this.partitions.drop(month, this.clock.now())) {
        await this.audit.record({
          tenantId: t.tenant_id, actor, action: 'journal.retention_purged', targetType: 'journal', targetId: null,
          after: { month, events: t.events, batches: t.batches, how: 'partition dropped' },
        });
      }
    });
  }

  private async purgeTenant(tenantId: string, cutoff: Date, actor: Actor): Promise<number> {
    return this.db.transaction(async () => {
      // R-INT: the owner's function never deletes what is younger than the tenant's legal floor.
      const [gone] = await this.db.query<{ events: number; batches: number }>(
        `SELECT * FROM journal_purge_before($1, $2, $3)`, [tenantId, cutoff, this.clock.now()],
      );
      const decisions = await this.db.query<{ n: number }>(
        `WITH gone AS (DELETE FROM access_decisions WHERE tenant_id = $1 AND decided_at < $2 RETURNING 1) SELECT count(*)::int AS n FROM gone`, [tenantId, cutoff],
      );
      if (decisions[0].n) {
        await this.audit.record({
          tenantId, actor, action: 'journal.decisions_purged', targetType: 'journal', targetId: null,
          after: { before: cutoff.toISOString(), decisions: decisions[0].n },
        });
      }
      if (!gone.events) return 0;
      // A batch with events on both sides of the cutoff no longer matches its seal: it is marked
      // purged too (its header stays in the chain), and what remains of it stays readable.
      await this.audit.record({
        tenantId, actor, action: 'journal.retention_purged', targetType: 'journal', targetId: null,
        after: { before: cutoff.toISOString(), events: gone.events, batches: gone.batches },
      });
      return gone.events;
    });
  }

  /**
   * R-ART16-27 (Art. 40): deleting journal entries before their time needs a log-deletion
   * derogation of the DSI in force; the deletion and the derogation are in the audit trail.
   */
  async purgeUnderDerogation(principal: UserPrincipal, range: { from: Date; to: Date; derogationId: string; reason: string }): Promise<number> {
    const tenantId = principal.tenantId!;
    const derogation = await this.derogations.covering(tenantId, 'log_deletion', null);
    if (!derogation || derogation.id !== range.derogationId) {
      throw new DomainError('DEROGATION_REQUIRED', 409, 'Deleting journal entries before their time needs a log-deletion derogation in force (Art. 40)');
    }
    return this.db.transaction(async () => {
      const [gone] = await this.db.query<{ events: number; batches: number }>(
        `SELECT * FROM journal_delete_under_derogation($1, $2, $3, $4, $5)`, [tenantId, derogation.id, range.from, range.to, this.clock.now()],
      );
      await this.audit.record({
        tenantId, actor: actorOf(principal), action: 'journal.deleted_under_derogation', targetType: 'derogation', targetId: derogation.id,
        after: { from: range.from.toISOString(), to: range.to.toISOString(), events: gone.events, batches: gone.batches, reason: range.reason },
      });
      return gone.events;
    });
  }

  /** Recomputes the tenant's chain of batches, and the content of every batch not purged. */
  async verify(tenantId: string): Promise<JournalVerifyResult> {
    const checkpoint = await this.checkpoints.check(tenantId, 'journal', async (seq) => {
      const [row] = await this.db.query<{ hash: string }>(`SELECT hash FROM journal_batches WHERE tenant_id = $1 AND seq = $2`, [tenantId, seq]);
      return row?.hash ?? null;
    });
    const result = await this.verifyChain(tenantId);
    return checkpoint ? { ...result, ok: result.ok && checkpoint.matches, checkpoint } : result;
  }

  private async verifyChain(tenantId: string): Promise<JournalVerifyResult> {
    const batches = await this.db.query<{ id: string; seq: string; event_count: number; content_hash: string; prev_hash: string; hash: string; sealed_at: Date; purged_at: Date | null }>(
      `SELECT id, seq, event_count, content_hash, prev_hash, hash, sealed_at, purged_at FROM journal_batches WHERE tenant_id = $1 ORDER BY seq`, [tenantId],
    );
    let prev = GENESIS_HASH;
    let checked = 0;
    let purged = 0;
    for (const b of batches) {
      const seq = Number(b.seq);
      const header = batchHash({ tenantId, seq, contentHash: b.content_hash, eventCount: b.event_count, prevHash: b.prev_hash, sealedAt: new Date(b.sealed_at).toISOString() });
      let broken = seq !== checked + purged + 1 || b.prev_hash !== prev || header !== b.hash;
      if (!broken && !b.purged_at) {
        const [content] = await this.db.query<{ content_hash: string; event_count: number }>(BATCH_CONTENT_HASH_SQL, [b.id, tenantId]);
        broken = content.content_hash !== b.content_hash || content.event_count !== b.event_count;
      }
      if (broken) return { ok: false, checkedBatches: checked, purgedBatches: purged, firstBrokenBatchId: b.id, firstBrokenSeq: seq };
      if (b.purged_at) purged++;
      else checked++;
      prev = b.hash;
    }
    const [head] = await this.db.query<{ last_seq: string; last_hash: string }>(`SELECT last_seq, last_hash FROM journal_heads WHERE tenant_id = $1`, [tenantId]);
    if (head && (Number(head.last_seq) !== checked + purged || head.last_hash !== prev)) {
      return { ok: false, checkedBatches: checked, purgedBatches: purged, firstBrokenSeq: checked + purged + 1 };
    }
    return { ok: true, checkedBatches: checked, purgedBatches: purged };
  }
}
