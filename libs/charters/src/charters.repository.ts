import { Injectable } from '@nestjs/common';
import { DeepPartial, IsNull, SelectQueryBuilder } from 'typeorm';
import { Db, IsoDate, Keyset, PageQuery, TenantScope } from '@app/core';
import { DocumentEntity, SignatureEntity } from './entities';
import type { SignatureFacts } from './signature-in-force';
import type { CompanyDocumentKind, DocumentKind, SignatureFilter, SignatureStatus } from './types';

/** Latest effective date first, then latest published (`created_at` truncated to a cursor's milliseconds). */
export const LATEST = new Keyset('DESC', [
  ['effectiveOn', 'd.effective_on', 'date'], ['createdAt', "date_trunc('milliseconds', d.created_at)", 'instant'], ['id', 'd.id', 'uuid'],
]);
/** A company's signatures, newest submission first (index signatures_list_idx). */
export const NEWEST = new Keyset('DESC', [['submittedAt', 's.submitted_at', 'instant'], ['id', 's.id', 'uuid']]);
/** The tenant's signatures as a queue, oldest submission first (index signatures_queue_idx). */
export const OLDEST = new Keyset('ASC', [['submittedAt', 's.submitted_at', 'instant'], ['id', 's.id', 'uuid']]);

/** A company signature with what the gate reads of its version. */
export interface CompanySignature extends SignatureFacts {
  contractorId: string;
  kind: CompanyDocumentKind;
}

/** A company that signed only another version of a document than the one given. */
export interface LateSigner {
  contractorId: string;
  legalName: string;
}

/** Only this class touches the documents and signatures tables. */
@Injectable()
export class ChartersRepository {
  constructor(private readonly db: Db) {}

  private get documents() { return this.db.manager.getRepository(DocumentEntity); }
  private get signatures() { return this.db.manager.getRepository(SignatureEntity); }

  versionExists(scope: TenantScope, kind: DocumentKind, versionLabel: string): Promise<boolean> {
    return this.documents.existsBy({ tenantId: scope.tenantId, kind, versionLabel });
  }

  insertDocument(values: DeepPartial<DocumentEntity>): Promise<DocumentEntity> {
    return this.documents.save(this.documents.create(values));
  }

  document(scope: TenantScope, id: string): Promise<DocumentEntity | null> {
    return this.documents.findOneBy({ id, tenantId: scope.tenantId });
  }

  async markWithdrawn(id: string, at: Date): Promise<void> {
    await this.documents.update({ id }, { withdrawnAt: at });
  }

