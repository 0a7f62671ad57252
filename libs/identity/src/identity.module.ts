import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '@app/notifications';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AccessGuard } from './auth/access.guard';
import { AuthService } from './auth/auth.service';
import { JwtStrategy } from './auth/jwt.strategy';
import { Lockout } from './auth/lockout';
import { MfaChallengesRepository } from './auth/mfa-challenges.repository';
import { MfaEnrolmentLinks } from './auth/mfa-enrolment-links';
import { MfaEnrolmentService } from './auth/mfa-enrolment.service';
import { MfaResetService } from './auth/mfa-reset.service';
import { MfaTokens } from './auth/mfa-tokens';
import { OneTimeLinks } from './auth/one-time-links';
import { OneTimeLinksRepository } from './auth/one-time-links.repository';
import { OperatorMfaResetService } from './auth/operator-mfa-reset.service';
import { PasswordHasher } from './auth/password-hasher';
import { PasswordsService } from './auth/passwords.service';
import { RecoveryCodesRepository } from './auth/recovery-codes.repository';
import { SecondFactor } from './auth/second-factor';
import { SessionsRepository } from './auth/sessions.repository';
import { SessionsService } from './auth/sessions.service';
import { MembershipsService } from './auth/memberships.service';
import { Totp } from './auth/totp';
import { IDENTITY_ENTITIES } from './entities';
import { IdentityNotifications } from './identity-notifications';
import { SsoSettingsService } from './sso/sso-settings.service';
import { SsoSignInService } from './sso/sso-sign-in.service';
import { SsoTicketsService } from './sso/sso-tickets.service';
import { SsoRepository } from './sso/sso.repository';
import { PasswordPolicyService } from './policy/password-policy.service';
import { EstablishmentsService } from './tenants/establishments.service';
import { TenantCalendar } from './tenants/tenant-calendar';
import { TenantsRepository } from './tenants/tenants.repository';
import { TenantsService } from './tenants/tenants.service';
import { Invitations } from './users/invitations';
import { PeopleService } from './users/people.service';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

const REPOSITORIES = [
  TenantsRepository, UsersRepository, SessionsRepository, MfaChallengesRepository, RecoveryCodesRepository, OneTimeLinksRepository,
  ApiKeysRepository, SsoRepository,
];
const SSO = [SsoSettingsService, SsoSignInService, SsoTicketsService];

/** Tenants and their policy, people, sign-in (password + TOTP, or the establishment's OpenID provider), sessions and gateway API keys. */
@Module({
  imports: [
    TypeOrmModule.forFeature(IDENTITY_ENTITIES),
    JwtModule.register({}),
    NotificationsModule,
  ],
  providers: [
    ...REPOSITORIES, TenantsService, UsersService, PeopleService, PasswordHasher, PasswordPolicyService, Totp, MfaTokens, SessionsService,
    MembershipsService,
    SecondFactor, Lockout, AuthService, MfaEnrolmentService, PasswordsService, ApiKeysService, TenantCalendar, Invitations,
    MfaResetService, OperatorMfaResetService, MfaEnrolmentLinks, OneTimeLinks, EstablishmentsService, IdentityNotifications, ...SSO,
  ],
  exports: [
    TenantsService, UsersService, PeopleService, AuthService, MfaEnrolmentService, PasswordsService, SessionsService, MembershipsService,
    ApiKeysService, PasswordHasher, Totp, TenantCalendar, MfaResetService, OperatorMfaResetService, EstablishmentsService, ...SSO,
  ],
})
export class IdentityModule {}

/** API-only: how HTTP callers are identified; passport's strategies are process-wide, so a worker registers none. */
@Module({
  imports: [IdentityModule, PassportModule],
  providers: [JwtStrategy, AccessGuard],
  exports: [IdentityModule, AccessGuard],
})
export class IdentityHttpModule {}
