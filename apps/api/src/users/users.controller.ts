import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { actorOf, Principal, Role, TenantScope, UserPrincipal } from '@app/core';
import { Allow, CurrentPrincipal, MfaResetService, Scope, UsersService, UserView } from '@app/identity';
import { ReasonDto } from '../accounts/accounts.dto';
import { InvitationResentView, InviteUserDto, MfaResetRequestedView, UserPage, UsersQuery } from './users.dto';
import { BearerController } from '../common/controllers';

/** Hospital staff of the tenant, invited by the DSI; the recovery of anyone's sign-in (invitation, second factor). */
@BearerController('users', 'v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly mfa: MfaResetService,
  ) {}

  @Post() @Allow(Role.Dsi) @ApiCreatedResponse({ type: UserView })
  async invite(@CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Body() body: InviteUserDto): Promise<UserView> {
    return this.users.invite(actorOf(principal), scope, body);
  }

  @Get() @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: UserPage })
  list(@Scope() scope: TenantScope, @Query() query: UsersQuery): Promise<UserPage> {
    return this.users.list(scope, query, query.company);
  }

  @Get(':id') @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: UserView })
  get(@Scope() scope: TenantScope, @Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    return this.users.get(scope, id);
  }

  @Post(':id/invitation/resend') @HttpCode(200) @Allow(Role.Dsi, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy)
  @ApiOperation({
    summary: 'Send a new invitation link to a person who has not chosen a password yet (R-ART28)',
    description: 'E-mailed to the address on record; every earlier link of the person stops working. The DSI for anyone of the '
      + 'establishment (hospital staff, contractor contacts and staff); a contractor\'s legal representative, security contact or '
      + 'deputy for the people of their own company (userId of GET /v1/contractors/{id}/accounts). 409 INVITATION_NOT_PENDING once '
      + 'the person has chosen a password (or is suspended or deactivated). At most INVITATION_RESENDS_PER_HOUR (5) resends per person '
      + 'within an hour, whoever asks: beyond, 429 RATE_LIMITED with Retry-After (seconds).',
  })
  @ApiOkResponse({ type: InvitationResentView })
  resendInvitation(
    @CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Param('id', ParseUUIDPipe) id: string,
  ): Promise<InvitationResentView> {
    return this.users.resendInvitation(actorOf(principal), scope, id);
  }

  @Post(':id/mfa/reset') @HttpCode(200) @Allow(Role.Dsi)
  @ApiOperation({
    summary: 'Reset a person\'s TOTP enrolment: lost or stolen phone (R-ART28)',
    description: 'The DSI, for a person of its establishment other than itself (403 MFA_RESET_SELF). Wipes the TOTP secret and the '
      + 'recovery codes and revokes every session and refresh token of the person at once; the next sign-in answers '
      + '`next: "enroll"`. The person is e-mailed; the audit trail keeps the reason (`user.mfa_reset`). A contractor\'s security '
      + 'contact asks the DSI (POST /v1/users/{id}/mfa/reset-request): the company declares people, the DSI decides on their credentials.',
  })
  @ApiOkResponse({ type: UserView })
  resetMfa(
    @CurrentPrincipal() principal: UserPrincipal, @Scope() scope: TenantScope, @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<UserView> {
    return this.mfa.reset(principal, scope, id, body.reason);
  }

  @Post(':id/mfa/reset-request') @HttpCode(202) @Allow(Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy)
  @ApiOperation({
    summary: 'Ask the DSI to reset the TOTP enrolment of a person of your company (R-ART28, R-ART3)',
    description: 'Changes nothing but the audit trail (`user.mfa_reset_requested`, with the reason): every DSI of the establishment '
      + 'is e-mailed and decides (POST /v1/users/{id}/mfa/reset). People of other companies are 404.',
  })
  @ApiAcceptedResponse({ type: MfaResetRequestedView })
  requestMfaReset(
    @CurrentPrincipal() principal: UserPrincipal, @Scope() scope: TenantScope, @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<MfaResetRequestedView> {
    return this.mfa.request(principal, scope, id, body.reason);
  }
}
