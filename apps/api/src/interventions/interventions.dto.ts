import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength,
} from 'class-validator';
import { IsInstant, PageQuery } from '@app/core';
import { EMERGENCY_REVIEWS, EmergencyReview, INTERVENTION_STATUSES, InterventionStatus } from '@app/interventions';

export class RequestInterventionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() contractorId: string;
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique() @IsUUID('all', { each: true }) accountIds: string[];
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ArrayUnique() @IsUUID('all', { each: true }) resourceIds: string[];
  @ApiPropertyOptional({ format: 'date-time', description: 'Required, except for an emergency (which starts now)' })
  @IsOptional() @IsInstant() startsAt?: Date;
  @ApiProperty({ format: 'date-time' }) @IsInstant() endsAt: Date;
  @ApiProperty({ description: 'Nature of the operations' }) @IsString() @Length(3, 2000) nature: string;
  @ApiProperty({ description: 'Announced risks (Art. 39)' }) @IsString() @Length(1, 2000) risks: string;
  @ApiProperty({ description: 'Impact on availability (Art. 39)' }) @IsString() @Length(1, 2000) availabilityImpact: string;
  @ApiProperty({ description: 'Changes production settings (Art. 37)' }) @IsBoolean() changesSettings: boolean;
  @ApiProperty({ description: 'Changes data (Art. 38)' }) @IsBoolean() changesData: boolean;
  @ApiPropertyOptional({ description: 'Urgence ou dysfonctionnement (Art. 36): starts without prior approval' })
  @IsOptional() @IsBoolean() emergency?: boolean;
  @ApiPropertyOptional({ description: 'Required for an emergency' }) @IsOptional() @IsString() @Length(3, 2000) justification?: string;
}

export class ApproveInterventionDto {
  @ApiPropertyOptional({ description: 'Explicitly accept a window that falls in a usage period or a blackout' })
  @IsOptional() @IsBoolean() overrideUsage?: boolean;
}

export class RejectInterventionDto {
  @ApiProperty({ description: 'For an emergency, the reason it is challenged' }) @IsString() @Length(3, 1000) reason: string;
}

export class CancelInterventionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 1000) reason?: string;
}

export class InterventionsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contractorId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Windows naming this account' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ enum: INTERVENTION_STATUSES }) @IsOptional() @IsIn(INTERVENTION_STATUSES) status?: InterventionStatus;
  @ApiPropertyOptional({
    enum: EMERGENCY_REVIEWS,
    description: 'Emergencies by their after-the-fact review: `pending` waits for the DSI or a referent',
  })
  @IsOptional() @IsIn(EMERGENCY_REVIEWS) emergencyReview?: EmergencyReview;
  @ApiPropertyOptional({ format: 'date-time', description: 'Windows still open at or after this instant (ending after it)' })
  @IsOptional() @IsInstant() from?: Date;
  @ApiPropertyOptional({ format: 'date-time', description: 'Windows starting before this instant' })
  @IsOptional() @IsInstant() to?: Date;
}

export class FileReportDto {
  @ApiProperty({ description: 'Nature of the operations performed' }) @IsString() @Length(3, 10000) operations: string;
  @ApiProperty({ type: [String], description: 'Names of the intervenants' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 200, { each: true }) intervenants: string[];
  @ApiProperty() @IsString() @Length(1, 10000) actions: string;
  @ApiProperty({ description: 'Difficulties encountered ("none" when none)' }) @IsString() @Length(1, 10000) difficulties: string;
  @ApiPropertyOptional({ type: [String], description: 'Referents informed (e-mails); defaults to the designated referents' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsEmail({}, { each: true }) referentsInformed?: string[];
}

export class ReferentsDto {
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray() @ArrayMaxSize(20) @ArrayUnique() @IsUUID('all', { each: true }) userIds: string[];
}

export class DecisionRequestDto {
  @ApiProperty({ description: 'Account id or e-mail', example: 'jean.dupont@biomed.fr' }) @IsString() @Length(1, 320) account: string;
  @ApiProperty({
    description: 'Resource id or external id (an external id may itself be a UUID; the id wins if both match)', example: 'pacs-01',
  })
  @IsString() @Length(1, 200) resource: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Default: now. Only an allow about the present (within a minute) is an access that marks the'
      + ' intervention started; one about another instant is a question',
  })
  @IsOptional() @IsInstant() at?: Date;
  @ApiPropertyOptional({
    enum: ['remote', 'onsite'], default: 'remote',
    description: 'How the gateway reaches the resource; a bastion or VPN is remote',
  })
  @IsOptional() @IsIn(['remote', 'onsite']) accessType?: 'remote' | 'onsite';
}

export class ReferentView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() @MaxLength(320) email: string;
}
