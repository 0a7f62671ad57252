import { Injectable } from '@nestjs/common';
import { Db, literal, TenantScope } from '@app/core';
import { ExportFormat, exportLineSql, ExportPage } from './export-format';

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
   * index) on a pooled connection (none held in between, so a slow download holds no connection, no
   * snapshot and no lock). The next page is asked for as soon as a page arrives, so PostgreSQL reads it
   * while this one is sent: memory holds two pages, whatever the size of the export. Each page is read
   * with a binary COPY into bytes (PageReader), never into one string and one object per row. A page's
   * bytes are valid until the next page is asked for (its Buffer is then reused).
   */
  async *events(scope: TenantScope, filter: ExportFilter, format: ExportFormat, pageSize = EXPORT_PAGE): AsyncGenerator<ExportPage> {
    type Read = { page: ExportPage; last: Cursor | null; buffer?: Buffer; error?: unknown };
    let spare: Buffer | undefined;
    const read = (after: Cursor | null): Promise<Read> => {
      const reader = new PageReader(spare);
      spare = undefined;
      // Settled, never rejected: a page nobody waits for any more (the client went away) must not fail the process.
      return this.db.copyOut(`COPY (${this.pageSql(scope, filter, format, after, pageSize)}) TO STDOUT (FORMAT binary)`, (chunk) => reader.read(chunk))
        .then(() => reader.result(), (error: unknown) => ({ page: { data: Buffer.alloc(0), ends: [] }, last: null, error }));
    };
    let next = read(null);
    for (;;) {
      const { page, last, buffer, error } = await next;
      if (error) throw error;
      const more = page.ends.length === pageSize && last !== null;
      if (more) next = read(last);
      if (page.ends.length) yield page;
      // Asked for the next page: done with this one, whose Buffer the page after next reuses (two Buffers for a whole export).
      spare = buffer;
      if (!more) return;
    }
  }

  /** One page's query: the line, then the keyset (id, started_at as text). Literals: COPY takes no parameters. */
  pageSql(scope: TenantScope, filter: ExportFilter, format: ExportFormat, after: Cursor | null, pageSize = EXPORT_PAGE): string {
    const where = [`e.tenant_id = ${literal(scope.tenantId)}::uuid`, `e.started_at >= ${literal(filter.from)}::timestamptz`,
      `e.started_at < ${literal(filter.to)}::timestamptz`];
    if (filter.contractorId) where.push(`e.contractor_id = ${literal(filter.contractorId)}::uuid`);
    if (filter.accountId) where.push(`e.account_id = ${literal(filter.accountId)}::uuid`);
    if (after) where.push(`(e.started_at, e.id) > (${literal(after.at)}::timestamptz, ${literal(after.id)}::uuid)`);
    return `SELECT ${LINE_SQL[format]} AS line, e.id::text, e.started_at::text AS cursor_at FROM connection_events e
      WHERE ${where.join(' AND ')} ORDER BY e.started_at, e.id LIMIT ${Math.trunc(Number(pageSize))}`;
  }
}

/** The keyset of the last event read. */
export interface Cursor {
  at: string;
  id: string;
}

/**
 * Reads one page from `COPY ... TO STDOUT (FORMAT binary)` of (line, id, cursor_at): a header (signature,
 * flags, extension) before the first row, then per row a field count and each field as a length and its
 * bytes, then -1. PostgreSQL sends one row per CopyData message. The lines are copied into one Buffer
 * (the driver reuses its read buffer); only the last row's keyset is decoded into strings.
 */
class PageReader {
  private static readonly SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
  private data: Buffer;
  private used = 0;
  private readonly ends: number[] = [];
  private readonly keyset = Buffer.allocUnsafe(256);
  private idLength = -1; // the last row's, in `keyset`; -1 before any row
  private cursorLength = 0;
  private started = false;

  /** Starts small and doubles: a read of one account's month is often a few dozen rows. */
  constructor(reuse?: Buffer) {
    this.data = reuse ?? Buffer.allocUnsafeSlow(64 * 1024);
  }

  read(chunk: Buffer): void {
    let at = 0;
    if (!this.started) {
      if (!chunk.subarray(0, 11).equals(PageReader.SIGNATURE)) throw new Error('COPY: not a binary COPY stream');
      at = 19 + chunk.readUInt32BE(15);
      this.started = true;
    }
    while (at < chunk.length) {
      const fields = chunk.readInt16BE(at);
      at += 2;
      if (fields === -1) return;
      if (fields !== 3) throw new Error(`COPY: ${fields} fields in a row, expected 3`);
      const lineLength = chunk.readInt32BE(at);
      const idAt = at + 4 + lineLength;
      const idLength = chunk.readInt32BE(idAt);
      const cursorAt = idAt + 4 + idLength;
      const cursorLength = chunk.readInt32BE(cursorAt);
      this.append(chunk, at + 4, idAt);
      if (idLength + cursorLength > this.keyset.length) throw new Error('COPY: keyset too long');
      chunk.copy(this.keyset, 0, idAt + 4, idAt + 4 + idLength);
      chunk.copy(this.keyset, idLength, cursorAt + 4, cursorAt + 4 + cursorLength);
      this.idLength = idLength;
      this.cursorLength = cursorLength;
      at = cursorAt + 4 + cursorLength;
    }
  }

  result(): { page: ExportPage; last: Cursor | null; buffer: Buffer } {
    const { idLength: id, cursorLength: at } = this;
    const last = id < 0 ? null : { id: this.keyset.toString('utf8', 0, id), at: this.keyset.toString('utf8', id, id + at) };
    return { page: { data: this.data.subarray(0, this.used), ends: this.ends }, last, buffer: this.data };
  }

  private append(src: Buffer, start: number, end: number): void {
    const need = this.used + end - start;
    if (need > this.data.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.data.length));
      this.data.copy(grown, 0, 0, this.used);
      this.data = grown;
    }
    this.used += src.copy(this.data, this.used, start, end);
    this.ends.push(this.used);
  }
}
