import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role } from '@app/core';
import { Person, UserStatus } from '../entities';

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

/** R-MEMB what the invitation link's holder sees before accepting. */
export class InvitationDetailsView {
  @ApiProperty() establishment: string;
  @ApiProperty({ description: 'The person already has a Prestagate password: they confirm it instead of choosing one' })
  existingAccount: boolean;
}

/** R-MEMB one establishment the signed-in person works for (the console's switcher). */
export class MembershipView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) tenantId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) establishment: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) contractorId: string | null;
  @ApiProperty({ enum: Role, isArray: true }) roles: Role[];
  @ApiProperty({ description: 'The membership the current session is for' }) current: boolean;
  @ApiProperty({ description: 'R-SSO this session\'s second factor was attested by another establishment\'s identity provider: '
    + 'signing in with the password and the TOTP reaches this one' })
  needsTotp: boolean;
}

export function toUserView(u: Person): UserView {
  return {
    id: u.id,
    tenantId: u.tenantId,
    contractorId: u.contractorId,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    roles: u.roles,
    status: u.status,
    // R-MEMB an invited membership says nothing of the identity's other establishments.
    mfaEnrolled: u.totpEnabledAt !== null && u.status !== 'invited',
    locale: u.locale,
    createdAt: u.createdAt.toISOString(),
  };
}

/** What the audit trail keeps of a person: no secret of any kind. */
export function auditUser(u: Person): Record<string, unknown> {
  return { email: u.email, firstName: u.firstName, lastName: u.lastName, roles: u.roles, status: u.status, contractorId: u.contractorId };
}
