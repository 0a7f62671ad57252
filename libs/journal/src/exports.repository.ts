import { Injectable } from '@nestjs/common';
import { Db, literal, TenantScope } from '@app/core';
import { csvCell } from '@app/core';
import { ExportField, exportFieldsSql, ExportFormat, ExportPage } from './export-format';

/** An export request as stored (connection_exports). */
export interface ConnectionExport {
  id: string;
  tenantId: string;
  requestedBy: string;
  requestedAt: Date;
  reason: string;
  from: Date;
  to: Date;
  contractorId: string | null;
  accountId: string | null;
  format: ExportFormat;
  downloads: number;
}

interface ExportRow {
  id: string;
  tenant_id: string;
  requested_by: string;
  requested_at: Date;
  reason: string;
  range_from: Date;
  range_to: Date;
  contractor_id: string | null;
  account_id: string | null;
  format: ExportFormat;
  downloads: number;
}

const toExport = (r: ExportRow): ConnectionExport => ({
  id: r.id, tenantId: r.tenant_id, requestedBy: r.requested_by, requestedAt: r.requested_at, reason: r.reason, from: r.range_from,
  to: r.range_to, contractorId: r.contractor_id, accountId: r.account_id, format: r.format, downloads: r.downloads,
});

export interface ExportFilter {
  from: Date;
  to: Date;
  contractorId: string | null;
  accountId: string | null;
}

/** Rows read per query while streaming an export. */
export const EXPORT_PAGE = 5000;

/** PostgreSQL writes each event's fields as text (its own process, the other core); the API joins them (docs/adr/journal-exports.md). */
const FIELDS: Record<ExportFormat, ExportField[]> = { csv: exportFieldsSql('csv', 'e'), json: exportFieldsSql('json', 'e') };
const FIELDS_SQL: Record<ExportFormat, string> = {
  csv: FIELDS.csv.map((f) => f.sql).join(', '),
  json: FIELDS.json.map((f) => f.sql).join(', '),
};

/** Only this class touches connection_exports, and reads connection_events for exports. */
@Injectable()
export class ExportsRepository {
  constructor(private readonly db: Db) {}

