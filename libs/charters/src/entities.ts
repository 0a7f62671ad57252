import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DocumentKind, SignatureStatus } from './types';

@Entity('documents')
export class DocumentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ type: 'text' }) kind: DocumentKind;
  @Column() title: string;
  @Column({ name: 'version_label' }) versionLabel: string;
  @Column({ name: 'effective_on', type: 'date' }) effectiveOn: string;
  @Column({ name: 'resign_deadline', type: 'date', nullable: true }) resignDeadline: string | null;
  @Column({ name: 'file_sha256' }) fileSha256: string;
  @Column({ name: 'file_size', type: 'int' }) fileSize: number;
  @Column() filename: string;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
}

@Entity('signatures')
export class SignatureEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'contractor_id', type: 'uuid' }) contractorId: string;
  @Column({ name: 'document_id', type: 'uuid' }) documentId: string;
  @Column({ name: 'account_id', type: 'uuid', nullable: true }) accountId: string | null;
  @Column({ name: 'signer_first_name' }) signerFirstName: string;
  @Column({ name: 'signer_last_name' }) signerLastName: string;
  @Column({ name: 'signer_function' }) signerFunction: string;
  @Column({ name: 'signed_on', type: 'date' }) signedOn: string;
  @Column({ name: 'all_pages_initialled' }) allPagesInitialled: boolean;
  @Column({ name: 'file_sha256' }) fileSha256: string;
  @Column({ name: 'file_size', type: 'int' }) fileSize: number;
  @Column() filename: string;
  @Column({ type: 'text' }) status: SignatureStatus;
  @Column({ name: 'submitted_by', type: 'uuid', nullable: true }) submittedBy: string | null;
  @Column({ name: 'submitted_at', type: 'timestamptz' }) submittedAt: Date;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ name: 'reject_reason', type: 'text', nullable: true }) rejectReason: string | null;
  @Column({ name: 'file_opened_at', type: 'timestamptz', nullable: true }) fileOpenedAt: Date | null;
  @Column({ name: 'file_opened_by', type: 'uuid', nullable: true }) fileOpenedBy: string | null;
}

export const CHARTER_ENTITIES = [DocumentEntity, SignatureEntity];
