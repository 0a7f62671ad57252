import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';
import { monthOf, nextMonth } from './partitions';

/** What a tenant had in a dropped month (its batches are then marked purged). */
export interface MonthHeld {
  tenantId: string;
  events: number;
  batches: number;
}

/**
 * R-ART41: monthly partitions of connection_events. Created ahead by the scheduler and on demand by
 * ingestion, dropped whole by retention, through the owner's functions (R-INT: the app cannot delete evidence).
 */
@Injectable()
export class JournalPartitions {
  private readonly known = new Set<string>();

  constructor(private readonly db: Db) {}

  async ensure(months: Iterable<string>): Promise<void> {
    for (const month of months) {
      if (this.known.has(month)) continue;
      // One creator at a time, in a transaction of its own: never holding the parent's lock for a caller's transaction.
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

  /** Drops a whole month; the owner's function refuses a month within any tenant's legal floor. */
  async drop(month: string, at: Date): Promise<MonthHeld[]> {
    const held = await this.db.query<{ tenant_id: string; events: number; batches: number }>(
      `SELECT * FROM journal_drop_month($1, $2)`, [month, at],
    );
    this.known.delete(month);
    return held.map((h) => ({ tenantId: h.tenant_id, events: h.events, batches: h.batches }));
  }
}
