import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { HOSPITAL_ROLES, PageOf, Role } from '@app/core';
import { UserView } from '@app/identity';
import { PersonDto } from '../tenants/tenants.dto';

export class InviteUserDto extends PersonDto {
  @ApiProperty({ enum: HOSPITAL_ROLES, isArray: true, description: 'Hospital roles; contractor people are declared with their company' })
  @IsArray() @ArrayMinSize(1) @ArrayUnique()
  @IsIn(HOSPITAL_ROLES, { each: true, message: `each role must be one of ${HOSPITAL_ROLES.join(', ')}` })
  roles: Role[];

  @ApiPropertyOptional({ enum: ['fr', 'en'], default: 'fr' }) @IsOptional() @IsIn(['fr', 'en']) locale?: 'fr' | 'en';
}

export class UserPage extends PageOf(UserView) {}

export class InvitationResentView extends UserView {
  @ApiProperty({ description: 'Until when the new link works (INVITATION_TTL_SECONDS)' }) invitationExpiresAt: string;
}

export class MfaResetRequestedView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ description: 'How many DSIs were e-mailed' }) notified: number;
}
