import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AccountEntity, CRITICALITIES, HabilitationEntity, RESOURCE_KINDS, ResourceEntity } from './entities';

export class AccountView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractorId: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) userId: string | null;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty() email: string;
  @ApiProperty() phone: string;
  @ApiProperty({ description: 'Shared account, under a shared-account derogation (Art. 30)' }) shared: boolean;
  @ApiProperty({ enum: ['requested', 'approved', 'active', 'suspended', 'deactivated', 'rejected'] }) status: string;
  @ApiProperty() requestedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) approvedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) activatedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) suspendedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) suspensionKind: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) suspensionReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date' }) resumeOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) deactivatedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) deactivationReason: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toAccountView = (a: AccountEntity): AccountView => ({
  id: a.id, contractorId: a.contractorId, userId: a.userId, firstName: a.firstName, lastName: a.lastName, email: a.email,
  phone: a.phone, shared: a.shared, status: a.status, requestedAt: a.requestedAt.toISOString(), approvedAt: iso(a.approvedAt),
  activatedAt: iso(a.activatedAt), suspendedAt: iso(a.suspendedAt), suspensionKind: a.suspensionKind,
  suspensionReason: a.suspensionReason, resumeOn: a.resumeOn, deactivatedAt: iso(a.deactivatedAt), deactivationReason: a.deactivationReason,
});

/** What the audit trail keeps of an account at each transition. */
export const auditAccount = (a: AccountEntity) => ({
  status: a.status, suspensionKind: a.suspensionKind, suspensionReason: a.suspensionReason, resumeOn: a.resumeOn,
  deactivationReason: a.deactivationReason,
});

export class ResourceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: RESOURCE_KINDS }) kind: string;
  @ApiProperty({ enum: CRITICALITIES }) criticality: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The identifier gateways use' }) externalId: string | null;
}

export const toResourceView = (r: ResourceEntity): ResourceView => ({
  id: r.id, name: r.name, kind: r.kind, criticality: r.criticality, externalId: r.externalId,
});

export class HabilitationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty({ format: 'uuid' }) resourceId: string;
  @ApiProperty({ enum: ['remote', 'onsite'] }) accessType: string;
  @ApiProperty({ enum: ['read', 'operate', 'admin'] }) level: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) endsOn: string | null;
  @ApiProperty({ enum: ['requested', 'approved', 'rejected', 'revoked'] }) status: string;
  @ApiProperty({ description: 'Approved and not past its end date: it counts for access decisions' }) inForce: boolean;
  @ApiProperty() requestedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) reason: string | null;
}

export const toHabilitationView = (h: HabilitationEntity, today: string): HabilitationView => ({
  id: h.id, accountId: h.accountId, resourceId: h.resourceId, accessType: h.accessType, level: h.level, endsOn: h.endsOn,
  status: h.status, inForce: h.status === 'approved' && (h.endsOn === null || h.endsOn >= today),
  requestedAt: h.requestedAt.toISOString(), decidedAt: iso(h.decidedAt), reason: h.reason,
});
