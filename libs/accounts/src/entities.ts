import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AccessType, AccountStatus, Criticality, HabilitationStatus, Level, ResourceKind, SuspensionKind } from './types';

export type { AccessType, AccountStatus, Criticality, HabilitationStatus, Level, ResourceKind, SuspensionKind } from './types';
export { ACCOUNT_STATUSES, CRITICALITIES, HABILITATION_STATUSES, RESOURCE_KINDS } from './types';

@Entity('accounts')
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'contractor_id', type: 'uuid' }) contractorId: string;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId: string | null;
  @Column({ name: 'first_name' }) firstName: string;
  @Column({ name: 'last_name' }) lastName: string;
  @Column() email: string;
  @Column() phone: string;
  @Column() shared: boolean;
  @Column({ name: 'derogation_id', type: 'uuid', nullable: true }) derogationId: string | null;
  @Column({ type: 'text' }) status: AccountStatus;
  @Column({ name: 'requested_by', type: 'uuid', nullable: true }) requestedBy: string | null;
  @Column({ name: 'requested_at', type: 'timestamptz' }) requestedAt: Date;
  @Column({ name: 'approved_by', type: 'uuid', nullable: true }) approvedBy: string | null;
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true }) approvedAt: Date | null;
  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true }) activatedAt: Date | null;
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true }) suspendedAt: Date | null;
  @Column({ name: 'suspension_kind', type: 'text', nullable: true }) suspensionKind: SuspensionKind | null;
  @Column({ name: 'suspension_reason', type: 'text', nullable: true }) suspensionReason: string | null;
  @Column({ name: 'resume_on', type: 'date', nullable: true }) resumeOn: string | null;
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true }) deactivatedAt: Date | null;
  @Column({ name: 'deactivation_reason', type: 'text', nullable: true }) deactivationReason: string | null;
}

@Entity('resources')
export class ResourceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column() name: string;
  @Column({ type: 'text' }) kind: ResourceKind;
  @Column({ type: 'text' }) criticality: Criticality;
  @Column({ name: 'external_id', type: 'text', nullable: true }) externalId: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity('habilitations')
export class HabilitationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId: string;
  @Column({ name: 'resource_id', type: 'uuid' }) resourceId: string;
  @Column({ name: 'access_type', type: 'text' }) accessType: AccessType;
  @Column({ type: 'text' }) level: Level;
  @Column({ name: 'ends_on', type: 'date', nullable: true }) endsOn: string | null;
  @Column({ type: 'text' }) status: HabilitationStatus;
  @Column({ name: 'requested_by', type: 'uuid', nullable: true }) requestedBy: string | null;
  @Column({ name: 'requested_at', type: 'timestamptz' }) requestedAt: Date;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
}

export const ACCOUNT_ENTITIES = [AccountEntity, ResourceEntity, HabilitationEntity];
