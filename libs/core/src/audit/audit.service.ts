import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { Clock } from '../clock/clock';
import { Actor } from '../tenancy/principal';
import { chainHash, ChainedContent, GENESIS_HASH } from './canonical';
import { Page } from '../http/pagination';
import { CheckpointCheck, EvidenceCheckpoints } from '../evidence/checkpoints';
import { AuditFilter, AuditRecord, AuditRepository, AuditTarget, NamedAuditRecord, PLATFORM_CHAIN } from './audit.repository';

export interface AuditView {
  id: string;
  seq: number;
  occurredAt: string;
  actor: { type: string; id: string | null; label: string | null; name: string | null };
  action: string;
  target: { type: string; id: string | null; label: string | null };
  before: unknown;
  after: unknown;
  hash: string;
  prevHash: string;
}

function toAuditView(r: NamedAuditRecord): AuditView {
  return {
    id: r.id, seq: r.seq, occurredAt: r.occurredAt, actor: { type: r.actorType, id: r.actorId, label: r.actorLabel, name: r.actorName },
    action: r.action, target: { type: r.targetType, id: r.targetId, label: r.targetLabel }, before: r.before, after: r.after, hash: r.hash,
    prevHash: r.prevHash,
  };
}

export interface AuditEntry {
  tenantId: string | null;
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId?: string;
  firstBrokenSeq?: number;
  /** R-INT: the latest signed checkpoint, and whether the chain still holds its head (absent when none is configured or made yet). */
  checkpoint?: CheckpointCheck;
}

const VERIFY_BATCH = 2000;

/**
 * R-AUD: append-only, hash-chained audit trail, one chain per tenant. Writers of a chain are serialised by
 * locking its head row, inside the caller's transaction: the event commits or rolls back with its cause.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
    private readonly checkpoints: EvidenceCheckpoints,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.transaction(async () => {
      const chainKey = entry.tenantId ?? PLATFORM_CHAIN;
      const head = await this.repo.lockHead(chainKey);
      const content: ChainedContent = {
        chainKey,
        seq: head.seq + 1,
        tenantId: entry.tenantId,
        occurredAt: this.clock.now().toISOString(),
        actorType: entry.actor.type,
        actorId: entry.actor.id,
        actorLabel: entry.actor.label ?? null,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId ?? null,
        before: normalise(entry.before),
        after: normalise(entry.after),
        prevHash: head.hash,
      };
      await this.repo.append(content, chainHash(content));
    });
  }

  /** Newest first; keyset paging on the chain sequence. */
  async list(tenantId: string | null, filter: AuditFilter, limit: number, cursor?: string): Promise<Page<AuditView>> {
    const page = await this.repo.list(tenantId ?? PLATFORM_CHAIN, filter, { limit, cursor });
    return { items: page.items.map(toAuditView), nextCursor: page.nextCursor };
  }

  /** Recomputes the chain of a tenant from the first event; reports the first row that does not match. */
  async verify(tenantId: string | null): Promise<VerifyResult> {
    const chainKey = tenantId ?? PLATFORM_CHAIN;
    const checkpoint = await this.checkpoints.check(tenantId, 'audit', (seq) => this.repo.hashAt(chainKey, seq));
    const result = await this.verifyChain(chainKey);
    if (!checkpoint) return result;
    // A history rewritten with every hash recomputed still chains; it no longer holds the signed head.
    return { ...result, ok: result.ok && checkpoint.matches, checkpoint };
  }

  /** The targets of a tenant's events that name the contractor, up to `upToSeq` (evidence packs). */
  targetsMentioning(tenantId: string, contractorId: string, upToSeq: number): Promise<AuditTarget[]> {
    return this.repo.mentioning(tenantId, contractorId, upToSeq);
  }

  /** The events of these targets up to `upToSeq`, oldest first, page by page. */
  async *eventsOf(tenantId: string, targets: readonly AuditTarget[], upToSeq: number, pageSize = 1000): AsyncGenerator<AuditRecord[]> {
    if (!targets.length) return;
    let afterSeq = 0;
    for (;;) {
      const records = await this.repo.ofTargets(tenantId, targets, { afterSeq, upToSeq }, pageSize);
      if (records.length) yield records;
      if (records.length < pageSize) return;
      afterSeq = records[records.length - 1].seq;
    }
  }

  private async verifyChain(chainKey: string): Promise<VerifyResult> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const records = await this.repo.from(chainKey, expectedSeq, VERIFY_BATCH);
      for (const record of records) {
        if (record.seq !== expectedSeq || record.prevHash !== prevHash || chainHash(contentOf(record)) !== record.hash) {
          return { ok: false, checked, firstBrokenId: record.id, firstBrokenSeq: record.seq };
        }
        prevHash = record.hash;
        expectedSeq++;
        checked++;
      }
      if (records.length < VERIFY_BATCH) break;
    }
    const head = await this.repo.head(chainKey);
    // Rows deleted at the end of the chain: the head still remembers how far it went.
    if (head && (head.seq !== checked || head.hash !== prevHash)) {
      return { ok: false, checked, firstBrokenSeq: checked + 1 };
    }
    return { ok: true, checked };
  }
}

function normalise(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** What an event's hash covers: the record without its id and hash. */
export function contentOf(record: AuditRecord): ChainedContent {
  const { id: _id, hash: _hash, ...content } = record;
  return content;
}