  async insert(scope: TenantScope, values: Omit<ConnectionExport, 'id' | 'tenantId' | 'downloads'>): Promise<ConnectionExport> {
    const [row] = await this.db.query<ExportRow>(
      `INSERT INTO connection_exports
         (tenant_id, requested_by, requested_at, reason, range_from, range_to, contractor_id, account_id, format)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [scope.tenantId, values.requestedBy, values.requestedAt, values.reason, values.from, values.to, values.contractorId, values.accountId,
        values.format],
    );
    return toExport(row);
  }

  /** The export, if this person of this tenant requested it (locked for the download count). */
  async findOwn(scope: TenantScope, userId: string, id: string): Promise<ConnectionExport | undefined> {
    const [row] = await this.db.query<ExportRow>(
      `SELECT * FROM connection_exports WHERE id = $1 AND tenant_id = $2 AND requested_by = $3 FOR UPDATE`, [id, scope.tenantId, userId],
    );
    return row && toExport(row);
  }

  async countDownload(scope: TenantScope, id: string): Promise<number> {
    const [row] = await this.db.query<{ downloads: number }>(
      `UPDATE connection_exports SET downloads = downloads + 1 WHERE id = $1 AND tenant_id = $2 RETURNING downloads`, [id, scope.tenantId],
    );
    return row.downloads;
  }

  async contractorExists(scope: TenantScope, id: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM contractors WHERE id = $1 AND tenant_id = $2`, [id, scope.tenantId])).length > 0;
  }

  async accountExists(scope: TenantScope, id: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM accounts WHERE id = $1 AND tenant_id = $2`, [id, scope.tenantId])).length > 0;
  }

  /**
   * The range's export lines, oldest first, in keyset pages on (started_at, id), each on a pooled connection (none held
   * in between); the next page is read while this one is sent. A page is valid until the next is asked for (its Buffer is reused).
   */
  async *events(scope: TenantScope, filter: ExportFilter, format: ExportFormat, pageSize = EXPORT_PAGE): AsyncGenerator<ExportPage> {
    type Read = { page: ExportPage; last: Cursor | null; buffer?: Buffer; error?: unknown };
    let spare: Buffer | undefined;
    const read = (after: Cursor | null): Promise<Read> => {
      const reader = new PageReader(FIELDS[format].map((f) => f.free), spare);
      spare = undefined;
      // Settled, never rejected: a page nobody waits for any more (the client went away) must not fail the process.
      const sql = `COPY (${this.pageSql(scope, filter, format, after, pageSize)}) TO STDOUT (FORMAT binary)`;
      return this.db.copyOut(sql, (chunk) => reader.read(chunk))
        .then(() => reader.result(), (error: unknown) => ({ page: { data: Buffer.alloc(0), ends: [] }, last: null, error }));
    };
    let next = read(null);
    for (;;) {
      const { page, last, buffer, error } = await next;
      if (error) throw error;
      const more = page.ends.length === pageSize && last !== null;
      if (more) next = read(last);
      if (page.ends.length) yield page;
      // Done with this page once the next is asked for: the page after next reuses its Buffer (two Buffers per export).
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
    return `SELECT ${FIELDS_SQL[format]}, e.id::text, e.started_at::text AS cursor_at FROM connection_sessions e
      WHERE ${where.join(' AND ')} ORDER BY e.started_at, e.id LIMIT ${Math.trunc(Number(pageSize))}`;
  }
}

/** The keyset of the last event read. */
export interface Cursor {
  at: string;
  id: string;
}

/**
 * Reads one page from `COPY ... TO STDOUT (FORMAT binary)` of (the line's fields..., id, cursor_at) into
 * one Buffer of lines (the driver reuses its read buffer); only the last row's keyset is decoded.
 * The binary format: a header, then per row a field count and each field as a length (-1: NULL) and its bytes.
 */
class PageReader {
  private static readonly SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
  private static readonly COMMA = 0x2c;
  private data: Buffer;
  private used = 0;
  private readonly ends: number[] = [];
  private readonly keyset = Buffer.allocUnsafe(256);
  private idLength = -1; // the last row's, in `keyset`; -1 before any row
  private cursorLength = 0;
  private started = false;

  /** `free[i]`: the line's field i goes through csvCell. Starts small and doubles: one account's month is often a few dozen rows. */
  constructor(private readonly free: boolean[], reuse?: Buffer) {
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
      if (fields !== this.free.length + 2) throw new Error(`COPY: ${fields} fields in a row, expected ${this.free.length + 2}`);
      for (let i = 0; i < this.free.length; i++) at = this.field(chunk, at, i);
      this.ends.push(this.used);
      const idLength = chunk.readInt32BE(at);
      const cursorAt = at + 4 + idLength;
      const cursorLength = chunk.readInt32BE(cursorAt);
      if (idLength + cursorLength > this.keyset.length) throw new Error('COPY: keyset too long');
      chunk.copy(this.keyset, 0, at + 4, at + 4 + idLength);
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

  /** Field i of the line at `at` (after a comma unless first); answers where the next field starts. */
  private field(chunk: Buffer, at: number, i: number): number {
    const length = chunk.readInt32BE(at);
    const start = at + 4;
    const end = start + Math.max(length, 0);
    this.reserve(end - start + 1);
    if (i) this.data[this.used++] = PageReader.COMMA;
    if (!this.free[i]) {
      this.used += chunk.copy(this.data, this.used, start, end);
      return end;
    }
    // latin1 makes one character of each byte: csvCell acts only on ASCII, which UTF-8 never uses inside a character.
    const cell = csvCell(length < 0 ? null : chunk.toString('latin1', start, end));
    this.reserve(cell.length);
    this.used += this.data.write(cell, this.used, 'latin1');
    return end;
  }

  private reserve(bytes: number): void {
    const need = this.used + bytes;
    if (need <= this.data.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(need, 2 * this.data.length));
    this.data.copy(grown, 0, 0, this.used);
    this.data = grown;
  }
}
