import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { JobName } from '../jobs/job-names';

/** One message waiting in (or gone from) the outbox. */
export interface OutboxRecord {
  id: string;
  tenantId: string | null;
  job: JobName;
  payload: Record<string, unknown>;
  attempts: number;
  deliveredAt: Date | null;
}

interface OutboxRow {
  id: string;
  tenant_id: string | null;
  job: JobName;
  payload: Record<string, unknown>;
  attempts: number;
  delivered_at: Date | null;
}

const toRecord = (r: OutboxRow): OutboxRecord => ({
  id: r.id, tenantId: r.tenant_id, job: r.job, payload: r.payload, attempts: r.attempts, deliveredAt: r.delivered_at,
});

export interface NewOutboxRow {
  tenantId: string | null;
  job: JobName;
  payload: Record<string, unknown>;
  availableAt: Date;
  dedupeKey: string | null;
}

/** Runs one statement; the metrics scrape passes one bounded by a statement timeout. */
export type SqlRunner = <T>(text: string, params: unknown[]) => Promise<T[]>;

/** Only this class touches the `outbox` table. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  /** The new row's id, or null when the dedupe key was already used. */
  async insert(m: NewOutboxRow): Promise<string | null> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO outbox (tenant_id, job, payload, available_at, dedupe_key) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id`,
      [m.tenantId, m.job, JSON.stringify(m.payload), m.availableAt, m.dedupeKey],
    );
    return row?.id ?? null;
  }

  async find(id: string): Promise<OutboxRecord | undefined> {
    const [row] = await this.db.query<OutboxRow>(`SELECT * FROM outbox WHERE id = $1`, [id]);
    return row && toRecord(row);
  }

  /** Due rows never relayed or relayed before `reofferBefore`, locked (SKIP LOCKED: several relays never take the same row). */
  async claimDue(now: Date, reofferBefore: Date, limit: number): Promise<OutboxRecord[]> {
    const rows = await this.db.query<OutboxRow>(
      `SELECT id, tenant_id, job, payload, attempts, delivered_at FROM outbox
        WHERE delivered_at IS NULL AND available_at <= $1 AND (relayed_at IS NULL OR relayed_at < $3)
        ORDER BY available_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit, reofferBefore],
    );
    return rows.map(toRecord);
  }

  async markRelayed(ids: string[], at: Date): Promise<void> {
    await this.db.query(`UPDATE outbox SET relayed_at = $2 WHERE id = ANY($1)`, [ids, at]);
  }

  /** Closes the row; `note` is kept as its last error (why it was skipped), null for a delivery. */
  async markDelivered(id: string, at: Date, note: string | null = null): Promise<void> {
    await this.db.query(`UPDATE outbox SET delivered_at = $2, last_error = $3 WHERE id = $1`, [id, at, note]);
  }

  async recordFailure(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [id, error.slice(0, 2000)]);
  }

  async requeue(id: string, availableAt: Date): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET relayed_at = NULL, available_at = $2 WHERE id = $1 AND delivered_at IS NULL`, [id, availableAt],
    );
  }

  async backlog(
    now: Date, sql: SqlRunner = (text, params) => this.db.query(text, params),
  ): Promise<{ pending: number; lagSeconds: number }> {
    const [row] = await sql<{ pending: number; age: number | null }>(
      `SELECT count(*)::int AS pending, GREATEST(0, EXTRACT(EPOCH FROM ($1 - min(created_at))))::float AS age
         FROM outbox WHERE delivered_at IS NULL`,
      [now],
    );
    return { pending: row?.pending ?? 0, lagSeconds: row?.age ?? 0 };
  }
}
