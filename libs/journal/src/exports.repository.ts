import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';
import { ExportRow } from './export-format';

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

const EVENT_COLUMNS = `e.id, e.event_id, e.account_ref, e.account_id, e.contractor_id, e.resource_ref, e.resource_id, host(e.source_ip) AS source_ip,
  e.started_at, e.ended_at, e.outcome, e.recording_ref, e.intervention_id, e.batch_id, e.ingested_at,
  e.started_at::text AS cursor_at`;

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
   * The events of the range, oldest first, in keyset pages on (started_at, id): each page is one
   * indexed query ((tenant_id, started_at, id) primary key, or the account / contractor index), run
   * when the consumer asks for it, so memory holds one page and no connection is held in between.
   */
  async *events(scope: TenantScope, filter: ExportFilter, pageSize = EXPORT_PAGE): AsyncGenerator<ExportRow[]> {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const params: unknown[] = [scope.tenantId, filter.from, filter.to];
      const where = ['e.tenant_id = $1', 'e.started_at >= $2', 'e.started_at < $3'];
      const add = (sql: string, ...values: unknown[]) => {
        where.push(sql.replace(/\?/g, () => `$${params.push(values.shift())}`));
      };
      if (filter.contractorId) add('e.contractor_id = ?', filter.contractorId);
      if (filter.accountId) add('e.account_id = ?', filter.accountId);
      if (after) add('(e.started_at, e.id) > (?::timestamptz, ?::uuid)', after.at, after.id);
      const rows: (ExportRow & { id: string; cursor_at: string })[] = await this.db.query(
        `SELECT ${EVENT_COLUMNS} FROM connection_events e WHERE ${where.join(' AND ')}
          ORDER BY e.started_at, e.id LIMIT ${Number(pageSize)}`,
        params,
      );
      if (rows.length) yield rows;
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = { at: last.cursor_at, id: last.id };
    }
  }
}
