import { Injectable } from '@nestjs/common';
import {
  actorOf, assertPdf, AuditService, Clock, Db, FileStore, IsoDate, isUniqueViolation, Lifecycle, lockRow,
  NotFoundError, Page, PageQuery, Principal, UserPrincipal,
} from '@app/core';
import { ChartersRepository, LATEST } from './charters.repository';
import { DocumentEntity } from './entities';
import { CharterErrors } from './errors';
import type { DocumentKind } from './types';
import { DocumentView, toDocumentView } from './views';

/** R-ART2 R-INT: a version is withdrawn once (409 with the current status for whoever comes second). */
const VERSION = new Lifecycle<'published' | 'withdrawn', 'withdrawn'>('Document version', 'DOCUMENT_WITHDRAWN', {
  withdrawn: ['published'],
});

export interface UploadDocument {
  kind: DocumentKind;
  title?: string;
  versionLabel: string;
  effectiveOn: string;
  resignDeadline?: string;
  file: { content: Buffer; filename: string };
}

const DEFAULT_TITLES: Record<DocumentKind, string> = {
  charter: 'Charte de bon usage du SI à destination des prestataires',
  access_convention: "Convention d'accès au SI",
  rgpd_clauses: 'Clauses de sous-traitance RGPD',
  security_referential: 'Référentiel de sécurité du SI',
};

/**
 * R-ART2: the tenant's versioned documents. A version is never deleted: withdrawing it keeps
 * every signature that points at it (R-AUD evidence).
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly db: Db,
    private readonly repo: ChartersRepository,
    private readonly files: FileStore,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async upload(principal: UserPrincipal, input: UploadDocument): Promise<DocumentView> {
    assertPdf(input.file.content);
    if (input.resignDeadline && input.resignDeadline < input.effectiveOn) {
      throw CharterErrors.invalid('DEADLINE_BEFORE_EFFECTIVE', 'resignDeadline');
    }
    const tenantId = principal.tenantId!;
    return this.db.transaction(async () => {
      const exists = () => CharterErrors.error('DOCUMENT_VERSION_EXISTS', { version: input.versionLabel });
      if (await this.repo.versionExists({ tenantId }, input.kind, input.versionLabel)) throw exists();
      const stored = await this.files.put(input.file.content, 'application/pdf');
      const doc = await this.repo.insertDocument({
        tenantId, kind: input.kind, title: input.title?.trim() || DEFAULT_TITLES[input.kind], versionLabel: input.versionLabel,
        effectiveOn: input.effectiveOn, resignDeadline: input.resignDeadline ?? null, fileSha256: stored.sha256,
        fileSize: stored.size, filename: input.file.filename, createdBy: principal.userId,
      }).catch((error: unknown) => {
        // R-INT: the same version published twice at once: the second sees nothing above, the unique key refuses it.
        throw isUniqueViolation(error, 'documents_tenant_id_kind_version_label_key') ? exists() : error;
      });
      await this.audit.record({
        tenantId, actor: actorOf(principal), action: 'document.published', targetType: 'document', targetId: doc.id,
        after: toDocumentView(doc),
      });
      return toDocumentView(doc);
    });
  }

  async list(principal: Principal, filter: { kind?: DocumentKind }, page: PageQuery): Promise<Page<DocumentView>> {
    const docs = principal.tenantId ? await this.repo.listDocuments({ tenantId: principal.tenantId }, filter.kind, page) : [];
    return LATEST.page(docs, page.limit, toDocumentView, (d) => ({ effectiveOn: d.effectiveOn, createdAt: d.createdAt, id: d.id }));
  }

  async get(principal: Principal, id: string): Promise<DocumentEntity> {
    const doc = principal.tenantId ? await this.repo.document({ tenantId: principal.tenantId }, id) : null;
    if (!doc) throw new NotFoundError('Document');
    return doc;
  }

  async view(principal: Principal, id: string): Promise<DocumentView> {
    return toDocumentView(await this.get(principal, id));
  }

  async file(principal: Principal, id: string) {
    const doc = await this.get(principal, id);
    const file = await this.files.get(doc.fileSha256);
    if (!file) throw new NotFoundError('Document file');
    return { ...file, filename: doc.filename };
  }

  async withdraw(principal: UserPrincipal, id: string): Promise<DocumentView> {
    return this.db.transaction(async () => {
      await lockRow(this.db, 'documents', id);
      const doc = await this.get(principal, id);
      VERSION.check(doc.withdrawnAt ? 'withdrawn' : 'published', 'withdrawn');
      doc.withdrawnAt = this.clock.now();
      await this.repo.markWithdrawn(id, doc.withdrawnAt);
      await this.audit.record({
        tenantId: doc.tenantId, actor: actorOf(principal), action: 'document.withdrawn', targetType: 'document', targetId: id,
        before: { withdrawnAt: null }, after: { withdrawnAt: doc.withdrawnAt },
      });
      return toDocumentView(doc);
    });
  }

  /** The version in force on a day: the latest effective, non-withdrawn version of that kind. */
  async current(tenantId: string, kind: DocumentKind, today: IsoDate): Promise<DocumentView | null> {
    const doc = await this.repo.current({ tenantId }, kind, today);
    return doc && toDocumentView(doc);
  }
}
