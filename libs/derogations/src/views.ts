import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Derogation, DEROGATION_KINDS } from './types';

export class DerogationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DEROGATION_KINDS }) kind: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) contractorId: string | null;
  @ApiProperty() scope: string;
  @ApiProperty() justification: string;
  @ApiProperty() validFrom: string;
  @ApiProperty() validUntil: string;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) revokedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) revokeReason: string | null;
  @ApiProperty({ description: 'In force now: within its validity period and not revoked' }) inForce: boolean;
}

export const toDerogationView = (d: Derogation, now: Date): DerogationView => ({
  id: d.id, kind: d.kind, contractorId: d.contractorId, scope: d.scope, justification: d.justification,
  validFrom: new Date(d.validFrom).toISOString(), validUntil: new Date(d.validUntil).toISOString(), authorId: d.authorId,
  revokedAt: d.revokedAt ? new Date(d.revokedAt).toISOString() : null, revokeReason: d.revokeReason,
  inForce: !d.revokedAt && new Date(d.validFrom) <= now && new Date(d.validUntil) > now,
});
