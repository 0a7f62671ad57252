import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';
import { ExportFormat, exportLineSql } from './export-format';

export interface ConnectionExportRow {
  id: string;
  tenant_id: string;
  requested_by: string;
  requested_at: Date;
  reason: string;
  range_from: Date;
  range_to: Date;
  contractor_id: string | null;
  account_id: string | null;
  format: 'csv' | 'json';
  downloads: number;
}

export interface ExportFilter {
  from: Date;
  to: Date;
  contractorId: string | null;
  accountId: string | null;
}

/** Rows read per query while streaming an export. */
export const EXPORT_PAGE = 5000;

/** One page of an export: each event as its finished CSV or JSON line, and the keyset of the last one. */
export interface ExportPage {
  lines: string[];
}

/**
 * R-ART41: each event as an export line, written by PostgreSQL (its own process, the other core)
 * rather than parsed into objects and formatted here: the API only joins text. `exportLineSql` keeps
 * the rules of export-format.ts (columns, RFC 4180 quoting, formulas neutralised, ISO 8601 UTC
 * instants in milliseconds); the export tests check the two against each other.
 */
const LINE_SQL: Record<ExportFormat, string> = { csv: exportLineSql('csv', 'e'), json: exportLineSql('json', 'e') };

/** Only this class touches connection_exports, and reads connection_events for exports. */
@Injectable()
export class ExportsRepository {
  constructor(private readonly db: Db) {}

  async insert(values: Omit<ConnectionExportRow, 'id' | 'downloads'>): Promise<ConnectionExportRow> {
    const [row] = await this.db.query<ConnectionExportRow>(
      `INSERT INTO connection_exports (tenant_id, requested_by, requested_at, reason, range_from, range_to, contractor_id, account_id, format)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [values.tenant_id, values.requested_by, values.requested_at, values.reason, values.range_from, values.range_to,
        values.contractor_id, values.account_id, values.format],
    );
    return row;
  }

  /** The export, if this person of this tenant requested it (locked for the download count). */
  async findOwn(scope: TenantScope, userId: string, id: string): Promise<ConnectionExportRow | undefined> {
    const [row] = await this.db.query<ConnectionExportRow>(
      `SELECT * FROM connection_exports WHERE id = $1 AND tenant_id = $2 AND requested_by = $3 FOR UPDATE`, [id, scope.tenantId, userId],
    );
    return row;
  }

  async countDownload(id: string): Promise<number> {
    const [row] = await this.db.query<{ downloads: number }>(`UPDATE connection_exports SET downloads = downloads + 1 WHERE id = $1 RETURNING downloads`, [id]);
    return row.downloads;
  }

  async contractorExists(scope: TenantScope, id: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM contractors WHERE id = $1 AND tenant_id = $2`, [id, scope.tenantId])).length > 0;
  }

  async accountExists(scope: TenantScope, id: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM accounts WHERE id = $1 AND tenant_id = $2`, [id, scope.tenantId])).length > 0;
  }

  /**
   * The events of the range as export lines, oldest first, in keyset pages on (started_at, id): each
   * page is one indexed query ((tenant_id, started_at, id) primary key, or the account / contractor
   * index) on a pooled connection (none held in between). The next page is asked for as soon as a page
   * arrives, so PostgreSQL reads it while this one is sent: memory holds two pages, whatever the size.
   */
  async *events(scope: TenantScope, filter: ExportFilter, format: ExportFormat, pageSize = EXPORT_PAGE): AsyncGenerator<string[]> {
    type Page = { rows: { line: string; id: string; cursor_at: string }[]; error?: unknown };
    const page = (after: { at: string; id: string } | null): Promise<Page> => {
      const params: unknown[] = [scope.tenantId, filter.from, filter.to];
      const where = ['e.tenant_id = $1', 'e.started_at >= $2', 'e.started_at < $3'];
      const add = (sql: string, ...values: unknown[]) => {
        where.push(sql.replace(/\?/g, () => `$${params.push(values.shift())}`));
      };
      if (filter.contractorId) add('e.contractor_id = ?', filter.contractorId);
      if (filter.accountId) add('e.account_id = ?', filter.accountId);
      if (after) add('(e.started_at, e.id) > (?::timestamptz, ?::uuid)', after.at, after.id);
      // Settled, never rejected: a page nobody waits for any more (the client went away) must not fail the process.
      return this.db.query<{ line: string; id: string; cursor_at: string }>(
        `SELECT ${LINE_SQL[format]} AS line, e.id, e.started_at::text AS cursor_at FROM connection_events e
          WHERE ${where.join(' AND ')} ORDER BY e.started_at, e.id LIMIT ${Number(pageSize)}`,
        params,
      ).then((rows) => ({ rows }), (error: unknown) => ({ rows: [], error }));
    };
    let next = page(null);
    for (;;) {
      const { rows, error } = await next;
      if (error) throw error;
      const last = rows[rows.length - 1];
      const more = rows.length === pageSize;
      if (more) next = page({ at: last.cursor_at, id: last.id });
      if (rows.length) yield rows.map((r) => r.line);
      if (!more) return;
    }
  }
}
