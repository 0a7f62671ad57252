import { Injectable } from '@nestjs/common';
import { CheckpointCheck, EvidenceCheckpoints, GENESIS_HASH, TenantScope } from '@app/core';
import { batchHash } from './seal';
import { BatchHeader, SealRepository } from './seal.repository';

export interface JournalVerifyResult {
  ok: boolean;
  checkedBatches: number;
  purgedBatches: number;
  firstBrokenBatchId?: string;
  firstBrokenSeq?: number;
  /** R-INT: the latest signed checkpoint of the journal's chain, and whether the chain still holds its head. */
  checkpoint?: CheckpointCheck;
}

/** R-ART41 / R-AUD: each batch sealed and chained to the tenant's previous one; the chain verified on demand. */
@Injectable()
export class JournalSeal {
  constructor(
    private readonly repo: SealRepository,
    private readonly checkpoints: EvidenceCheckpoints,
  ) {}

  /** In the batch's transaction: writers of a tenant serialise on its head row. */
  async seal(scope: TenantScope, batch: { id: string; apiKeyId: string | null; source: 'api' | 'syslog' }, now: Date): Promise<void> {
    const head = await this.repo.lockHead(scope);
    const content = await this.repo.content(scope, batch.id);
    const seq = head.lastSeq + 1;
    const sealedAt = now.toISOString();
    const hash = batchHash({ tenantId: scope.tenantId, seq, ...content, prevHash: head.lastHash, sealedAt });
    await this.repo.append(scope, { ...batch, seq, ...content, prevHash: head.lastHash, hash, sealedAt });
  }

  /** Recomputes the tenant's chain of batches, and the content of every batch not purged. */
  async verify(tenantId: string): Promise<JournalVerifyResult> {
    const scope = { tenantId };
    const checkpoint = await this.checkpoints.check(tenantId, 'journal', (seq) => this.repo.hashAt(scope, seq));
    const result = await this.verifyChain(scope);
    return checkpoint ? { ...result, ok: result.ok && checkpoint.matches, checkpoint } : result;
  }

  private async verifyChain(scope: TenantScope): Promise<JournalVerifyResult> {
    let prev = GENESIS_HASH;
    let checked = 0;
    let purged = 0;
    for (const b of await this.repo.chain(scope)) {
      if (await this.broken(scope, b, prev, checked + purged + 1)) {
        return { ok: false, checkedBatches: checked, purgedBatches: purged, firstBrokenBatchId: b.id, firstBrokenSeq: b.seq };
      }
      if (b.purgedAt) purged++;
      else checked++;
      prev = b.hash;
    }
    const head = await this.repo.head(scope);
    if (head && (head.lastSeq !== checked + purged || head.lastHash !== prev)) {
      return { ok: false, checkedBatches: checked, purgedBatches: purged, firstBrokenSeq: checked + purged + 1 };
    }
    return { ok: true, checkedBatches: checked, purgedBatches: purged };
  }

  /** A purged batch keeps its header in the chain; only a batch still whole is read again. */
  private async broken(scope: TenantScope, b: BatchHeader, prevHash: string, expectedSeq: number): Promise<boolean> {
    const header = batchHash({
      tenantId: scope.tenantId, seq: b.seq, contentHash: b.contentHash, eventCount: b.eventCount, prevHash: b.prevHash,
      sealedAt: new Date(b.sealedAt).toISOString(),
    });
    if (b.seq !== expectedSeq || b.prevHash !== prevHash || header !== b.hash) return true;
    if (b.purgedAt) return false;
    const content = await this.repo.content(scope, b.id);
    return content.contentHash !== b.contentHash || content.eventCount !== b.eventCount;
  }
}
