import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { Clock } from '../clock/clock';
import { JobName } from '../jobs/job-names';
import { OutboxRecord, OutboxRepository, SqlRunner } from './outbox.repository';

export interface OutboxMessage {
  tenantId: string | null;
  job: JobName;
  payload: Record<string, unknown>;
  /** Deliver no earlier than this instant (reminders at a date). */
  availableAt?: Date;
  /** A message with a key already used is dropped: a scheduled job that runs twice notifies once. */
  dedupeKey?: string;
}

/**
 * R-NOT: what must leave the system (e-mails, webhooks) is first written here, in the transaction of the state
 * change. The worker's relay moves rows to BullMQ; a row stays until a handler marks it delivered.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly db: Db,
    private readonly repo: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  /** Returns the new row's id, or null when the dedupe key was already used. */
  enqueue(message: OutboxMessage): Promise<string | null> {
    return this.repo.insert({
      tenantId: message.tenantId, job: message.job, payload: message.payload,
      availableAt: message.availableAt ?? this.clock.now(), dedupeKey: message.dedupeKey ?? null,
    });
  }

  find(id: string): Promise<OutboxRecord | undefined> {
    return this.repo.find(id);
  }

  /**
   * Claims due rows and hands them to `publish` in the transaction; they are marked relayed only if it succeeded.
   * A row relayed long ago and still undelivered is offered again (its job may have died with Redis; same job id).
   */
  async relayBatch(publish: (rows: OutboxRecord[]) => Promise<void>, limit = 100, reofferAfterMs = 5 * 60_000): Promise<number> {
    return this.db.transaction(async () => {
      const now = this.clock.now();
      const rows = await this.repo.claimDue(now, new Date(now.getTime() - reofferAfterMs), limit);
      if (!rows.length) return 0;
      await publish(rows);
      await this.repo.markRelayed(rows.map((r) => r.id), this.clock.now());
      return rows.length;
    });
  }

  async markDelivered(id: string): Promise<void> {
    await this.repo.markDelivered(id, this.clock.now());
  }

  /** Nothing to deliver any more (e.g. its webhook was revoked): closed like a delivered row, with the reason kept. */
  async markSkipped(id: string, reason: string): Promise<void> {
    await this.repo.markDelivered(id, this.clock.now(), `skipped: ${reason}`);
  }

  async recordFailure(id: string, error: string): Promise<void> {
    await this.repo.recordFailure(id, error);
  }

  /** The queue gave up (every retry failed): hand the row back to the relay later instead of losing it. */
  async requeueLater(id: string, delayMs: number): Promise<void> {
    await this.repo.requeue(id, new Date(this.clock.now().getTime() + delayMs));
  }

  /** Rows waiting for delivery and the age in seconds of the oldest (0 when none waits); `sql` bounds the scrape. */
  backlog(sql?: SqlRunner): Promise<{ pending: number; lagSeconds: number }> {
    return this.repo.backlog(this.clock.now(), sql);
  }
}