  /** `limit + 1` rows after the cursor, for LATEST.page. */
  listDocuments(scope: TenantScope, kind: DocumentKind | undefined, page: PageQuery): Promise<DocumentEntity[]> {
    const query = this.documents.createQueryBuilder('d').where('d.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (kind) query.andWhere('d.kind = :kind', { kind });
    return LATEST.applyTo(query, page).getMany();
  }

  /** The version in force on a day: the latest effective, non-withdrawn version of that kind. */
  current(scope: TenantScope, kind: DocumentKind, today: IsoDate): Promise<DocumentEntity | null> {
    return this.documents.createQueryBuilder('d')
      .where('d.tenant_id = :tenantId AND d.kind = :kind AND d.withdrawn_at IS NULL', { tenantId: scope.tenantId, kind })
      .andWhere('d.effective_on <= :today', { today })
      .orderBy('d.effective_on', 'DESC').addOrderBy('d.created_at', 'DESC').limit(1).getOne();
  }

  pendingExists(contractorId: string, documentId: string, accountId: string | null): Promise<boolean> {
    return this.signatures.existsBy({ contractorId, documentId, accountId: accountId ?? IsNull(), status: 'submitted' });
  }

  insertSignature(values: DeepPartial<SignatureEntity>): Promise<SignatureEntity> {
    return this.signatures.save(this.signatures.create(values));
  }

  signature(scope: TenantScope, id: string): Promise<SignatureEntity | null> {
    return this.signatures.findOneBy({ id, tenantId: scope.tenantId });
  }

  async decide(id: string, values: Pick<SignatureEntity, 'status' | 'decidedBy' | 'decidedAt' | 'rejectReason'>): Promise<void> {
    await this.signatures.update({ id }, values);
  }

  /** R-ART2: the first fetch of the signed file by a DSI; false when it was already recorded. */
  async fileOpened(id: string, by: string, at: Date): Promise<boolean> {
    const result = await this.signatures.createQueryBuilder().update().set({ fileOpenedAt: at, fileOpenedBy: by })
      .where('id = :id AND file_opened_at IS NULL', { id }).execute();
    return (result.affected ?? 0) > 0;
  }

  /** A company's signatures: `limit + 1` rows after the cursor, for NEWEST.page. */
  signaturesOf(contractorId: string, filter: SignatureFilter, page: PageQuery): Promise<SignatureEntity[]> {
    const query = this.signatures.createQueryBuilder('s').where('s.contractor_id = :contractorId', { contractorId });
    return NEWEST.applyTo(filtered(query, filter), page).getMany();
  }

  /** The tenant's signatures, of one company when given: `limit + 1` rows after the cursor, for OLDEST.page. */
  tenantSignatures(scope: TenantScope, contractorId: string | null, filter: SignatureFilter, page: PageQuery): Promise<SignatureEntity[]> {
    const query = this.signatures.createQueryBuilder('s').where('s.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (contractorId) query.andWhere('s.contractor_id = :contractorId', { contractorId });
    return OLDEST.applyTo(filtered(query, filter), page).getMany();
  }

  /** The companies' signatures of these kinds, newest first, with their versions (one statement for the gate). */
  async companySignatures(contractorIds: string[], kinds: CompanyDocumentKind[]): Promise<CompanySignature[]> {
    if (!contractorIds.length) return [];
    const rows = await this.db.query<SignatureRow & { contractor_id: string; kind: CompanyDocumentKind }>(
      `SELECT s.contractor_id, d.kind, s.document_id, s.status, s.reject_reason, d.effective_on, d.created_at, d.version_label
         FROM signatures s JOIN documents d ON d.id = s.document_id
        WHERE s.contractor_id = ANY($1::uuid[]) AND s.account_id IS NULL AND d.kind = ANY($2::text[])
        ORDER BY s.submitted_at DESC`,
      [contractorIds, kinds],
    );
    return rows.map((r) => ({ ...toFacts(r), contractorId: r.contractor_id, kind: r.kind }));
  }

  /** A person's access convention signatures, newest first, with their versions. */
  async conventionSignatures(accountId: string): Promise<SignatureFacts[]> {
    const rows = await this.db.query<SignatureRow>(
      `SELECT s.document_id, s.status, s.reject_reason, d.effective_on, d.created_at, d.version_label
         FROM signatures s JOIN documents d ON d.id = s.document_id
        WHERE s.account_id = $1 ORDER BY s.submitted_at DESC`,
      [accountId],
    );
    return rows.map(toFacts);
  }

  /** Companies with a validated signature of another version of the document's kind, and none of this version. */
  lateSigners(scope: TenantScope, document: Pick<DocumentEntity, 'id' | 'kind'>): Promise<LateSigner[]> {
    return this.db.query<LateSigner>(
      `SELECT DISTINCT c.id AS "contractorId", c.legal_name AS "legalName"
         FROM signatures s JOIN documents d ON d.id = s.document_id JOIN contractors c ON c.id = s.contractor_id
        WHERE s.tenant_id = $1 AND s.account_id IS NULL AND s.status = 'validated' AND d.kind = $2 AND d.id <> $3
          AND NOT EXISTS (SELECT 1 FROM signatures v WHERE v.contractor_id = c.id AND v.document_id = $3 AND v.status = 'validated')`,
      [scope.tenantId, document.kind, document.id],
    );
  }

  /** Every tenant, for the scheduler. */
  async tenantIds(): Promise<string[]> {
    return (await this.db.query<{ id: string }>(`SELECT id FROM tenants`)).map((t) => t.id);
  }

  /** Whether the closure of this company's access for this version is already in the audit trail. */
  async gateClosureRecorded(scope: TenantScope, contractorId: string, documentId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM audit_events
        WHERE tenant_id = $1 AND action = 'contractor.gate_closed' AND target_id = $2 AND after->>'documentId' = $3 LIMIT 1`,
      [scope.tenantId, contractorId, documentId],
    );
    return rows.length > 0;
  }
}

interface SignatureRow {
  document_id: string;
  status: SignatureStatus;
  reject_reason: string | null;
  effective_on: IsoDate;
  created_at: Date;
  version_label: string;
}

const toFacts = (r: SignatureRow): SignatureFacts => ({
  documentId: r.document_id, status: r.status, rejectReason: r.reject_reason, effectiveOn: r.effective_on, createdAt: r.created_at,
  versionLabel: r.version_label,
});

function filtered<Q extends SelectQueryBuilder<SignatureEntity>>(query: Q, filter: SignatureFilter): Q {
  if (filter.status) query.andWhere('s.status = :status', { status: filter.status });
  if (filter.documentId) query.andWhere('s.document_id = :documentId', { documentId: filter.documentId });
  if (filter.accountId) query.andWhere('s.account_id = :accountId', { accountId: filter.accountId });
  return query;
}
