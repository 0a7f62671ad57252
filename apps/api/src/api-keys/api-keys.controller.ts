import { Body, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsEnum, IsString, Length } from 'class-validator';
import { actorOf, ApiKeyScope, Page, PageOf, PageQuery, Principal, Role, TenantScope } from '@app/core';
import { Allow, ApiKeysService, ApiKeyView, CurrentPrincipal, Scope } from '@app/identity';
import { CreatedApiKeyView } from './api-keys.views';
import { BearerController } from '../common/controllers';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Bastion Wallix' }) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ enum: ApiKeyScope, isArray: true })
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsEnum(ApiKeyScope, { each: true }) scopes: ApiKeyScope[];
}

/** Gateway credentials, managed by the DSI. The key is shown once, in the creation answer. */
@BearerController('api-keys', 'v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post() @Allow(Role.Dsi) @ApiCreatedResponse({ type: CreatedApiKeyView })
  create(
    @CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Body() body: CreateApiKeyDto,
  ): Promise<ApiKeyView & { key: string }> {
    return this.keys.create(actorOf(principal), scope, body.name, body.scopes);
  }

  @Get() @Allow(Role.Dsi, Role.Rssi) @ApiOkResponse({ type: PageOf(ApiKeyView) })
  list(@Scope() scope: TenantScope, @Query() q: PageQuery): Promise<Page<ApiKeyView>> {
    return this.keys.list(scope, q);
  }

  @Delete(':id') @HttpCode(204) @Allow(Role.Dsi)
  async revoke(
    @CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.keys.revoke(actorOf(principal), scope, id);
  }
}
