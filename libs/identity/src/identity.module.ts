import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '@app/notifications';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AccessGuard } from './auth/access.guard';
import { AuthService } from './auth/auth.service';
import { JwtStrategy } from './auth/jwt.strategy';
import { Lockout } from './auth/lockout';
import { MfaEnrolmentLinks } from './auth/mfa-enrolment-links';
import { MfaResetService } from './auth/mfa-reset.service';
import { MfaTokens } from './auth/mfa-tokens';
import { OneTimeLinks } from './auth/one-time-links';
import { PasswordHasher } from './auth/password-hasher';
import { SessionsService } from './auth/sessions.service';
import { Totp } from './auth/totp';
import { IDENTITY_ENTITIES } from './entities';
import { PasswordPolicyService } from './policy/password-policy.service';
import { TenantsRepository } from './tenants/tenants.repository';
import { TenantsService } from './tenants/tenants.service';
import { EstablishmentsService } from './tenants/establishments.service';
import { TenantCalendar } from './tenants/tenant-calendar';
import { Invitations } from './users/invitations';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/** Tenants and their policy, people, sign-in (password + TOTP), sessions and gateway API keys. */
@Module({
  imports: [
    TypeOrmModule.forFeature(IDENTITY_ENTITIES),
    JwtModule.register({}),
    NotificationsModule,
  ],
  providers: [
    TenantsRepository, UsersRepository, TenantsService, UsersService, PasswordHasher, PasswordPolicyService, Totp,
    MfaTokens, SessionsService, AuthService, ApiKeysService, TenantCalendar, Invitations, MfaResetService, MfaEnrolmentLinks,
    OneTimeLinks, EstablishmentsService, Lockout,
  ],
  exports: [
    TenantsService, UsersService, UsersRepository, AuthService, SessionsService, ApiKeysService, PasswordHasher, Totp,
    TenantsRepository, TenantCalendar, MfaResetService, EstablishmentsService,
  ],
})
export class IdentityModule {}

/**
 * API-only: how HTTP callers are identified. Kept out of IdentityModule because passport's
 * strategies are process-wide: a worker must not register one.
 */
@Module({
  imports: [IdentityModule, PassportModule],
  providers: [JwtStrategy, AccessGuard],
  exports: [IdentityModule, AccessGuard],
})
export class IdentityHttpModule {}
