import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DocumentEntity, SignatureEntity } from './entities';
import { DOCUMENT_KINDS, SIGNATURE_STATUSES } from './types';

export class DocumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty() versionLabel: string;
  @ApiProperty({ format: 'date' }) effectiveOn: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) resignDeadline: string | null;
  @ApiProperty({ description: 'SHA-256 of the PDF, hex' }) sha256: string;
  @ApiProperty() size: number;
  @ApiProperty() filename: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) withdrawnAt: string | null;
}

export const toDocumentView = (d: DocumentEntity): DocumentView => ({
  id: d.id, kind: d.kind, title: d.title, versionLabel: d.versionLabel, effectiveOn: d.effectiveOn, resignDeadline: d.resignDeadline,
  sha256: d.fileSha256, size: d.fileSize, filename: d.filename, createdAt: d.createdAt.toISOString(),
  withdrawnAt: d.withdrawnAt?.toISOString() ?? null,
});

export class SignatureView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractorId: string;
  @ApiProperty({ format: 'uuid' }) documentId: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiProperty() signerFirstName: string;
  @ApiProperty() signerLastName: string;
  @ApiProperty() signerFunction: string;
  @ApiProperty({ format: 'date' }) signedOn: string;
  @ApiProperty() allPagesInitialled: boolean;
  @ApiProperty({ description: 'SHA-256 of the signed file as uploaded, hex' }) sha256: string;
  @ApiProperty() size: number;
  @ApiProperty() filename: string;
  @ApiProperty({ enum: SIGNATURE_STATUSES }) status: string;
  @ApiProperty() submittedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) decidedBy: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) rejectReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String,
    description: 'When a DSI first fetched the signed file (R-ART2: validation waits for it)' }) fileOpenedAt: string | null;
}

export const toSignatureView = (s: SignatureEntity): SignatureView => ({
  id: s.id, contractorId: s.contractorId, documentId: s.documentId, accountId: s.accountId, signerFirstName: s.signerFirstName,
  signerLastName: s.signerLastName, signerFunction: s.signerFunction, signedOn: s.signedOn, allPagesInitialled: s.allPagesInitialled,
  sha256: s.fileSha256, size: s.fileSize, filename: s.filename, status: s.status, submittedAt: s.submittedAt.toISOString(),
  decidedAt: s.decidedAt?.toISOString() ?? null, decidedBy: s.decidedBy, rejectReason: s.rejectReason,
  fileOpenedAt: s.fileOpenedAt?.toISOString() ?? null,
});

export class GateMissing {
  @ApiProperty({ example: 'CHARTER_NOT_SIGNED' }) code: string;
  @ApiProperty() detail: string;
}

export class GateView {
  @ApiProperty() open: boolean;
  @ApiProperty({ type: [GateMissing] }) missing: GateMissing[];
}
