import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Db } from '@app/core';

export interface DecisionRecord {
  tenantId: string;
  apiKeyId: string | null;
  decidedAt: Date;
  at: Date;
  accountRef: string;
  resourceRef: string;
  accountId: string | null;
  resourceId: string | null;
  decision: 'allow' | 'deny';
  reasons: string[];
  interventionId: string | null;
  validUntil: Date | null;
}

export const DECISION_FLUSH_MS = Symbol('DECISION_FLUSH_MS');

/**
 * Every access decision is kept (it feeds the connection journal's correlation), without
 * slowing the answer: decisions are buffered and written in multi-row inserts every few hundred
 * milliseconds, and on shutdown. A crash may lose the last fraction of a second of the log,
 * never an answer.
 */
@Injectable()
export class DecisionRecorder implements OnModuleDestroy {
  private readonly log = new Logger('DecisionRecorder');
  private buffer: DecisionRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    @Inject(DECISION_FLUSH_MS) private readonly flushMs: number,
  ) {}

  record(decision: DecisionRecord): void {
    this.buffer.push(decision);
    if (this.buffer.length >= 1000) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (!batch.length) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(batch)).catch((error: Error) => {
      this.log.error({ err: error.message, lost: batch.length }, 'could not record access decisions');
    });
    return this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  private async write(batch: DecisionRecord[]): Promise<void> {
    const col = <K extends keyof DecisionRecord>(k: K) => batch.map((d) => d[k]);
    await this.db.dataSource.query(
      `INSERT INTO access_decisions (tenant_id, api_key_id, decided_at, at, account_ref, resource_ref, account_id, resource_id, decision, reasons, intervention_id, valid_until)
       SELECT t, k, d, a, ar, rr, ai, ri, dc, string_to_array(rs, ','), ii, vu
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::uuid[], $12::timestamptz[])
           AS x(t, k, d, a, ar, rr, ai, ri, dc, rs, ii, vu)`,
      [col('tenantId'), col('apiKeyId'), col('decidedAt'), col('at'), col('accountRef'), col('resourceRef'), col('accountId'), col('resourceId'),
        col('decision'), batch.map((d) => d.reasons.join(',')), col('interventionId'), col('validUntil')],
    );
  }
}
