import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { TenantScope } from '@app/core';
import { DecisionRecord, DecisionsRepository } from './decisions.repository';

export const DECISION_FLUSH_MS = Symbol('DECISION_FLUSH_MS');

/**
 * Every access decision is kept (the journal's correlation reads it) without slowing the answer: buffered, written in
 * multi-row inserts every few hundred milliseconds and on shutdown. A crash may lose a fraction of a second of the log.
 */
@Injectable()
export class DecisionRecorder implements OnModuleDestroy {
  private readonly log = new Logger('DecisionRecorder');
  private buffer: DecisionRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: DecisionsRepository,
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
    this.flushing = this.flushing.then(() => this.repo.record(batch)).catch((error: Error) => {
      this.log.error({ err: error.message, lost: batch.length }, 'could not record access decisions');
    });
    return this.flushing;
  }

  /** R-ART41: the decision log leaves with the journal's retention (what correlation compares the journal with). */
  purgeBefore(scope: TenantScope, cutoff: Date): Promise<number> {
    return this.repo.purgeBefore(scope, cutoff);
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }
}
