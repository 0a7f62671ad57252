import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ChangeEntity, ContactEntity, ContractorEntity, PrestationEntity } from './entities';

export class ContractorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() legalName: string;
  @ApiProperty() siret: string;
  @ApiProperty() address: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) primeContractorId: string | null;
  @ApiProperty() createdAt: string;
}

/** The position of a company in the list's order, as its cursors carry it. */
export const contractorListKey = (c: { legalName: string; id: string }) => ({ legalName: c.legalName, id: c.id });

export const toContractorView = (c: ContractorEntity): ContractorView => ({
  id: c.id, legalName: c.legalName, siret: c.siret, address: c.address, primeContractorId: c.primeContractorId,
  createdAt: c.createdAt.toISOString(),
});

export class ContactView {
  @ApiProperty({ enum: ['legal_rep', 'security_contact', 'security_deputy', 'rssi'] }) role: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty() phone: string;
  @ApiProperty() email: string;
  @ApiPropertyOptional({ nullable: true, type: String }) function: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The person\'s account on this platform' })
  userId: string | null;
  @ApiProperty() declaredAt: string;
}

export const toContactView = (c: ContactEntity): ContactView => ({
  role: c.role, firstName: c.firstName, lastName: c.lastName, phone: c.phone, email: c.email, function: c.function,
  userId: c.userId, declaredAt: c.declaredAt.toISOString(),
});

export class ChangeView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['created', 'administrative', 'contacts'] }) kind: string;
  @ApiProperty({ type: Object }) changes: Record<string, unknown>;
  @ApiPropertyOptional({ type: Object, nullable: true }) previous: Record<string, unknown> | null;
  @ApiProperty({ format: 'date' }) effectiveOn: string;
  @ApiProperty() declaredAt: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) declaredBy: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'null while the effective date is in the future' })
  appliedAt: string | null;
}

export const toChangeView = (c: ChangeEntity): ChangeView => ({
  id: c.id, kind: c.kind, changes: c.changes, previous: c.previous, effectiveOn: c.effectiveOn,
  declaredAt: c.declaredAt.toISOString(), declaredBy: c.declaredBy, appliedAt: c.appliedAt?.toISOString() ?? null,
});

export class PrestationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractorId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['remote', 'onsite', 'saas'] }) accessMode: string;
  @ApiProperty() rgpdSubcontractor: boolean;
  @ApiProperty() requireRgpdClauses: boolean;
  @ApiProperty() requireSecurityReferential: boolean;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) endsOn: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) endedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) endReason: string | null;
  @ApiProperty({ enum: ['not_due', 'missing', 'received'], description: 'R-ART10 data-destruction attestation' }) attestation: string;
  @ApiPropertyOptional({ nullable: true, type: String }) attestationSha256: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) attestedAt: string | null;
}

export const toPrestationView = (p: PrestationEntity): PrestationView => ({
  id: p.id, contractorId: p.contractorId, title: p.title, accessMode: p.accessMode, rgpdSubcontractor: p.rgpdSubcontractor,
  requireRgpdClauses: p.requireRgpdClauses, requireSecurityReferential: p.requireSecurityReferential, startsOn: p.startsOn,
  endsOn: p.endsOn, endedAt: p.endedAt?.toISOString() ?? null, endReason: p.endReason,
  attestation: p.attestedAt ? 'received' : p.endedAt ? 'missing' : 'not_due',
  attestationSha256: p.attestationSha256, attestedAt: p.attestedAt?.toISOString() ?? null,
});
