import { Injectable } from '@nestjs/common';
import { AuditRow, AuditService, chainHash, ChainedContent, contentOf, Db, VerifyResult } from '@app/core';

/** An object of the audit trail: its target type and id, as `AuditService.record` wrote them. */
export interface AuditTarget {
  type: string;
  id: string;
}

/** One event of the extract: exactly what its hash covers, plus the hash. */
export type ExtractedEvent = ChainedContent & { hash: string };

export interface ExtractStats {
  events: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Events whose hash, recomputed from their own content, matches the stored one. */
  hashesRecomputed: number;
  mismatchedSeqs: number[];
}

/** One step of an object's life (an account, a habilitation, an intervention), as the audit trail recorded it. */
export interface Transition {
  seq: number;
  at: string;
  action: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  actor: { type: string; id: string | null; label: string | null };
}

const PAGE = 1000;

/**
 * R-AUD: the part of a tenant's hash chain that concerns one contractor, read in chain order and
 * page by page, up to the last event the verification covered. Each event keeps every field its
 * hash covers, so an inspector recomputes it alone: SHA-256 of the event's canonical JSON (keys
 * sorted at every depth) without `hash`.
 */
@Injectable()
export class AuditExtract {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  verify(tenantId: string): Promise<VerifyResult> {
    return this.audit.verify(tenantId);
  }

  /** The targets whose events name the contractor (`contractorId` before or after): exports, incidents, people... */
  async mentioning(tenantId: string, contractorId: string, upToSeq: number): Promise<AuditTarget[]> {
    return this.db.query<AuditTarget>(
      `SELECT DISTINCT target_type AS type, target_id AS id FROM audit_events
        WHERE chain_key = $1 AND seq <= $3 AND target_id IS NOT NULL
          AND (after->>'contractorId' = $2 OR before->>'contractorId' = $2)`,
      [tenantId, contractorId, upToSeq],
    );
  }

  /** The events of these targets, oldest first, in pages (keyset on the chain sequence, target index). */
  async *pages(tenantId: string, targets: readonly AuditTarget[], upToSeq: number): AsyncGenerator<AuditRow[]> {
    if (!targets.length) return;
    const types = targets.map((t) => t.type);
    const ids = targets.map((t) => t.id);
    let after = 0;
    for (;;) {
      const rows = await this.db.query<AuditRow>(
        `SELECT e.* FROM audit_events e
          WHERE e.tenant_id = $1 AND e.chain_key = $1 AND e.seq > $4 AND e.seq <= $5
            AND (e.target_type, e.target_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))
          ORDER BY e.seq LIMIT $6`,
        [tenantId, types, ids, after, upToSeq, PAGE],
      );
      if (rows.length) yield rows;
      if (rows.length < PAGE) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }

  /** Each object's events in chain order, as status transitions with their actor and reason. */
  async lifecycles(tenantId: string, type: string, ids: readonly string[], upToSeq: number): Promise<Map<string, Transition[]>> {
    const lives = new Map<string, Transition[]>();
    for await (const rows of this.pages(tenantId, ids.map((id) => ({ type, id })), upToSeq)) {
      for (const e of rows) {
        const before = (e.before ?? {}) as Record<string, unknown>;
        const after = (e.after ?? {}) as Record<string, unknown>;
        const life = lives.get(e.target_id!) ?? [];
        life.push({
          seq: Number(e.seq), at: new Date(e.occurred_at).toISOString(), action: e.action,
          from: typeof before.status === 'string' ? before.status : null, to: typeof after.status === 'string' ? after.status : null,
          reason: typeof after.reason === 'string' ? after.reason : null,
          actor: { type: e.actor_type, id: e.actor_id, label: e.actor_label },
        });
        lives.set(e.target_id!, life);
      }
    }
    return lives;
  }

  /** The extract as a streamed JSON array; `stats` is complete once the last chunk was read. */
  async *json(tenantId: string, targets: readonly AuditTarget[], upToSeq: number, stats: ExtractStats): AsyncGenerator<string> {
    yield '[';
    for await (const rows of this.pages(tenantId, targets, upToSeq)) {
      const text = rows.map((row) => {
        const event = extracted(row);
        const seq = event.seq;
        if (chainHash(contentOf(row)) === row.hash) stats.hashesRecomputed++;
        else stats.mismatchedSeqs.push(seq);
        stats.firstSeq ??= seq;
        stats.lastSeq = seq;
        return `${stats.events++ ? ',' : ''}\n${JSON.stringify(event)}`;
      });
      yield text.join('');
    }
    yield stats.events ? '\n]\n' : ']\n';
  }
}

export function emptyStats(): ExtractStats {
  return { events: 0, firstSeq: null, lastSeq: null, hashesRecomputed: 0, mismatchedSeqs: [] };
}

function extracted(row: AuditRow): ExtractedEvent {
  return { ...contentOf(row), hash: row.hash };
}
