import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { Clock } from '../clock/clock';
import { Actor } from '../tenancy/principal';
import { chainHash, ChainedContent, GENESIS_HASH } from './canonical';
import { decodeCursor, isSeqKey, Page, toPage } from '../http/pagination';
import { CheckpointCheck, EvidenceCheckpoints } from '../evidence/checkpoints';

export interface AuditFilter {
  action?: string;
  targetType?: string;
  targetId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
}

export interface AuditView {
  id: string;
  seq: number;
  occurredAt: string;
  actor: { type: string; id: string | null; label: string | null };
  action: string;
  target: { type: string; id: string | null };
  before: unknown;
  after: unknown;
  hash: string;
  prevHash: string;
}

function toAuditView(r: AuditRow): AuditView {
  return {
    id: r.id, seq: Number(r.seq), occurredAt: new Date(r.occurred_at).toISOString(),
    actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label }, action: r.action,
    target: { type: r.target_type, id: r.target_id }, before: r.before, after: r.after, hash: r.hash, prevHash: r.prev_hash,
  };
}

export const PLATFORM_CHAIN = '00000000-0000-0000-0000-000000000000';

export interface AuditEntry {
  tenantId: string | null;
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditRow {
  id: string;
  chain_key: string;
  tenant_id: string | null;
  seq: string;
  occurred_at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId?: string;
  firstBrokenSeq?: number;
  /** R-INT: the latest signed checkpoint, and whether the chain still holds its head (absent when none is configured or made yet). */
  checkpoint?: CheckpointCheck;
}

/**
 * R-AUD: append-only, hash-chained audit trail, one chain per tenant. Writers of a chain are
 * serialised by locking its head row, inside the caller's transaction: the event commits or
 * rolls back with the state change it describes.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly checkpoints: EvidenceCheckpoints,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.transaction(async (em) => {
      const chainKey = entry.tenantId ?? PLATFORM_CHAIN;
      await em.query(
        `INSERT INTO audit_heads (chain_key, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`,
        [chainKey, GENESIS_HASH],
      );
      const [head] = await em.query(
        `SELECT last_seq, last_hash FROM audit_heads WHERE chain_key = $1 FOR UPDATE`,
        [chainKey],
      );
      const content: ChainedContent = {
        chainKey,
        seq: Number(head.last_seq) + 1,
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
        prevHash: head.last_hash,
      };
      const hash = chainHash(content);
      await em.query(
        `INSERT INTO audit_events (chain_key, tenant_id, seq, occurred_at, actor_type, actor_id, actor_label,
           action, target_type, target_id, before, after, prev_hash, hash)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
        [chainKey, content.tenantId, content.seq, content.occurredAt, content.actorType, content.actorId,
          content.actorLabel, content.action, content.targetType, content.targetId,
          JSON.stringify(content.before), JSON.stringify(content.after), content.prevHash, hash],
      );
      await em.query(`UPDATE audit_heads SET last_seq = $2, last_hash = $3 WHERE chain_key = $1`, [
        chainKey, content.seq, hash,
      ]);
    });
  }

  /** Newest first; keyset paging on the chain sequence. */
  async list(tenantId: string | null, filter: AuditFilter, limit: number, cursor?: string): Promise<Page<AuditView>> {
    const after = decodeCursor<{ seq: number }>(cursor, ['seq'], (c) => isSeqKey(c.seq));
    const where = ['chain_key = $1'];
    const params: unknown[] = [tenantId ?? PLATFORM_CHAIN];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (after) add('seq < ?', after.seq);
    if (filter.action) add('action = ?', filter.action);
    if (filter.targetType) add('target_type = ?', filter.targetType);
    if (filter.targetId) add('target_id = ?', filter.targetId);
    if (filter.actorId) add('actor_id = ?', filter.actorId);
    if (filter.from) add('occurred_at >= ?', filter.from);
    if (filter.to) add('occurred_at < ?', filter.to);
    params.push(limit + 1);
    const rows = await this.db.query<AuditRow>(
      `SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    return toPage(rows, limit, toAuditView, (r) => ({ seq: Number(r.seq) }));
  }

  /** Recomputes the chain of a tenant from the first event; reports the first row that does not match. */
  async verify(tenantId: string | null): Promise<VerifyResult> {
    const chainKey = tenantId ?? PLATFORM_CHAIN;
    const checkpoint = await this.checkpoints.check(tenantId, 'audit', async (seq) => {
      const [row] = await this.db.query<{ hash: string }>(`SELECT hash FROM audit_events WHERE chain_key = $1 AND seq = $2`, [chainKey, seq]);
      return row?.hash ?? null;
    });
    const result = await this.verifyChain(chainKey);
    if (!checkpoint) return result;
    // A history rewritten with every hash recomputed still chains; it no longer holds the signed head.
    return { ...result, ok: result.ok && checkpoint.matches, checkpoint };
  }

  private async verifyChain(chainKey: string): Promise<VerifyResult> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    const batch = 2000;
    for (;;) {
      const rows: AuditRow[] = await this.db.query(
        `SELECT * FROM audit_events WHERE chain_key = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
        [chainKey, expectedSeq, batch],
      );
      for (const row of rows) {
        const seq = Number(row.seq);
        const recomputed = chainHash(contentOf(row));
        if (seq !== expectedSeq || row.prev_hash !== prevHash || recomputed !== row.hash) {
          return { ok: false, checked, firstBrokenId: row.id, firstBrokenSeq: seq };
        }
        prevHash = row.hash;
        expectedSeq++;
        checked++;
      }
      if (rows.length < batch) break;
    }
    const [head] = await this.db.query<{ last_seq: string; last_hash: string }>(
      `SELECT last_seq, last_hash FROM audit_heads WHERE chain_key = $1`,
      [chainKey],
    );
    // Rows deleted at the end of the chain: the head still remembers how far it went.
    if (head && (Number(head.last_seq) !== checked || head.last_hash !== prevHash)) {
      return { ok: false, checked, firstBrokenSeq: checked + 1 };
    }
    return { ok: true, checked };
  }
}

function normalise(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export function contentOf(row: AuditRow): ChainedContent {
  return {
    chainKey: row.chain_key,
    seq: Number(row.seq),
    tenantId: row.tenant_id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    before: row.before,
    after: row.after,
    prevHash: row.prev_hash,
  };
}
