import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import { IsOptionalNotNull, PageQuery } from '@app/core';
import { DISABLE_MODES, DisableMode } from '@app/provisioning';

const DN = /^[A-Za-z][\w-]*=[^,]+(,\s*[A-Za-z][\w-]*=[^,]+)*$/;
const DN_MESSAGE = (field: string) => `${field} must be a distinguished name such as ou=prestataires,dc=hopital,dc=fr`;

export class GroupMappingDto {
  @ApiProperty({ format: 'uuid', description: 'A resource of the catalogue' })
  @IsUUID('all', { message: 'resourceId must be a UUID' })
  resourceId: string;

  @ApiProperty({ example: 'cn=pacs-users,ou=groups,dc=hopital,dc=fr' })
  @IsString() @MaxLength(500) @Matches(DN, { message: DN_MESSAGE('groupDn') })
  groupDn: string;
}

/** R-PROV the DSI's connector: TLS always (ldaps://, or ldap:// upgraded by StartTLS). */
export class SaveConnectorDto {
  @ApiProperty({ example: 'ldaps://ad.hopital.fr:636', description: 'ldaps://host[:port], or ldap://host[:port] used with StartTLS' })
  @IsString() @MaxLength(300)
  @Matches(/^ldaps?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/, { message: 'url must be ldaps://host[:port] or ldap://host[:port] (StartTLS)' })
  url: string;

  @ApiProperty({ example: 'cn=prestagate,ou=services,dc=hopital,dc=fr' })
  @IsString() @MaxLength(500) @Matches(DN, { message: DN_MESSAGE('bindDn') })
  bindDn: string;

  @ApiPropertyOptional({ description: 'Required the first time; omitted, the stored (encrypted) password is kept', writeOnly: true })
  @IsOptionalNotNull() @IsString() @MinLength(1) @MaxLength(500)
  bindSecret?: string;

  @ApiProperty({ example: 'ou=prestataires,dc=hopital,dc=fr', description: 'Where contractor entries are created' })
  @IsString() @MaxLength(500) @Matches(DN, { message: DN_MESSAGE('baseDn') })
  baseDn: string;

  @ApiProperty({ enum: DISABLE_MODES, description: 'openldap-lock: the lock attribute set; ad-uac: userAccountControl bit 2' })
  @IsIn(DISABLE_MODES, { message: `disableMode must be one of ${DISABLE_MODES.join(', ')}` })
  disableMode: DisableMode;

  @ApiPropertyOptional({ example: 'pwdAccountLockedTime', description: 'openldap-lock only; pwdAccountLockedTime by default' })
  @IsOptionalNotNull() @IsString() @Matches(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, { message: 'lockAttribute must be an attribute name' })
  lockAttribute?: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'PEM of the CA of the directory certificate; null removes it' })
  @IsOptional() @IsString() @MaxLength(20_000)
  @Matches(/-----BEGIN CERTIFICATE-----/, { message: 'caCertificate must be a PEM certificate' })
  caCertificate?: string | null;

  @ApiProperty({ type: [GroupMappingDto], description: 'Which directory group opens each resource' })
  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => GroupMappingDto)
  groups: GroupMappingDto[];

  @ApiProperty({ description: 'Reconciliation corrects drift at once (disables entries, removes members)' })
  @IsBoolean()
  autoCorrect: boolean;
}

export class DriftQueryDto extends PageQuery {
  @ApiPropertyOptional({ description: 'true (default): only drift still in the directory' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'open must be true or false' })
  open?: 'true' | 'false';
}
