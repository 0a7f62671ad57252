import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, Matches } from 'class-validator';
import { HOSPITAL_ROLES, PageOf, PageQuery, Role } from '@app/core';
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

export class UsersQuery extends PageQuery {
  @ApiPropertyOptional({ description: '`staff`: the establishment\'s own people; a contractor id: that company\'s; none: everyone' })
  @IsOptional() @Matches(/^(staff|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: 'company must be staff or a contractor id',
  })
  company?: string;
}

export class InvitationResentView extends UserView {
  @ApiProperty({ description: 'Until when the new link works (INVITATION_TTL_SECONDS)' }) invitationExpiresAt: string;
}

export class MfaResetRequestedView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ description: 'How many DSIs were e-mailed' }) notified: number;
}
