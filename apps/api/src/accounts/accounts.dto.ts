import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength,
} from 'class-validator';
import {
  ACCOUNT_ORDERS, ACCOUNT_STATUSES, AccountOrder, AccountStatus, CRITICALITIES, Criticality, HABILITATION_STATUSES, HabilitationStatus,
  INCIDENT_KINDS, IncidentKind,
  RESOURCE_KINDS, ResourceKind,
} from '@app/accounts';
import { IsCalendarDate, PageQuery } from '@app/core';

export class RequestAccountDto {
  @ApiProperty() @IsString() @Length(1, 100) firstName: string;
  @ApiProperty() @IsString() @Length(1, 100) lastName: string;
  @ApiProperty() @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(320) email: string;
  @ApiProperty({ example: '+33 6 00 00 00 00' }) @Matches(/^\+?[0-9][0-9 .()-]{5,24}$/,
    { message: 'phone must be a phone number' }) phone: string;
  @ApiPropertyOptional({ description: 'A shared account: only under a shared-account derogation in force (Art. 30)' })
  @IsOptional() @IsBoolean() shared?: boolean;
}

export class ReasonDto {
  @ApiProperty() @IsString() @Length(3, 1000) reason: string;
}

export class SuspendDto extends ReasonDto {
  @ApiPropertyOptional({ format: 'date', description: 'Prolonged absence (CPAM 4.2): the account resumes on its own on this date' })
  @IsOptional() @IsCalendarDate() resumeOn?: string;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** Multipart fields of POST /v1/accounts/{id}/convention (the signed PDF goes in the `file` part). */
export class ConventionFields {
  @ApiProperty({ format: 'uuid', description: 'The access convention version signed' }) @IsUUID() documentId: string;
  @ApiProperty() @IsString() @Length(1, 100) signerFirstName: string;
  @ApiProperty() @IsString() @Length(1, 100) signerLastName: string;
  @ApiPropertyOptional({ example: 'Technicien' }) @IsOptional() @IsString() @Length(1, 100) signerFunction?: string;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() signedOn: string;
  @ApiProperty() @Transform(toBoolean) @IsBoolean() allPagesInitialled: boolean;
}

export class DepartureDto {
  @ApiProperty() @IsString() @Length(1, 100) firstName: string;
  @ApiProperty() @IsString() @Length(1, 100) lastName: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The account, when known; else matched by name within the company' })
  @IsOptional() @IsUUID() accountId?: string;
  @ApiProperty({ format: 'date', description: 'The date the account must be deactivated (Art. 35)' }) @IsCalendarDate() effectiveOn: string;
}

export class CreateResourceDto {
  @ApiProperty({ example: 'PACS Carestream' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: RESOURCE_KINDS }) @IsIn(RESOURCE_KINDS) kind: (typeof RESOURCE_KINDS)[number];
  @ApiProperty({ enum: CRITICALITIES }) @IsIn(CRITICALITIES) criticality: (typeof CRITICALITIES)[number];
  @ApiPropertyOptional({ description: 'The identifier the gateways use for it' }) @IsOptional() @IsString() @Length(1,
    200) externalId?: string;
}

export class RequestHabilitationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() resourceId: string;
  @ApiProperty({ enum: ['remote', 'onsite'] }) @IsIn(['remote', 'onsite']) accessType: 'remote' | 'onsite';
  @ApiProperty({ enum: ['read', 'operate', 'admin'] }) @IsIn(['read', 'operate', 'admin']) level: 'read' | 'operate' | 'admin';
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDate() endsOn?: string;
}

export class IncidentDto {
  @ApiProperty({ enum: INCIDENT_KINDS }) @IsIn(INCIDENT_KINDS) kind: (typeof INCIDENT_KINDS)[number];
  @ApiProperty() @IsString() @Length(3, 5000) description: string;
  @ApiPropertyOptional({ format: 'uuid',
    description: 'The account concerned; a compromise suspends it at once' }) @IsOptional() @IsUUID() accountId?: string;
}

export class AccountsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES }) @IsOptional() @IsIn(ACCOUNT_STATUSES) status?: AccountStatus;
}

const toList = ({ value }: { value: unknown }) => (value === undefined || Array.isArray(value) ? value : [value]);

export class TenantAccountsQuery extends AccountsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this company' }) @IsOptional() @IsUUID() contractorId?: string;
  @ApiPropertyOptional({ enum: ACCOUNT_ORDERS, default: 'name',
    description: '`name`: by last name, first name; `oldest`: the first requested first (a queue)' })
  @IsOptional() @IsIn(ACCOUNT_ORDERS) order: AccountOrder = 'name';
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 100,
    description: 'Only these accounts (`?id=...&id=...`, 100 at most)' })
  @IsOptional() @Transform(toList) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsUUID('all', { each: true }) id?: string[];
}

export class HabilitationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: HABILITATION_STATUSES }) @IsOptional() @IsIn(HABILITATION_STATUSES) status?: HabilitationStatus;
}

export class TenantHabilitationsQuery extends HabilitationsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the accounts of this company' }) @IsOptional() @IsUUID() contractorId?: string;
}

export class ResourcesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RESOURCE_KINDS }) @IsOptional() @IsIn(RESOURCE_KINDS) kind?: ResourceKind;
  @ApiPropertyOptional({ enum: CRITICALITIES }) @IsOptional() @IsIn(CRITICALITIES) criticality?: Criticality;
}

export class IncidentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INCIDENT_KINDS }) @IsOptional() @IsIn(INCIDENT_KINDS) kind?: IncidentKind;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contractorId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() accountId?: string;
}
