import { Injectable } from '@nestjs/common';
import { Db, GENESIS_HASH, TenantScope } from '@app/core';
import { BATCH_CONTENT_HASH_SQL } from './seal';

/** The head of a tenant's chain of batches. */
export interface ChainHead {
  lastSeq: number;
  lastHash: string;
}

/** What PostgreSQL reads of a batch's rows now: their canonical hash and count (seal.ts). */
export interface BatchContent {
  contentHash: string;
  eventCount: number;
}

export interface SealedBatch extends BatchContent {
  id: string;
  seq: number;
  apiKeyId: string | null;
  source: 'api' | 'syslog';
  prevHash: string;
  hash: string;
  sealedAt: string;
}

/** A batch header as stored, for verification. */
export interface BatchHeader extends BatchContent {
  id: string;
  seq: number;
  prevHash: string;
  hash: string;
  sealedAt: Date;
  purgedAt: Date | null;
}

/** Only this class writes journal_heads and journal_batches (R-AUD: the seals of the connection journal). */
@Injectable()
export class SealRepository {
  constructor(private readonly db: Db) {}

  /** The tenant's head, created at the genesis hash, locked: writers of a tenant serialise on it. */
  async lockHead(scope: TenantScope): Promise<ChainHead> {
    await this.db.query(
      `INSERT INTO journal_heads (tenant_id, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`,
      [scope.tenantId, GENESIS_HASH],
    );
    const [head] = await this.db.query<{ last_seq: string; last_hash: string }>(
      `SELECT last_seq, last_hash FROM journal_heads WHERE tenant_id = $1 FOR UPDATE`, [scope.tenantId],
    );
    return { lastSeq: Number(head.last_seq), lastHash: head.last_hash };
  }

  async head(scope: TenantScope): Promise<ChainHead | undefined> {
    const [head] = await this.db.query<{ last_seq: string; last_hash: string }>(
      `SELECT last_seq, last_hash FROM journal_heads WHERE tenant_id = $1`, [scope.tenantId],
    );
    return head && { lastSeq: Number(head.last_seq), lastHash: head.last_hash };
  }

  async content(scope: TenantScope, batchId: string): Promise<BatchContent> {
    const [row] = await this.db.query<{ content_hash: string; event_count: number }>(BATCH_CONTENT_HASH_SQL, [batchId, scope.tenantId]);
    return { contentHash: row.content_hash, eventCount: row.event_count };
  }

  /** Appends the batch and moves the head to it (the head locked by lockHead). */
  async append(scope: TenantScope, batch: SealedBatch): Promise<void> {
    await this.db.query(
      `INSERT INTO journal_batches (id, tenant_id, seq, api_key_id, source, event_count, content_hash, prev_hash, hash, sealed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [batch.id, scope.tenantId, batch.seq, batch.apiKeyId, batch.source, batch.eventCount, batch.contentHash, batch.prevHash, batch.hash,
        batch.sealedAt],
    );
    await this.db.query(
      `UPDATE journal_heads SET last_seq = $2, last_hash = $3 WHERE tenant_id = $1`, [scope.tenantId, batch.seq, batch.hash],
    );
  }

  async hashAt(scope: TenantScope, seq: number): Promise<string | null> {
    const [row] = await this.db.query<{ hash: string }>(
      `SELECT hash FROM journal_batches WHERE tenant_id = $1 AND seq = $2`, [scope.tenantId, seq],
    );
    return row?.hash ?? null;
  }

  /** The tenant's whole chain, in order: verification reads every header. */
  async chain(scope: TenantScope): Promise<BatchHeader[]> {
    const rows = await this.db.query<{
      id: string; seq: string; event_count: number; content_hash: string; prev_hash: string; hash: string; sealed_at: Date;
      purged_at: Date | null;
    }>(
      `SELECT id, seq, event_count, content_hash, prev_hash, hash, sealed_at, purged_at FROM journal_batches
        WHERE tenant_id = $1 ORDER BY seq`,
      [scope.tenantId],
    );
    return rows.map((b) => ({
      id: b.id, seq: Number(b.seq), eventCount: b.event_count, contentHash: b.content_hash, prevHash: b.prev_hash, hash: b.hash,
      sealedAt: b.sealed_at, purgedAt: b.purged_at,
    }));
  }
}
