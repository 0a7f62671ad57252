import { Injectable } from '@nestjs/common';
import { IsNull, SelectQueryBuilder } from 'typeorm';
import {
  assertPdf, actorOf, AuditService, Clock, ConflictError, Db, DomainError, DomainEvents, FileStore, Keyset, Lifecycle, lockRow, NotFoundError,
  Page, PageQuery, Principal, Role, UserPrincipal, ValidationFailed,
} from '@app/core';
import { ContractorAccess, ContractorEntity, ContractorsRepository, Directory } from '@app/contractors';
import { TenantCalendar } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { DocumentsService } from './documents.service';
import { COMPANY_DOCUMENT_KINDS, DocumentEntity, SignatureEntity, SignatureStatus } from './entities';

import { SignatureView, toSignatureView } from './views';

export interface SubmitSignature {
  documentId: string;
  signerFirstName: string;
  signerLastName: string;
  signerFunction: string;
  signedOn: string;
  allPagesInitialled: boolean;
  file: { content: Buffer; filename: string };
}

/** Names compared as a person reads them: case, accents and spacing do not matter. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[\s'-]+/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}

export interface SignatureFilter {
  status?: SignatureStatus;
  documentId?: string;
  accountId?: string;
}

/** The tenant's signatures: optionally of one company (the DSI's queue: `status: 'submitted'`). */
export interface TenantSignatureFilter extends SignatureFilter {
  contractorId?: string;
}

/** R-ART2 R-INT: a signature is decided once; whoever decides second learns the decision (409 with the current status). */
const DECISION = new Lifecycle<SignatureStatus, 'validated' | 'rejected'>('signature', 'SIGNATURE_ALREADY_DECIDED', {
  validated: ['submitted'],
  rejected: ['submitted'],
});

/** A company's signatures, newest submission first (index signatures_list_idx). */
const NEWEST = new Keyset('DESC', [['submittedAt', 's.submitted_at', 'instant'], ['id', 's.id', 'uuid']]);
/** The tenant's signatures as a queue, oldest submission first (index signatures_queue_idx). */
const OLDEST = new Keyset('ASC', [['submittedAt', 's.submitted_at', 'instant'], ['id', 's.id', 'uuid']]);

/**
 * R-ART2: a company document comes back as a PDF, signed and initialled on every page by the
 * declared legal representative; the DSI validates it or rejects it with a reason.
 */
