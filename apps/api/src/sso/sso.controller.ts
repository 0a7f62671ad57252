import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actorOf, Principal, Role, TenantScope } from '@app/core';
import { Allow, CurrentPrincipal, Scope, SsoProviderView, SsoSettingsService, SsoTestView } from '@app/identity';
import { SaveSsoProviderDto } from './sso.dto';

/** R-SSO the establishment's OpenID provider, set by the DSI (docs/identity.md). */
@ApiTags('sso')
@ApiBearerAuth()
@Controller('v1/sso')
export class SsoController {
  constructor(private readonly settings: SsoSettingsService) {}

  @Get() @Allow(Role.Dsi)
  @ApiOperation({ summary: 'The OpenID provider of the establishment (never the client secret); 404 SSO_NOT_CONFIGURED' })
  @ApiOkResponse({ type: SsoProviderView })
  get(@Scope() scope: TenantScope): Promise<SsoProviderView> {
    return this.settings.get(scope);
  }

  @Put() @Allow(Role.Dsi)
  @ApiOperation({ summary: 'Set the OpenID provider; the client secret is stored encrypted; audited without it' })
  @ApiOkResponse({ type: SsoProviderView })
  save(@CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Body() body: SaveSsoProviderDto): Promise<SsoProviderView> {
    return this.settings.save(actorOf(principal), scope, body);
  }

  @Post('test') @HttpCode(200) @Allow(Role.Dsi)
  @ApiOperation({ summary: 'Discovery against the stored issuer: address (https), connect, TLS, discovery document, signing keys' })
  @ApiOkResponse({ type: SsoTestView })
  test(@Scope() scope: TenantScope): Promise<SsoTestView> {
    return this.settings.test(scope);
  }
}
