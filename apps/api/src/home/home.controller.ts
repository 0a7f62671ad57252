import { Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TENANT_PEOPLE, TenantScope, UserPrincipal } from '@app/core';
import { HomeService, HomeView } from '@app/digests';
import { Allow, CurrentPrincipal, Scope } from '@app/identity';
import { BearerController } from '../common/controllers';

/** The console's home page: what waits for the signed-in person (R-DIG). */
@BearerController('home', 'v1/home')
export class HomeController {
  constructor(private readonly home: HomeService) {}

  @Get() @Allow(...TENANT_PEOPLE) @ApiOkResponse({ type: HomeView })
  @ApiOperation({ summary: "The signed-in person's tasks with their counts, for their roles, in their establishment (and company)" })
  get(@CurrentPrincipal() p: UserPrincipal, @Scope() scope: TenantScope): Promise<HomeView> {
    return this.home.of(p, scope);
  }
}