@Injectable()
export class SignaturesService {
  constructor(
    private readonly db: Db,
    private readonly files: FileStore,
    private readonly documents: DocumentsService,
    private readonly access: ContractorAccess,
    private readonly contractors: ContractorsRepository,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  private get repo() {
    return this.db.manager.getRepository(SignatureEntity);
  }

  /** A company document (charter, RGPD clauses, security referential), signed by the legal representative. */
  async submit(principal: UserPrincipal, contractorId: string, input: SubmitSignature): Promise<SignatureView> {
    return this.record(principal, contractorId, input, null, async (contractor, doc) => {
      if (!COMPANY_DOCUMENT_KINDS.includes(doc.kind)) {
        throw new ValidationFailed('Access conventions are signed by each person, with their account', [
          { field: 'documentId', message: 'must be a charter, RGPD clauses or security referential' },
        ]);
      }
      const legalRep = (await this.contractors.contactsOf(contractor.id)).find((c) => c.role === 'legal_rep');
      if (!legalRep) throw new ConflictError('CONTACTS_MISSING', 'Declare the legal representative first (section 8 of the charter)');
      return { firstName: legalRep.firstName, lastName: legalRep.lastName, who: 'the declared legal representative' };
    });
  }

  /** R-ART2: the access convention of one person, signed by that person (the account holder). */
  async submitConvention(
    principal: UserPrincipal, account: { id: string; contractorId: string; firstName: string; lastName: string }, input: SubmitSignature,
  ): Promise<SignatureView> {
    return this.record(principal, account.contractorId, input, account.id, async (_contractor, doc) => {
      if (doc.kind !== 'access_convention') {
        throw new ValidationFailed('This is not an access convention', [{ field: 'documentId', message: 'must be an access convention' }]);
      }
      return { firstName: account.firstName, lastName: account.lastName, who: 'the account holder' };
    });
  }

  private async record(
    principal: UserPrincipal, contractorId: string, input: SubmitSignature, accountId: string | null,
    expectedSigner: (contractor: ContractorEntity, doc: DocumentEntity) => Promise<{ firstName: string; lastName: string; who: string }>,
  ): Promise<SignatureView> {
    if (!input.allPagesInitialled) {
      throw new ValidationFailed('Every page must be initialled (Art. 2)', [
        { field: 'allPagesInitialled', message: 'must be true: the document is signed and initialled on every page' },
      ]);
    }
    assertPdf(input.file.content);
    return this.db.transaction(async () => {
      // R-INT: one pending signature per document and signer, so parallel uploads take turns on the company.
      await lockRow(this.db, 'contractors', contractorId);
      const contractor = await this.access.require(principal, contractorId, 'declare');
      const doc = await this.documents.get(principal, input.documentId).catch(() => {
        throw new ValidationFailed('Unknown document', [{ field: 'documentId', message: 'no such document in this establishment' }]);
      });
      const signer = await expectedSigner(contractor, doc);
      if (doc.withdrawnAt) throw new ConflictError('DOCUMENT_WITHDRAWN', 'This document version was withdrawn; sign the current one');
      if (input.signedOn > (await this.calendar.today(contractor.tenantId))) {
        throw new ValidationFailed('The signing date is in the future', [{ field: 'signedOn', message: 'must not be in the future' }]);
      }
      if (!sameName(signer.firstName, input.signerFirstName) || !sameName(signer.lastName, input.signerLastName)) {
        throw new DomainError('SIGNER_NOT_LEGAL_REPRESENTATIVE', 422,
          `This document is signed by ${signer.who} (${signer.firstName} ${signer.lastName})`, {
            errors: [{ field: 'signerLastName', message: `must be ${signer.who}` }],
          });
      }
      if (await this.repo.existsBy({ contractorId, documentId: doc.id, accountId: accountId ?? IsNull(), status: 'submitted' })) {
        throw new ConflictError('SIGNATURE_PENDING', 'A signature of this document is already waiting for the DSI');
      }
      const stored = await this.files.put(input.file.content, 'application/pdf');
      const signature = await this.repo.save(this.repo.create({
        tenantId: contractor.tenantId, contractorId, documentId: doc.id, accountId,
        signerFirstName: input.signerFirstName.trim(), signerLastName: input.signerLastName.trim(), signerFunction: input.signerFunction.trim(),
        signedOn: input.signedOn, allPagesInitialled: true, fileSha256: stored.sha256, fileSize: stored.size, filename: input.file.filename,
        status: 'submitted', submittedBy: principal.userId, submittedAt: this.clock.now(),
      }));
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'signature.submitted', targetType: 'signature',
        targetId: signature.id, after: toSignatureView(signature),
      });
      await this.notifications.emailEach(await this.directory.hospital(contractor.tenantId, [Role.Dsi]), {
        tenantId: contractor.tenantId, template: 'signature-submitted',
        data: { contractor: contractor.legalName, document: doc.title, version: doc.versionLabel, signer: `${input.signerFirstName} ${input.signerLastName}` },
      });
      return toSignatureView(signature);
    });
  }

  validate(principal: UserPrincipal, id: string): Promise<SignatureView> {
    return this.decide(principal, id, 'validated', null);
  }

  reject(principal: UserPrincipal, id: string, reason: string): Promise<SignatureView> {
    return this.decide(principal, id, 'rejected', reason.trim());
  }

  async list(principal: Principal, contractorId: string, filter: SignatureFilter, page: PageQuery): Promise<Page<SignatureView>> {
    await this.access.require(principal, contractorId, 'read');
    const query = this.filtered(this.repo.createQueryBuilder('s').where('s.contractor_id = :contractorId', { contractorId }), filter);
    const rows = await NEWEST.applyTo(query, page).getMany();
    return NEWEST.page(rows, page.limit, toSignatureView, (s) => ({ submittedAt: s.submittedAt, id: s.id }));
  }

  /**
   * R-ART2: the tenant's signatures, oldest first: with `status: 'submitted'`, what waits for the DSI.
   * A contractor person reads its own company's only (another company's, a subcontractor's included,
   * through `contractorId`, under ContractorAccess's rules).
   */
  async listTenant(principal: UserPrincipal, filter: TenantSignatureFilter, page: PageQuery): Promise<Page<SignatureView>> {
    const query = this.repo.createQueryBuilder('s').where('s.tenant_id = :tenantId', { tenantId: principal.tenantId });
    const contractorId = await this.access.listCompany(principal, filter.contractorId);
    if (contractorId) query.andWhere('s.contractor_id = :contractorId', { contractorId });
    const rows = await OLDEST.applyTo(this.filtered(query, filter), page).getMany();
    return OLDEST.page(rows, page.limit, toSignatureView, (s) => ({ submittedAt: s.submittedAt, id: s.id }));
  }

  private filtered<Q extends SelectQueryBuilder<SignatureEntity>>(query: Q, filter: SignatureFilter): Q {
    if (filter.status) query.andWhere('s.status = :status', { status: filter.status });
    if (filter.documentId) query.andWhere('s.document_id = :documentId', { documentId: filter.documentId });
    if (filter.accountId) query.andWhere('s.account_id = :accountId', { accountId: filter.accountId });
    return query;
  }

  async file(principal: Principal, id: string) {
    const signature = await this.visible(principal, id, 'read');
    const file = await this.files.get(signature.fileSha256);
    if (!file) throw new NotFoundError('Signed file');
    return { ...file, filename: signature.filename };
  }

  private async decide(principal: UserPrincipal, id: string, status: 'validated' | 'rejected', reason: string | null): Promise<SignatureView> {
    return this.db.transaction(async () => {
      await lockRow(this.db, 'signatures', id);
      const signature = await this.visible(principal, id, 'administer');
      DECISION.check(signature.status, status);
      const now = this.clock.now();
      await this.repo.update({ id }, { status, decidedBy: principal.userId, decidedAt: now, rejectReason: reason });
      await this.audit.record({
        tenantId: signature.tenantId, actor: actorOf(principal), action: `signature.${status}`, targetType: 'signature', targetId: id,
        before: { status: 'submitted' }, after: { status, reason },
      });
      if (status === 'validated') {
        await this.events.emit('signature.validated', {
          tenantId: signature.tenantId, contractorId: signature.contractorId, accountId: signature.accountId, signatureId: id,
        });
      }
      const contractor = await this.contractors.contractors.findOneByOrFail({ id: signature.contractorId });
      const doc = await this.documents.get(principal, signature.documentId);
      await this.notifications.emailEach(await this.directory.contactsOf(signature.contractorId, ['legal_rep', 'security_contact', 'security_deputy']), {
        tenantId: signature.tenantId, template: 'signature-decided',
        data: { contractor: contractor.legalName, document: doc.title, version: doc.versionLabel, decision: status, reason },
      });
      return toSignatureView((await this.repo.findOneBy({ id }))!);
    });
  }

  private async visible(principal: Principal, id: string, need: 'read' | 'administer'): Promise<SignatureEntity> {
    const signature = principal.tenantId ? await this.repo.findOneBy({ id, tenantId: principal.tenantId }) : null;
    if (!signature) throw new NotFoundError('Signature');
    await this.access.require(principal, signature.contractorId, need).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Signature') : error;
    });
    return signature;
  }
}
