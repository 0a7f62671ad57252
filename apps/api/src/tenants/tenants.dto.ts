import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsObject, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { PageOf } from '@app/core';
import { DsiView, EstablishmentView, PRESET_NAMES, PresetName } from '@app/identity';

export class PersonDto {
  @ApiProperty() @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(320) email: string;
  @ApiProperty() @IsString() @Length(1, 100) firstName: string;
  @ApiProperty() @IsString() @Length(1, 100) lastName: string;
}

export class CreateTenantDto {
  @ApiProperty({ example: 'Centre Hospitalier du Mans' }) @IsString() @Length(2, 200) name: string;
  @ApiProperty({ enum: PRESET_NAMES, description: 'R-POL preset named after a seed charter' })
  @IsIn(PRESET_NAMES, { message: `preset must be one of ${PRESET_NAMES.join(', ')}` })
  preset: PresetName;
  @ApiProperty({ type: PersonDto, description: 'The first DSI of the tenant, invited by e-mail' })
  // @IsObject: @ValidateNested alone lets a missing admin (or an array) through, which then failed as a 500.
  @IsObject({ message: 'admin must be an object {email, firstName, lastName}' }) @ValidateNested() @Type(() => PersonDto) admin: PersonDto;
}

export class TenantCreatedResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() preset: string;
  @ApiProperty({ format: 'uuid' }) adminId: string;
}

export class EstablishmentPage extends PageOf(EstablishmentView) {}
export class DsiPage extends PageOf(DsiView) {}
