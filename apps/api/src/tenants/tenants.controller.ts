import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { actorOf, Principal, Role, TenantScope, ValidationFailed } from '@app/core';
import { Allow, CurrentPrincipal, Scope, TenantPolicy, TenantsService } from '@app/identity';
import { CreateTenantDto, TenantCreatedResponse } from './tenants.dto';

/** R-POL: establishments (platform admin) and their policy (DSI). */
@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post('tenants') @Allow(Role.PlatformAdmin)
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTenantDto): Promise<TenantCreatedResponse> {
    const { tenant, admin } = await this.tenants.create(actorOf(principal), body);
    return { id: tenant.id, name: tenant.name, preset: tenant.preset, adminId: admin.id };
  }

  @Get('tenant/policy') @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: TenantPolicy })
  policy(@Scope() scope: TenantScope): Promise<TenantPolicy> {
    return this.tenants.getPolicy(scope);
  }

  @Patch('tenant/policy') @Allow(Role.Dsi) @ApiOkResponse({ type: TenantPolicy })
  @ApiBody({ type: TenantPolicy, description: 'Any subset of the policy; nested objects are merged' })
  updatePolicy(@CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Body() body: unknown): Promise<TenantPolicy> {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new ValidationFailed('The body must be a JSON object', [{ field: '', message: 'expected an object' }]);
    }
    return this.tenants.updatePolicy(actorOf(principal), scope, body as Record<string, unknown>);
  }
}
