import { Injectable } from '@nestjs/common';
import { AuditRecord, AuditService, AuditTarget, chainHash, ChainedContent, contentOf, VerifyResult } from '@app/core';

export type { AuditTarget };

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

/**
 * R-AUD: the part of a tenant's hash chain that concerns one contractor, in chain order, up to the last event the
 * verification covered. Each event keeps every field its hash covers, so an inspector recomputes it alone.
 */
@Injectable()
export class AuditExtract {
  constructor(private readonly audit: AuditService) {}

  verify(tenantId: string): Promise<VerifyResult> {
    return this.audit.verify(tenantId);
  }

  /** The targets whose events name the contractor (`contractorId` before or after): exports, incidents, people... */
  mentioning(tenantId: string, contractorId: string, upToSeq: number): Promise<AuditTarget[]> {
    return this.audit.targetsMentioning(tenantId, contractorId, upToSeq);
  }

  /** The events of these targets, oldest first, in pages (keyset on the chain sequence, target index). */
  pages(tenantId: string, targets: readonly AuditTarget[], upToSeq: number): AsyncGenerator<AuditRecord[]> {
    return this.audit.eventsOf(tenantId, targets, upToSeq);
  }

  /** Each object's events in chain order, as status transitions with their actor and reason. */
  async lifecycles(tenantId: string, type: string, ids: readonly string[], upToSeq: number): Promise<Map<string, Transition[]>> {
    const lives = new Map<string, Transition[]>();
    for await (const rows of this.pages(tenantId, ids.map((id) => ({ type, id })), upToSeq)) {
      for (const e of rows) {
        const before = (e.before ?? {}) as Record<string, unknown>;
        const after = (e.after ?? {}) as Record<string, unknown>;
        const life = lives.get(e.targetId!) ?? [];
        life.push({
          seq: e.seq, at: e.occurredAt, action: e.action,
          from: typeof before.status === 'string' ? before.status : null, to: typeof after.status === 'string' ? after.status : null,
          reason: typeof after.reason === 'string' ? after.reason : null,
          actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
        });
        lives.set(e.targetId!, life);
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

function extracted(row: AuditRecord): ExtractedEvent {
  return { ...contentOf(row), hash: row.hash };
}
