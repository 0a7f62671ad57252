import { Injectable } from '@nestjs/common';
import {
  actorOf, AuditService, Clock, Db, DomainEvents, hasRole, Lifecycle, lockRow, NotFoundError, Page, PageQuery, Principal, Role,
  UserPrincipal, ValidationFailed,
} from '@app/core';
import { ContactsService, ContractorAccess } from '@app/contractors';
import { ChartersRepository, NEWEST, OLDEST } from './charters.repository';
import { DocumentEntity, SignatureEntity } from './entities';
import { CharterErrors } from './errors';
import './events';
import { ExpectedSigner, SignedCopies, SubmitSignature } from './signed-copies';
import { isCompanyDocument, SignatureFilter, SignatureStatus } from './types';
import type { SignatureFacts } from './signature-in-force';
import { SignatureView, toSignatureView } from './views';

/** The tenant's signatures: optionally of one company (the DSI's queue: `status: 'submitted'`). */
export interface TenantSignatureFilter extends SignatureFilter {
  contractorId?: string;
}

/** R-ART2 R-INT: a signature is decided once; whoever decides second learns the decision (409 with the current status). */
const DECISION = new Lifecycle<SignatureStatus, 'validated' | 'rejected'>('Signature', 'SIGNATURE_ALREADY_DECIDED', {
  validated: ['submitted'],
  rejected: ['submitted'],
});

type SignerOf = (doc: DocumentEntity) => Promise<ExpectedSigner>;

/**
 * R-ART2: a document comes back as a PDF, signed and initialled on every page by the declared legal representative
 * (a convention: by the account holder); the DSI validates it or rejects it with a reason. E-mails: SignatureNotifications.
 */
