import { Body, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { actorOf, CoreErrors, PageQuery, Principal, Role, TenantScope, UserPrincipal } from '@app/core';
import {
  Allow, CurrentPrincipal, EstablishmentsService, OperatorMfaResetService, Scope, TenantPolicy, TenantsService, UserView,
} from '@app/identity';
import { ReasonDto } from '../accounts/accounts.dto';
import { CreateTenantDto, DsiPage, EstablishmentPage, TenantCreatedResponse } from './tenants.dto';
import { BearerController } from '../common/controllers';

/** R-POL: establishments (platform admin) and their policy (DSI). */
@BearerController('tenants', 'v1')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly establishments: EstablishmentsService,
    private readonly mfa: OperatorMfaResetService,
  ) {}

  @Post('tenants') @Allow(Role.PlatformAdmin) @ApiCreatedResponse({ type: TenantCreatedResponse })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTenantDto): Promise<TenantCreatedResponse> {
    const { tenant, admin } = await this.tenants.create(actorOf(principal), body);
    return { id: tenant.id, name: tenant.name, preset: tenant.preset, adminId: admin.id };
  }

  @Get('tenants') @Allow(Role.PlatformAdmin) @ApiOkResponse({ type: EstablishmentPage })
  @ApiOperation({ summary: 'The establishments, by name, with their active DSIs and contractor companies counted (platform operator)' })
  list(@Query() page: PageQuery): Promise<EstablishmentPage> {
    return this.establishments.list(page);
  }

  @Get('tenants/:id/dsis') @Allow(Role.PlatformAdmin) @ApiOkResponse({ type: DsiPage })
  @ApiOperation({ summary: 'The DSIs of an establishment, by name, whether they enrolled TOTP (platform operator)' })
  dsis(@Param('id', ParseUUIDPipe) id: string, @Query() page: PageQuery): Promise<DsiPage> {
    return this.establishments.dsis(id, page);
  }

  @Post('tenants/:id/users/:userId/mfa/reset') @HttpCode(200) @Allow(Role.PlatformAdmin) @ApiOkResponse({ type: UserView })
  @ApiOperation({
    summary: 'Reset the TOTP enrolment of a DSI of an establishment: lost phone and recovery codes (R-ART28)',
    description: 'For the DSI who has no other DSI to ask. Only a DSI of that establishment (anyone else, or an unknown '
      + 'establishment, is 404: the DSI resets everyone else). The same effect as POST /v1/users/{id}/mfa/reset: enrolment and '
      + 'recovery codes wiped, every session and refresh token revoked, the person e-mailed; `user.mfa_reset` in the '
      + 'establishment\'s audit trail with the operator as actor, and in the platform\'s; the establishment\'s other DSIs and RSSIs '
      + 'are e-mailed. 409 MFA_NOT_ENROLLED or ACCOUNT_DEACTIVATED when there is nothing to reset.',
  })
  resetDsiMfa(
    @CurrentPrincipal() principal: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Param('userId', ParseUUIDPipe) userId: string,
    @Body() body: ReasonDto,
  ): Promise<UserView> {
    return this.mfa.resetDsi(principal, id, userId, body.reason);
  }

  @Get('tenant/policy') @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: TenantPolicy })
  policy(@Scope() scope: TenantScope): Promise<TenantPolicy> {
    return this.tenants.getPolicy(scope);
  }

  @Patch('tenant/policy') @Allow(Role.Dsi) @ApiOkResponse({ type: TenantPolicy })
  @ApiBody({ type: TenantPolicy, description: 'Any subset of the policy; nested objects are merged' })
  updatePolicy(@CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Body() body: unknown): Promise<TenantPolicy> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw CoreErrors.invalid('BODY_NOT_OBJECT', '');
    }
    return this.tenants.updatePolicy(actorOf(principal), scope, body as Record<string, unknown>);
  }
}
