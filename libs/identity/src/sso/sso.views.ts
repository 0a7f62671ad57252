import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SSO_TEST_STEPS, SsoTestStep } from './oidc-client';

export const MFA_CLAIMS = ['amr', 'acr'] as const;

/** R-SSO the establishment's OpenID provider as the DSI sees it: never the client secret. */
export class SsoProviderView {
  @ApiProperty({ description: 'Staff may sign in through it; off, everyone signs in with password and TOTP' }) enabled: boolean;
  @ApiProperty({ example: 'https://login.microsoftonline.com/<tenant>/v2.0' }) issuer: string;
  @ApiProperty() clientId: string;
  @ApiProperty({ description: 'A client secret is stored (encrypted); it is never shown' }) hasClientSecret: boolean;
  @ApiProperty({ type: [String], example: ['ch-lemans.fr'] }) emailDomains: string[];
  @ApiProperty({ enum: MFA_CLAIMS, description: 'The ID token claim that says the provider asked a second factor' })
  mfaClaim: 'amr' | 'acr';
  @ApiProperty({ type: [String], example: ['mfa'], description: 'amr: any of these values; acr: one of these values' })
  mfaValues: string[];
  @ApiProperty({ type: [String], description: 'Contractor companies whose people may sign in through it too' }) contractorIds: string[];
  @ApiProperty({ example: 'https://prestagate.hopital.fr/v1/auth/sso/callback', description: 'The redirect URI to register at the provider' })
  redirectUri: string;
  @ApiProperty() updatedAt: string;
}

export class SsoTestStepView {
  @ApiProperty({ enum: SSO_TEST_STEPS }) step: SsoTestStep;
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'What failed, with the provider\'s or the network\'s own words' })
  detail: string | null;
}

/** R-SSO discovery against the issuer, step by step: address (https), connect, tls, discovery document, signing keys. */
export class SsoTestView {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: [SsoTestStepView] }) steps: SsoTestStepView[];
}

export class SsoEstablishmentView {
  @ApiProperty({ format: 'uuid' }) tenantId: string;
  @ApiProperty() name: string;
}

/** Where to send the browser; or, when several establishments accept the address, which one (start again with its tenantId). */
export class SsoStartView {
  @ApiPropertyOptional({ nullable: true, type: String }) authorizationUrl: string | null;
  @ApiPropertyOptional({
    nullable: true, type: String,
    description: 'Kept by the browser (not sent to the provider) and given with the ticket: the sign-in ends only where it began',
  })
  browserProof: string | null;
  @ApiProperty({ type: [SsoEstablishmentView] }) establishments: SsoEstablishmentView[];
}

/** The session at once (the provider asked a second factor), or the TOTP step of the password sign-in (`mfaToken`, `next`). */
export class SsoExchangeView {
  @ApiPropertyOptional() accessToken?: string;
  @ApiPropertyOptional() refreshToken?: string;
  @ApiPropertyOptional({ enum: ['Bearer'] }) tokenType?: 'Bearer';
  @ApiPropertyOptional() expiresIn?: number;
  @ApiPropertyOptional({ description: 'The TOTP step follows: POST /v1/auth/mfa/verify (or enroll) with it' }) mfaToken?: string;
  @ApiPropertyOptional({ enum: ['enroll', 'verify'] }) next?: 'enroll' | 'verify';
}
