import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean, IsDefined, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested,
} from 'class-validator';
import { ContractorWithGateView, GATE_STATES, GateState } from '@app/charters';
import { IsCalendarDate, IsOptionalNotNull, PageOf, PageQuery } from '@app/core';

const PHONE = /^\+?[0-9][0-9 .()-]{5,24}$/;

export class CreateContractorDto {
  @ApiProperty({ example: 'Medisoft SAS' }) @IsString() @Length(1, 200) legalName: string;
  @ApiProperty({ example: '73282932000074', description: '14 digits, Luhn checksum' }) @IsString() @Length(14, 17) siret: string;
  @ApiProperty({ example: '12 rue de la Paix, 72000 Le Mans' }) @IsString() @Length(1, 500) address: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'R-ART4: set to declare a subcontractor of this prime' })
  @IsOptional() @IsUUID() primeContractorId?: string;
}

export class ContractorPage extends PageOf(ContractorWithGateView) {}

export class ContractorListQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: GATE_STATES, description: 'R-ART2: only the companies whose gate is open, or closed (applied before paging)',
  })
  @IsOptional() @IsIn(GATE_STATES) gate?: GateState;
}

export class ContactPersonDto {
  @ApiProperty() @IsString() @Length(1, 100) firstName: string;
  @ApiProperty() @IsString() @Length(1, 100) lastName: string;
  @ApiProperty({ example: '+33 2 43 00 00 00' }) @Matches(PHONE, { message: 'phone must be a phone number' }) phone: string;
  @ApiProperty() @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(320) email: string;
  @ApiPropertyOptional({ description: 'Function in the company (for the legal representative)' }) @IsOptional() @IsString()
  @Length(1, 100) function?: string;
}

export class ContactsDto {
  @ApiProperty({ type: ContactPersonDto }) @IsDefined() @ValidateNested()
  @Type(() => ContactPersonDto) legalRepresentative: ContactPersonDto;
  @ApiProperty({ type: ContactPersonDto }) @IsDefined() @ValidateNested() @Type(() => ContactPersonDto) securityContact: ContactPersonDto;
  @ApiProperty({ type: ContactPersonDto, description: 'Must be a different person from the security contact (Art. 3)' })
  @IsDefined() @ValidateNested() @Type(() => ContactPersonDto) securityDeputy: ContactPersonDto;
  @ApiPropertyOptional({ type: ContactPersonDto, description: "The contractor's own RSSI, if it has one (section 8); receives alerts" })
  @IsOptional() @ValidateNested() @Type(() => ContactPersonDto) rssi?: ContactPersonDto;
}

export class ChangesFieldsDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 200) legalName?: string;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 500) address?: string;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(14, 17) siret?: string;
}

export class DeclareChangeDto {
  @ApiProperty({ type: ChangesFieldsDto }) @IsDefined() @ValidateNested() @Type(() => ChangesFieldsDto) changes: ChangesFieldsDto;
  @ApiProperty({ format: 'date', description: 'Art. 6: the date the change takes effect' }) @IsCalendarDate() effectiveDate: string;
}

export class CreatePrestationDto {
  @ApiProperty({ example: 'Maintenance du PACS' }) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ enum: ['remote', 'onsite', 'saas'] }) @IsIn(['remote', 'onsite', 'saas']) accessMode: 'remote' | 'onsite' | 'saas';
  @ApiProperty({ description: 'Within the RGPD subcontractor scope (Art. 2)' }) @IsBoolean() rgpdSubcontractor: boolean;
  @ApiPropertyOptional({ description: 'The DSI requires the RGPD subcontracting clauses (Art. 2)' }) @IsOptional()
  @IsBoolean() requireRgpdClauses?: boolean;
  @ApiPropertyOptional({ description: 'The DSI requires the security referential (Art. 2)' }) @IsOptional()
  @IsBoolean() requireSecurityReferential?: boolean;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() startsOn: string;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsCalendarDate() endsOn?: string;
}

export class EndPrestationDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) reason?: string;
}
