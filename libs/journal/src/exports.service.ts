import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, Db, NotFoundError, TenantScope, UserPrincipal } from '@app/core';
import { TenantCalendar } from '@app/identity';
import { exportChunks, ExportFormat } from './export-format';
import { ConnectionExport, ExportsRepository } from './exports.repository';

export interface ExportRequest {
  from: Date;
  to: Date;
  contractorId?: string;
  accountId?: string;
  reason: string;
  format: ExportFormat;
}

export interface ConnectionExportView {
  id: string;
  requestedBy: string;
  requestedAt: string;
  reason: string;
  from: string;
  to: string;
  contractorId: string | null;
  accountId: string | null;
  format: ExportFormat;
  downloads: number;
  downloadUrl: string;
}

export interface ExportDownload {
  filename: string;
  contentType: string;
  stream: Readable;
}

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json' };

const toView = (r: ConnectionExport): ConnectionExportView => ({
  id: r.id, requestedBy: r.requestedBy, requestedAt: r.requestedAt.toISOString(), reason: r.reason, from: r.from.toISOString(),
  to: r.to.toISOString(), contractorId: r.contractorId, accountId: r.accountId, format: r.format, downloads: r.downloads,
  downloadUrl: `/v1/connection-exports/${r.id}/download`,
});


/**
 * R-ART41 (Art. 41): the journal is exported on request of the direction (the DSI stands for it) or
 * the RSSI. The request (who, why, range, filters) is stored and audited before anything is read;
 * only its requester downloads it, each download audited; the file is streamed page by page.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ExportsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly calendar: TenantCalendar,
  ) {}

  async request(principal: UserPrincipal, input: ExportRequest): Promise<ConnectionExportView> {
    const scope = scopeOf(principal);
    if (input.contractorId && !(await this.repo.contractorExists(scope, input.contractorId))) throw new NotFoundError('Contractor');
    if (input.accountId && !(await this.repo.accountExists(scope, input.accountId))) throw new NotFoundError('Account');
    return this.db.transaction(async () => {
      const row = await this.repo.insert(scope, {
        requestedBy: principal.userId, requestedAt: this.clock.now(), reason: input.reason, from: input.from, to: input.to,
        contractorId: input.contractorId ?? null, accountId: input.accountId ?? null, format: input.format,
      });
      const view = toView(row);
      await this.audit.record({
        tenantId: scope.tenantId, actor: actorOf(principal), action: 'journal.export_requested', targetType: 'connection_export',
        targetId: row.id,
        after: {
          reason: view.reason, from: view.from, to: view.to, contractorId: view.contractorId, accountId: view.accountId,
          format: view.format,
        },
      });
      return view;
    });
  }

  /** Counts and audits the download, then answers the file as a stream (read when the client reads it). */
  async download(principal: UserPrincipal, id: string): Promise<ExportDownload> {
    const scope = scopeOf(principal);
    const exported = await this.db.transaction(async () => {
      const row = await this.repo.findOwn(scope, principal.userId, id);
      // Anyone but the requester, in this tenant or another: not found (the access rule of ContractorAccess).
      if (!row) throw new NotFoundError('Export');
      row.downloads = await this.repo.countDownload(scope, id);
      await this.audit.record({
        tenantId: scope.tenantId, actor: actorOf(principal), action: 'journal.export_downloaded', targetType: 'connection_export',
        targetId: id,
        after: { downloads: row.downloads, format: row.format },
      });
      return row;
    });
    // Outside the transaction: each page on its own pooled connection, read as the client reads (at most two pages held).
    const { from, to, contractorId, accountId } = exported;
    const pages = this.repo.events(scope, { from, to, contractorId, accountId }, exported.format);
    // The file is named by the establishment's days, as its people read the period.
    const day = async (d: Date) => (await this.calendar.dayOf(scope.tenantId, d)).replace(/-/g, '');
    return {
      filename: `connection-journal-${await day(from)}-${await day(to)}-${exported.id.slice(0, 8)}.${exported.format}`,
      contentType: CONTENT_TYPES[exported.format],
      stream: Readable.from(exportChunks(exported.format, pages), { objectMode: false }),
    };
  }
}

function scopeOf(principal: UserPrincipal): TenantScope {
  if (!principal.tenantId) throw new NotFoundError('Export');
  return { tenantId: principal.tenantId };
}
