import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { actorOf, PageQuery, Principal, Role, TenantScope } from '@app/core';
import { Allow, CurrentPrincipal, Scope, toUserView, UsersService, UserView } from '@app/identity';
import { InviteUserDto, UserPage } from './users.dto';

/** Hospital staff of the tenant, invited by the DSI. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post() @Allow(Role.Dsi) @ApiOkResponse({ type: UserView })
  async invite(@CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Body() body: InviteUserDto): Promise<UserView> {
    return toUserView(await this.users.invite(actorOf(principal), scope, body));
  }

  @Get() @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: UserPage })
  list(@Scope() scope: TenantScope, @Query() page: PageQuery): Promise<UserPage> {
    return this.users.list(scope, page.limit, page.cursor);
  }

  @Get(':id') @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: UserView })
  get(@Scope() scope: TenantScope, @Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    return this.users.get(scope, id);
  }
}
