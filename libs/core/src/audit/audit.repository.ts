import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { bindTo, Keyset, Page } from '../http/pagination';
import { ChainedContent, GENESIS_HASH } from './canonical';
import { AUDIT_LABEL_COLUMNS, AUDIT_LABEL_JOIN } from './audit-labels';

/** One event of the trail: what its hash covers, its id and its hash. */
export type AuditRecord = ChainedContent & { id: string; hash: string };

export interface AuditFilter {
  action?: string;
  /** The action's prefix before its dot (`account` for `account.suspended`, ...): a kind of act. */
  actionGroup?: string;
  targetType?: string;
  targetId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
}

/** An object of the audit trail: its target type and id, as `AuditService.record` wrote them. */
export interface AuditTarget {
  type: string;
  id: string;
}

/** A row of `audit_events` as PostgreSQL answers it (`SELECT *`). */
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

export function auditRecordOf(row: AuditRow): AuditRecord {
  return {
    id: row.id, chainKey: row.chain_key, seq: Number(row.seq), tenantId: row.tenant_id,
    occurredAt: new Date(row.occurred_at).toISOString(), actorType: row.actor_type, actorId: row.actor_id,
    actorLabel: row.actor_label, action: row.action, targetType: row.target_type, targetId: row.target_id,
    before: row.before, after: row.after, prevHash: row.prev_hash, hash: row.hash,
  };
}

/** An event as listed: its target's and actor's names as they are now. */
export type NamedAuditRecord = AuditRecord & { targetLabel: string | null; actorName: string | null };

/** The chain key of the platform's own trail (events of no tenant). */
export const PLATFORM_CHAIN = '00000000-0000-0000-0000-000000000000';

const NEWEST_FIRST = new Keyset('DESC', [['seq', 'seq', 'int']]);

/** Only this class touches `audit_events` and `audit_heads`. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** The head of a chain (made at the genesis hash the first time), locked until the transaction ends. */
  async lockHead(chainKey: string): Promise<{ seq: number; hash: string }> {
    await this.db.query(
      `INSERT INTO audit_heads (chain_key, last_seq, last_hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, [chainKey, GENESIS_HASH],
    );
    const [head] = await this.db.query<{ last_seq: string; last_hash: string }>(
      `SELECT last_seq, last_hash FROM audit_heads WHERE chain_key = $1 FOR UPDATE`, [chainKey],
    );
    return { seq: Number(head.last_seq), hash: head.last_hash };
  }

  /** The head as it stands, or null for a chain never written. */
  async head(chainKey: string): Promise<{ seq: number; hash: string } | null> {
    const [head] = await this.db.query<{ last_seq: string; last_hash: string }>(
      `SELECT last_seq, last_hash FROM audit_heads WHERE chain_key = $1`, [chainKey],
    );
    return head ? { seq: Number(head.last_seq), hash: head.last_hash } : null;
  }

  /** Appends the event after the head `lockHead` answered, and moves the head to it. */
  async append(c: ChainedContent, hash: string): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_events (chain_key, tenant_id, seq, occurred_at, actor_type, actor_id, actor_label,
         action, target_type, target_id, before, after, prev_hash, hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
      [c.chainKey, c.tenantId, c.seq, c.occurredAt, c.actorType, c.actorId, c.actorLabel, c.action, c.targetType, c.targetId,
        JSON.stringify(c.before), JSON.stringify(c.after), c.prevHash, hash],
    );
    await this.db.query(`UPDATE audit_heads SET last_seq = $2, last_hash = $3 WHERE chain_key = $1`, [c.chainKey, c.seq, hash]);
  }

  /** Newest first, keyset on the chain sequence. */
  async list(chainKey: string, filter: AuditFilter, page: { limit: number; cursor?: string }): Promise<Page<NamedAuditRecord>> {
    const params: unknown[] = [chainKey];
    const bind = bindTo(params);
    const where = ['chain_key = $1', NEWEST_FIRST.after(page.cursor, bind)];
    if (filter.actionGroup) where.push(`starts_with(action, ${bind(`${filter.actionGroup}.`)})`);
    const columns: [keyof AuditFilter, string][] = [
      ['action', 'action ='], ['targetType', 'target_type ='], ['targetId', 'target_id ='], ['actorId', 'actor_id ='],
      ['from', 'occurred_at >='], ['to', 'occurred_at <'],
    ];
    for (const [field, test] of columns) if (filter[field]) where.push(`${test} ${bind(filter[field])}`);
    const rows = await this.db.query<AuditRow & { target_label: string | null; actor_name: string | null }>(
      `SELECT e.*, ${AUDIT_LABEL_COLUMNS} FROM audit_events e ${AUDIT_LABEL_JOIN}
        WHERE ${where.join(' AND ')} ORDER BY ${NEWEST_FIRST.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
    const named = (r: (typeof rows)[number]) => ({ ...auditRecordOf(r), targetLabel: r.target_label, actorName: r.actor_name });
    return NEWEST_FIRST.page(rows, page.limit, named, (r) => ({ seq: Number(r.seq) }));
  }

  /** Up to `limit` events of a chain from `fromSeq` on, in chain order. */
  async from(chainKey: string, fromSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows = await this.db.query<AuditRow>(
      `SELECT * FROM audit_events WHERE chain_key = $1 AND seq >= $2 ORDER BY seq LIMIT $3`, [chainKey, fromSeq, limit],
    );
    return rows.map(auditRecordOf);
  }

  async hashAt(chainKey: string, seq: number): Promise<string | null> {
    const [row] = await this.db.query<{ hash: string }>(`SELECT hash FROM audit_events WHERE chain_key = $1 AND seq = $2`, [chainKey, seq]);
    return row?.hash ?? null;
  }

  /** The targets of a tenant's events that name the contractor (`contractorId` before or after), up to `upToSeq`. */
  mentioning(tenantId: string, contractorId: string, upToSeq: number): Promise<AuditTarget[]> {
    return this.db.query<AuditTarget>(
      `SELECT DISTINCT target_type AS type, target_id AS id FROM audit_events
        WHERE chain_key = $1 AND seq <= $3 AND target_id IS NOT NULL
          AND (after->>'contractorId' = $2 OR before->>'contractorId' = $2)`,
      [tenantId, contractorId, upToSeq],
    );
  }

  /** Up to `limit` events of these targets after `afterSeq` and up to `upToSeq`, in chain order. */
  async ofTargets(tenantId: string, targets: readonly AuditTarget[], range: { afterSeq: number; upToSeq: number }, limit: number)
    : Promise<AuditRecord[]> {
    const rows = await this.db.query<AuditRow>(
      `SELECT e.* FROM audit_events e
        WHERE e.tenant_id = $1 AND e.chain_key = $1 AND e.seq > $4 AND e.seq <= $5
          AND (e.target_type, e.target_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
        ORDER BY e.seq LIMIT $6`,
      [tenantId, targets.map((t) => t.type), targets.map((t) => t.id), range.afterSeq, range.upToSeq, limit],
    );
    return rows.map(auditRecordOf);
  }
}
