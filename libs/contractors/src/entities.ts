import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AccessMode, ChangeKind, ContactRole } from './types';

@Entity('contractors')
export class ContractorEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'legal_name' }) legalName: string;
  @Column({ type: 'char', length: 14 }) siret: string;
  @Column() address: string;
  @Column({ name: 'prime_contractor_id', type: 'uuid', nullable: true }) primeContractorId: string | null;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('contractor_contacts')
export class ContactEntity {
  @PrimaryColumn({ name: 'contractor_id', type: 'uuid' }) contractorId: string;
  @PrimaryColumn({ type: 'text' }) role: ContactRole;
  @Column({ name: 'first_name' }) firstName: string;
  @Column({ name: 'last_name' }) lastName: string;
  @Column() phone: string;
  @Column() email: string;
  @Column({ type: 'text', nullable: true }) function: string | null;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId: string | null;
  @Column({ name: 'declared_at', type: 'timestamptz' }) declaredAt: Date;
  @Column({ name: 'declared_by', type: 'uuid', nullable: true }) declaredBy: string | null;
}

@Entity('contractor_changes')
export class ChangeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** The order declarations were recorded in (an identity column PostgreSQL fills). */
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'contractor_id', type: 'uuid' }) contractorId: string;
  @Column({ type: 'text' }) kind: ChangeKind;
  @Column({ type: 'jsonb' }) changes: Record<string, unknown>;
  @Column({ type: 'jsonb', nullable: true }) previous: Record<string, unknown> | null;
  @Column({ name: 'effective_on', type: 'date' }) effectiveOn: string;
  @Column({ name: 'declared_at', type: 'timestamptz' }) declaredAt: Date;
  @Column({ name: 'declared_by', type: 'uuid', nullable: true }) declaredBy: string | null;
  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true }) appliedAt: Date | null;
}

@Entity('prestations')
export class PrestationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'contractor_id', type: 'uuid' }) contractorId: string;
  @Column() title: string;
  @Column({ name: 'access_mode', type: 'text' }) accessMode: AccessMode;
  @Column({ name: 'rgpd_subcontractor' }) rgpdSubcontractor: boolean;
  @Column({ name: 'require_rgpd_clauses' }) requireRgpdClauses: boolean;
  @Column({ name: 'require_security_referential' }) requireSecurityReferential: boolean;
  @Column({ name: 'starts_on', type: 'date' }) startsOn: string;
  @Column({ name: 'ends_on', type: 'date', nullable: true }) endsOn: string | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
  @Column({ name: 'ended_by', type: 'uuid', nullable: true }) endedBy: string | null;
  @Column({ name: 'end_reason', type: 'text', nullable: true }) endReason: string | null;
  @Column({ name: 'attestation_sha256', type: 'text', nullable: true }) attestationSha256: string | null;
  @Column({ name: 'attestation_filename', type: 'text', nullable: true }) attestationFilename: string | null;
  @Column({ name: 'attested_at', type: 'timestamptz', nullable: true }) attestedAt: Date | null;
  @Column({ name: 'attested_by', type: 'uuid', nullable: true }) attestedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

export const CONTRACTOR_ENTITIES = [ContractorEntity, ContactEntity, ChangeEntity, PrestationEntity];
