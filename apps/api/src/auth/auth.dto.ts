import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsJWT, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'dsi@ch-lemans.fr' }) @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(320) email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password: string;
}

export class LoginResponse {
  @ApiProperty({ description: 'Short-lived token for the TOTP step' }) mfaToken: string;
  @ApiProperty({ enum: ['enroll', 'verify'] }) next: 'enroll' | 'verify';
}

export class MfaTokenDto {
  @ApiProperty() @IsJWT({ message: 'mfaToken must be the token returned by login' }) mfaToken: string;
}

export class EnrollDto extends MfaTokenDto {
  @ApiPropertyOptional({
    description: 'R-ART28 after a TOTP reset: the `enrolment` token of the one-time link e-mailed to the person '
      + '(without it: 403 MFA_ENROLMENT_LINK_REQUIRED; expired, used or replaced: 403 MFA_ENROLMENT_LINK_INVALID)',
  })
  @IsOptional() @IsString() @Length(1, 200) enrolmentLink?: string;
}

export class EnrollResponse {
  @ApiProperty({ description: 'Base32 TOTP secret, shown once' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/Prestagate:alice%40example.com?secret=...&issuer=Prestagate' }) otpauthUrl: string;
}

export class ConfirmEnrollDto extends MfaTokenDto {
  @ApiProperty({ example: '123456' }) @Matches(/^\d{6}$/, { message: 'code must be 6 digits' }) code: string;
}

export class VerifyMfaDto extends MfaTokenDto {
  @ApiPropertyOptional({ example: '123456' })
  @ValidateIf((o: VerifyMfaDto) => o.recoveryCode === undefined)
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits (or give a recoveryCode)' })
  code?: string;

  @ApiPropertyOptional({ example: 'ABCDE-FGHIJ' }) @IsOptional() @IsString() @Length(10, 20) recoveryCode?: string;
}

export class TokensResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn: number;
}

export class EnrolledResponse extends TokensResponse {
  @ApiProperty({ type: [String], description: '10 single-use recovery codes, shown once' }) recoveryCodes: string[];
}

export class RefreshDto {
  @ApiProperty() @IsString() @Length(20, 200) refreshToken: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) currentPassword: string;
  @ApiProperty({ description: 'Checked against the tenant password policy' }) @IsString() @MaxLength(256) newPassword: string;
}

export class LocaleDto {
  @ApiProperty({ enum: ['fr', 'en'], description: 'The language of the API\'s messages and of the e-mails (R-L10N)' })
  @IsIn(['fr', 'en']) locale: 'fr' | 'en';
}

export class InvitationTokenQuery {
  @ApiProperty({ description: 'The token of the invitation link' }) @IsString() @Length(20, 200) token: string;
}

export class AcceptInvitationDto {
  @ApiProperty() @IsString() @Length(20, 200) token: string;
  @ApiProperty({ description: 'Checked against the tenant password policy' }) @IsString() @MaxLength(256) password: string;
}

/** R-MEMB the establishment to switch to: one of the signed-in person's memberships. */
export class SwitchMembershipDto {
  @ApiProperty({ format: 'uuid', description: 'One of the signed-in person\'s memberships (GET /v1/me/memberships)' })
  @IsUUID() membershipId: string;
}