@Injectable()
export class SignaturesService {
  constructor(
    private readonly db: Db,
    private readonly repo: ChartersRepository,
    private readonly copies: SignedCopies,
    private readonly access: ContractorAccess,
    private readonly contacts: ContactsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  /** A company document (charter, RGPD clauses, security referential), signed by the legal representative. */
  async submit(principal: UserPrincipal, contractorId: string, input: SubmitSignature): Promise<SignatureView> {
    return this.record(principal, contractorId, input, null, async (doc) => {
      if (!isCompanyDocument(doc.kind)) {
        throw CharterErrors.invalid('CONVENTION_SIGNED_BY_PERSON', 'documentId');
      }
      const legalRep = await this.contacts.legalRepresentative(contractorId);
      if (!legalRep) throw CharterErrors.error('CONTACTS_MISSING');
      return { firstName: legalRep.firstName, lastName: legalRep.lastName, who: 'legal_rep' };
    });
  }

  /** R-ART2: the access convention of one person, signed by that person (the account holder). */
  async submitConvention(
    principal: UserPrincipal, account: { id: string; contractorId: string; firstName: string; lastName: string }, input: SubmitSignature,
  ): Promise<SignatureView> {
    return this.record(principal, account.contractorId, input, account.id, async (doc) => {
      if (doc.kind !== 'access_convention') {
        throw CharterErrors.invalid('NOT_A_CONVENTION', 'documentId');
      }
      return { firstName: account.firstName, lastName: account.lastName, who: 'holder' };
    });
  }

  private async record(
    principal: UserPrincipal, contractorId: string, input: SubmitSignature, accountId: string | null, signerOf: SignerOf,
  ): Promise<SignatureView> {
    this.copies.checkFile(input);
    return this.db.transaction(async () => {
      // R-INT: one pending signature per document and signer, so parallel uploads take turns on the company.
      await lockRow(this.db, 'contractors', contractorId);
      const contractor = await this.access.require(principal, contractorId, 'declare');
      const doc = await this.repo.document(contractor, input.documentId);
      if (!doc) {
        throw CharterErrors.invalid('DOCUMENT_UNKNOWN', 'documentId');
      }
      await this.copies.check(contractor.tenantId, doc, input, await signerOf(doc));
      if (await this.repo.pendingExists(contractorId, doc.id, accountId)) throw CharterErrors.error('SIGNATURE_PENDING');
      const stored = await this.copies.store(input);
      const signature = await this.repo.insertSignature({
        tenantId: contractor.tenantId, contractorId, documentId: doc.id, accountId,
        signerFirstName: input.signerFirstName.trim(), signerLastName: input.signerLastName.trim(),
        signerFunction: input.signerFunction.trim(),
        signedOn: input.signedOn, allPagesInitialled: true, fileSha256: stored.sha256, fileSize: stored.size, filename: input.file.filename,
        status: 'submitted', submittedBy: principal.userId, submittedAt: this.clock.now(),
        // R-ART2: a DSI uploading a paper original has read it.
        ...(hasRole(principal, Role.Dsi) ? { fileOpenedAt: this.clock.now(), fileOpenedBy: principal.userId } : {}),
      });
      await this.audit.record({
        tenantId: contractor.tenantId, actor: actorOf(principal), action: 'signature.submitted', targetType: 'signature',
        targetId: signature.id, after: toSignatureView(signature),
      });
      await this.events.emit('signature.submitted', {
        tenantId: contractor.tenantId, contractorId, signatureId: signature.id, documentId: doc.id,
        signer: `${input.signerFirstName} ${input.signerLastName}`,
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
    const rows = await this.repo.signaturesOf(contractorId, filter, page);
    return NEWEST.page(rows, page.limit, toSignatureView, (s) => ({ submittedAt: s.submittedAt, id: s.id }));
  }

  /** R-ART2: the tenant's signatures, oldest first; a contractor person reads its own company's (R-ART4 for another's). */
  async listTenant(principal: UserPrincipal, filter: TenantSignatureFilter, page: PageQuery): Promise<Page<SignatureView>> {
    const contractorId = await this.access.listCompany(principal, filter.contractorId);
    const rows = await this.repo.tenantSignatures({ tenantId: principal.tenantId! }, contractorId, filter, page);
    return OLDEST.page(rows, page.limit, toSignatureView, (s) => ({ submittedAt: s.submittedAt, id: s.id }));
  }

  /** R-ART2: a person's access convention signatures, newest first, with their versions (for the rule in force). */
  conventionSignatures(accountId: string): Promise<SignatureFacts[]> {
    return this.repo.conventionSignatures(accountId);
  }

  /** The signed file; R-ART2: a DSI's first fetch of a waiting signature is recorded (and audited): validation needs it. */
  async file(principal: Principal, id: string) {
    const signature = await this.visible(principal, id, 'read');
    const file = await this.copies.read(signature.fileSha256);
    if (!file) throw new NotFoundError('Signed file');
    if (principal.kind === 'user' && hasRole(principal, Role.Dsi) && signature.status === 'submitted' && !signature.fileOpenedAt) {
      await this.db.transaction(async () => {
        if (!await this.repo.fileOpened(id, principal.userId, this.clock.now())) return;
        await this.audit.record({ tenantId: signature.tenantId, actor: actorOf(principal), action: 'signature.file_opened',
          targetType: 'signature', targetId: id });
      });
    }
    return { ...file, filename: signature.filename };
  }

  private async decide(
    principal: UserPrincipal, id: string, status: 'validated' | 'rejected', reason: string | null,
  ): Promise<SignatureView> {
    return this.db.transaction(async () => {
      await lockRow(this.db, 'signatures', id);
      const signature = await this.visible(principal, id, 'administer');
      DECISION.check(signature.status, status);
      if (status === 'validated' && !signature.fileOpenedAt) throw CharterErrors.error('SIGNATURE_FILE_NOT_OPENED');
      await this.repo.decide(id, { status, decidedBy: principal.userId, decidedAt: this.clock.now(), rejectReason: reason });
      await this.audit.record({
        tenantId: signature.tenantId, actor: actorOf(principal), action: `signature.${status}`, targetType: 'signature', targetId: id,
        before: { status: 'submitted' }, after: { status, reason },
      });
      const { tenantId, contractorId, accountId, documentId } = signature;
      if (status === 'validated') await this.events.emit('signature.validated', { tenantId, contractorId, accountId, signatureId: id });
      await this.events.emit('signature.decided', { tenantId, contractorId, signatureId: id, documentId, status, reason });
      return toSignatureView((await this.repo.signature(signature, id))!);
    });
  }

  private async visible(principal: Principal, id: string, need: 'read' | 'administer'): Promise<SignatureEntity> {
    const signature = principal.tenantId ? await this.repo.signature({ tenantId: principal.tenantId }, id) : null;
    if (!signature) throw new NotFoundError('Signature');
    await this.access.require(principal, signature.contractorId, need).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new NotFoundError('Signature') : error;
    });
    return signature;
  }
}
