import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { Clock } from '../clock/clock';
import { JobName } from '../jobs/job-names';

export interface OutboxMessage {
  tenantId: string | null;
  job: JobName;
  payload: Record<string, unknown>;
  /** Deliver no earlier than this instant (reminders at a date). */
  availableAt?: Date;
  /** A message with a key already used is dropped: a scheduled job that runs twice notifies once. */
  dedupeKey?: string;
}

export interface OutboxRow {
  id: string;
  tenant_id: string | null;
  job: JobName;
  payload: Record<string, unknown>;
  attempts: number;
  delivered_at: Date | null;
}

/**
 * R-NOT: what must leave the system (e-mails, webhooks) is first written here, in the same
 * transaction as the state change. The worker's relay moves rows to BullMQ; nothing is lost
 * when Redis or SMTP is down, since the row stays until a handler marks it delivered.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Returns the new row's id, or null when the dedupe key was already used. */
  async enqueue(message: OutboxMessage): Promise<string | null> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO outbox (tenant_id, job, payload, available_at, dedupe_key) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id`,
      [message.tenantId, message.job, JSON.stringify(message.payload), message.availableAt ?? this.clock.now(), message.dedupeKey ?? null],
    );
    return row?.id ?? null;
  }

  async find(id: string): Promise<OutboxRow | undefined> {
    const [row] = await this.db.query<OutboxRow>(`SELECT * FROM outbox WHERE id = $1`, [id]);
    return row;
  }

  /**
   * Claims due rows (SKIP LOCKED: several relays never take the same row) and hands them to
   * `publish` inside the transaction; a row is marked relayed only if publishing succeeded.
   * A row relayed long ago and still undelivered is offered again: its job may have been lost
   * with a Redis that restarted empty. If the job still exists, the same job id makes it a no-op.
   */
  async relayBatch(publish: (rows: OutboxRow[]) => Promise<void>, limit = 100, reofferAfterMs = 5 * 60_000): Promise<number> {
    return this.db.transaction(async (em) => {
      const now = this.clock.now();
      const rows: OutboxRow[] = await em.query(
        `SELECT id, tenant_id, job, payload, attempts, delivered_at FROM outbox
          WHERE delivered_at IS NULL AND available_at <= $1 AND (relayed_at IS NULL OR relayed_at < $3)
          ORDER BY available_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit, new Date(now.getTime() - reofferAfterMs)],
      );
      if (!rows.length) return 0;
      await publish(rows);
      await em.query(`UPDATE outbox SET relayed_at = $2 WHERE id = ANY($1)`, [rows.map((r) => r.id), this.clock.now()]);
      return rows.length;
    });
  }

  async markDelivered(id: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET delivered_at = $2, last_error = NULL WHERE id = $1`, [id, this.clock.now()]);
  }

  /** Nothing to deliver any more (e.g. its webhook was revoked): closed like a delivered row, with the reason kept. */
  async markSkipped(id: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET delivered_at = $2, last_error = $3 WHERE id = $1`, [id, this.clock.now(), `skipped: ${reason}`]);
  }

  async recordFailure(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [id, error.slice(0, 2000)]);
  }

  /** The queue gave up (every retry failed): hand the row back to the relay later instead of losing it. */
  async requeueLater(id: string, delayMs: number): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET relayed_at = NULL, available_at = $2 WHERE id = $1 AND delivered_at IS NULL`,
      [id, new Date(this.clock.now().getTime() + delayMs)],
    );
  }

  /**
   * How many rows wait for delivery and the age in seconds of the oldest (outbox lag; 0 when none
   * waits). `sql` lets the metrics scrape run it under its statement timeout.
   */
  async backlog(sql: <T>(text: string, params: unknown[]) => Promise<T[]> = (text, params) => this.db.query(text, params)): Promise<{ pending: number; lagSeconds: number }> {
    const [row] = await sql<{ pending: number; age: number | null }>(
      `SELECT count(*)::int AS pending, GREATEST(0, EXTRACT(EPOCH FROM ($1 - min(created_at))))::float AS age FROM outbox WHERE delivered_at IS NULL`,
      [this.clock.now()],
    );
    return { pending: row?.pending ?? 0, lagSeconds: row?.age ?? 0 };
  }
}
