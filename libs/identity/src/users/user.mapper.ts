import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role } from '@app/core';
import { UserEntity, UserStatus } from '../entities';

/** The only shape a person leaves the API in: explicit fields, never a hash or a TOTP secret. */
export class UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) tenantId: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) contractorId: string | null;
  @ApiProperty() email: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ enum: Role, isArray: true }) roles: Role[];
  @ApiProperty({ enum: ['invited', 'active', 'suspended', 'deactivated'] }) status: UserStatus;
  @ApiProperty() mfaEnrolled: boolean;
  @ApiProperty({ enum: ['fr', 'en'] }) locale: string;
  @ApiProperty() createdAt: string;
}

/** GET /v1/me: the person, with the name of their establishment (shown in the console's header). */
export class MeView extends UserView {
  @ApiPropertyOptional({ type: String, nullable: true, description: "The establishment's name; null for the platform operator" })
  establishment: string | null;
}

export function toUserView(u: UserEntity): UserView {
  return {
    id: u.id,
    tenantId: u.tenantId,
    contractorId: u.contractorId,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    roles: u.roles,
    status: u.status,
    mfaEnrolled: u.totpEnabledAt !== null,
    locale: u.locale,
    createdAt: u.createdAt.toISOString(),
  };
}

/** What the audit trail keeps of a person: no secret of any kind. */
export function auditUser(u: UserEntity): Record<string, unknown> {
  return { email: u.email, firstName: u.firstName, lastName: u.lastName, roles: u.roles, status: u.status, contractorId: u.contractorId };
}
