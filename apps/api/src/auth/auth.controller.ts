import { Body, Controller, Get, HttpCode, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { actorOf, ALL_ROLES, UserPrincipal } from '@app/core';
import {
  Allow, AuthService, CurrentPrincipal, InvitationDetailsView, MembershipsService, MembershipView, MeView, MfaEnrolmentService,
  PasswordRulesView, PasswordsService, Public, SessionsService, UsersService, UserView,
} from '@app/identity';
import {
  AcceptInvitationDto, ChangePasswordDto, ConfirmEnrollDto, EnrollDto, EnrolledResponse, EnrollResponse, InvitationTokenQuery, LocaleDto,
  LoginDto, LoginResponse, RefreshDto, SwitchMembershipDto, TokensResponse, VerifyMfaDto,
} from './auth.dto';
import { AuthRateLimited } from './rate-limit';

const meta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] });

/**
 * R-ART28 sign-in: password, then TOTP (enrolled at first sign-in), then rotating tokens. The routes
 * that take a secret (password, TOTP code, token) get the per-address sign-in limit; a signed-in
 * person's own reads (`/v1/me`, logout) do not: a hospital's staff share one address behind its NAT.
 */
@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly enrolment: MfaEnrolmentService,
    private readonly passwords: PasswordsService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly establishments: MembershipsService,
  ) {}

  @AuthRateLimited()
  @Post('auth/login') @HttpCode(200) @Public() @ApiOkResponse({ type: LoginResponse })
  login(@Body() body: LoginDto): Promise<LoginResponse> {
    return this.auth.login(body.email, body.password);
  }

  @AuthRateLimited()
  @Post('auth/mfa/enroll') @HttpCode(200) @Public() @ApiOkResponse({ type: EnrollResponse })
  enroll(@Body() body: EnrollDto): Promise<EnrollResponse> {
    return this.enrolment.start(body.mfaToken, body.enrolmentLink);
  }

  @AuthRateLimited()
  @Post('auth/mfa/enroll/confirm') @HttpCode(200) @Public() @ApiOkResponse({ type: EnrolledResponse })
  confirm(@Body() body: ConfirmEnrollDto, @Req() req: FastifyRequest): Promise<EnrolledResponse> {
    return this.enrolment.confirm(body.mfaToken, body.code, meta(req));
  }

  @AuthRateLimited()
  @Post('auth/mfa/verify') @HttpCode(200) @Public() @ApiOkResponse({ type: TokensResponse })
  verify(@Body() body: VerifyMfaDto, @Req() req: FastifyRequest): Promise<TokensResponse> {
    return this.auth.verify(body.mfaToken, { code: body.code, recoveryCode: body.recoveryCode }, meta(req));
  }

  @AuthRateLimited()
  @Post('auth/refresh') @HttpCode(200) @Public() @ApiOkResponse({ type: TokensResponse })
  refresh(@Body() body: RefreshDto): Promise<TokensResponse> {
    return this.sessions.refresh(body.refreshToken);
  }

  @AuthRateLimited()
  @Post('auth/invitations/accept') @HttpCode(200) @Public() @ApiOkResponse({ type: UserView })
  accept(@Body() body: AcceptInvitationDto): Promise<UserView> {
    return this.users.acceptInvitation(body.token, body.password);
  }

  @AuthRateLimited()
  @Get('auth/invitations/password-rules') @Public() @ApiOkResponse({ type: PasswordRulesView })
  @ApiOperation({ summary: 'R-POL the password rules of the invitation\'s establishment, for the page where the person chooses one' })
  invitationPasswordRules(@Query() query: InvitationTokenQuery): Promise<PasswordRulesView> {
    return this.users.invitationPasswordRules(query.token);
  }

  @AuthRateLimited()
  @Get('auth/invitations/details') @Public() @ApiOkResponse({ type: InvitationDetailsView })
  @ApiOperation({ summary: 'R-MEMB the invitation\'s establishment, and whether its person confirms an existing password' })
  invitationDetails(@Query() query: InvitationTokenQuery): Promise<InvitationDetailsView> {
    return this.users.invitationDetails(query.token);
  }

  @Get('me/memberships') @Allow(...ALL_ROLES) @ApiBearerAuth() @ApiOkResponse({ type: MembershipView, isArray: true })
  @ApiOperation({ summary: 'R-MEMB the establishments the signed-in person works for (the current one marked)' })
  memberships(@CurrentPrincipal() principal: UserPrincipal): Promise<MembershipView[]> {
    return this.establishments.list(principal);
  }

  @Post('auth/switch') @HttpCode(200) @Allow(...ALL_ROLES) @ApiBearerAuth() @ApiOkResponse({ type: TokensResponse })
  @ApiOperation({ summary: 'R-MEMB a session of another establishment of the same person, without the TOTP again; this one ends' })
  switchMembership(
    @CurrentPrincipal() principal: UserPrincipal, @Body() body: SwitchMembershipDto, @Req() req: FastifyRequest,
  ): Promise<TokensResponse> {
    return this.establishments.switchTo(principal, body.membershipId, meta(req));
  }

  @Get('me/password-rules') @Allow(...ALL_ROLES) @ApiBearerAuth() @ApiOkResponse({ type: PasswordRulesView })
  @ApiOperation({ summary: 'R-POL the rules a new password of the signed-in person follows (the establishment\'s policy)' })
  passwordRules(@CurrentPrincipal() principal: UserPrincipal): Promise<PasswordRulesView> {
    return this.users.passwordRules(principal.userId);
  }

  @Post('auth/logout') @HttpCode(204) @Allow(...ALL_ROLES) @ApiBearerAuth()
  async logout(@CurrentPrincipal() principal: UserPrincipal): Promise<void> {
    await this.sessions.revoke(principal.sessionId, 'logout');
  }

  @AuthRateLimited()
  @Post('auth/password') @HttpCode(204) @Allow(...ALL_ROLES) @ApiBearerAuth()
  async changePassword(@CurrentPrincipal() principal: UserPrincipal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.passwords.change(principal, body.currentPassword, body.newPassword);
  }

  @Get('me') @Allow(...ALL_ROLES) @ApiBearerAuth() @ApiOkResponse({ type: MeView })
  me(@CurrentPrincipal() principal: UserPrincipal): Promise<MeView> {
    return this.users.me(principal.userId);
  }

  @Put('me/locale') @Allow(...ALL_ROLES) @ApiBearerAuth() @ApiOkResponse({ type: MeView })
  setLocale(@CurrentPrincipal() principal: UserPrincipal, @Body() body: LocaleDto): Promise<MeView> {
    return this.users.setLocale(actorOf(principal), principal.userId, body.locale);
  }
}
