import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';

/** 'YYYY-MM' of an instant (UTC months: partitions are the same for every tenant). */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function partitionName(month: string): string {
  return `connection_events_y${month.replace('-', 'm')}`;
}

/**
 * R-ART41: monthly partitions of connection_events. Created ahead by the scheduler and on
 * demand by ingestion (an event from a month without a partition), dropped whole by retention.
 */
@Injectable()
export class JournalPartitions {
  private readonly known = new Set<string>();

  constructor(private readonly db: Db) {}

  async ensure(months: Iterable<string>): Promise<void> {
    for (const month of months) {
      if (this.known.has(month)) continue;
      // Creating a partition locks the parent table: two processes creating months at once (ingestion
      // and the scheduler's months ahead) would deadlock or collide. One at a time, tenant-wide.
      await this.db.dataSource.transaction(async (em) => {
        await em.query(`SELECT pg_advisory_xact_lock(hashtext('connection_events_partitions'))`);
        await em.query(
          `CREATE TABLE IF NOT EXISTS ${partitionName(month)} PARTITION OF connection_events
             FOR VALUES FROM ('${month}-01T00:00:00Z') TO ('${nextMonth(month)}-01T00:00:00Z')`,
        );
      });
      this.known.add(month);
    }
  }

  /** The current month and the next `ahead` ones. */
  async createAhead(now: Date, ahead = 3): Promise<string[]> {
    const months = [monthOf(now)];
    for (let i = 0; i < ahead; i++) months.push(nextMonth(months[months.length - 1]));
    await this.ensure(months);
    return months;
  }

  /** Existing partitions, oldest first, with the month each holds. */
  async list(): Promise<{ name: string; month: string }[]> {
    const rows = await this.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'connection_events' ORDER BY c.relname`,
    );
    return rows.map((r) => ({ name: r.name, month: r.name.replace('connection_events_y', '').replace('m', '-') }));
  }

  /** Drops a whole month (every row of it is older than every tenant's retention). */
  async drop(month: string): Promise<void> {
    await this.db.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('connection_events_partitions'))`);
      await em.query(`DROP TABLE IF EXISTS ${partitionName(month)}`);
    });
    this.known.delete(month);
  }
}
