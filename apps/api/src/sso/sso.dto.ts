import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, MaxLength, MinLength,
  ValidateIf,
} from 'class-validator';
import { IsOptionalNotNull } from '@app/core';
import { MFA_CLAIMS } from '@app/identity';

const DOMAIN = /^@?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const CLAIM_VALUE = /^[\x21-\x7e]{1,200}$/;

/** R-SSO the DSI's OpenID provider: issuer (https), client, allowed e-mail domains and the claim that carries MFA. */
export class SaveSsoProviderDto {
  @ApiProperty({ description: 'Off: the start refuses and everyone signs in with password and TOTP' })
  @IsBoolean() enabled: boolean;

  @ApiProperty({ example: 'https://login.microsoftonline.com/<tenant>/v2.0', description: 'The OpenID issuer (discovery at /.well-known/openid-configuration)' })
  @IsString() @MaxLength(500) @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] }, { message: 'issuer must be an https:// URL' })
  issuer: string;

  @ApiProperty({ example: '6731de76-14a6-49ae-97bc-6eba6914391e' })
  @IsString() @Length(1, 300) clientId: string;

  @ApiPropertyOptional({ description: 'Required the first time; omitted, the stored (encrypted) secret is kept', writeOnly: true })
  @IsOptionalNotNull() @IsString() @MinLength(1) @MaxLength(2000) clientSecret?: string;

  @ApiProperty({ type: [String], example: ['ch-lemans.fr'], description: 'Only verified e-mail addresses of these domains sign in' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true })
  @Matches(DOMAIN, { each: true, message: 'emailDomains must be domain names such as ch-lemans.fr' })
  emailDomains: string[];

  @ApiProperty({ enum: MFA_CLAIMS, description: 'amr: the methods the provider used; acr: the level it reached' })
  @IsIn(MFA_CLAIMS, { message: 'mfaClaim must be amr or acr' }) mfaClaim: 'amr' | 'acr';

  @ApiPropertyOptional({
    type: [String], example: ['mfa'], description: 'Values that mean a second factor; amr: mfa by default; acr: required',
  })
  @ValidateIf((o: SaveSsoProviderDto) => o.mfaClaim === 'acr' || o.mfaValues !== undefined)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20)
  @Matches(CLAIM_VALUE, { each: true, message: 'mfaValues must be claim values without spaces' })
  mfaValues?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Contractor companies whose people may sign in through the provider too' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @IsUUID('all', { each: true, message: 'contractorIds must be UUIDs' })
  contractorIds?: string[];
}

export class SsoStartDto {
  @ApiProperty({ example: 'marie.durand@ch-lemans.fr', description: 'Chooses the establishment (its domain); the provider says who' })
  @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(320) email: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'When several establishments accept the address: the one chosen' })
  @IsOptional() @IsUUID('all', { message: 'tenantId must be a UUID' }) tenantId?: string;
}

export class SsoExchangeDto {
  @ApiProperty({ description: 'The single-use ticket the callback put in the console\'s address' })
  @IsString() @Length(20, 200) ticket: string;

  @ApiProperty({ description: 'The browserProof the start answered, kept by the browser that started the sign-in' })
  @IsString() @Length(20, 200) browserProof: string;
}
