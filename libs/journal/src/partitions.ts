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
 * demand by ingestion (an event from a month without a partition), dropped whole by retention,
 * both through functions of the tables' owner (R-INT: the application role cannot delete evidence).
 */
@Injectable()
export class JournalPartitions {
  private readonly known = new Set<string>();

  constructor(private readonly db: Db) {}

  async ensure(months: Iterable<string>): Promise<void> {
    for (const month of months) {
      if (this.known.has(month)) continue;
      // R-INT: the owner's function creates the month (one creator at a time) and keeps it out of the application's reach.
      // In a transaction of its own, as before: never holding the parent's lock for a caller's transaction.
      await this.db.dataSource.query(`SELECT journal_create_partition($1)`, [month]);
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

  /**
   * Drops a whole month through the owner's function, which refuses a month within any tenant's legal
   * floor; answers what each tenant had in it (its batches are marked purged).
   */
  async drop(month: string, at: Date): Promise<{ tenant_id: string; events: number; batches: number }[]> {
    const held = await this.db.query<{ tenant_id: string; events: number; batches: number }>(`SELECT * FROM journal_drop_month($1, $2)`, [month, at]);
    this.known.delete(month);
    return held;
  }
}
