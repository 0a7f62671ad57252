import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { AuditService, AuditView, Page, PageQuery, Principal, Role, VerifyResult } from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) action?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) targetType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) targetId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() actorId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate() to?: Date;
}

/** R-AUD: the tenant's hash-chained trail, read by the DSI, the RSSI and auditors (platform admins: the platform chain). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get() @Allow(Role.Dsi, Role.Rssi, Role.Auditor, Role.PlatformAdmin)
  list(@CurrentPrincipal() principal: Principal, @Query() q: AuditQuery): Promise<Page<AuditView>> {
    const { limit, cursor, ...filter } = q;
    return this.audit.list(principal.tenantId, filter, limit, cursor);
  }

  @Get('verify') @Allow(Role.Dsi, Role.Rssi, Role.Auditor, Role.PlatformAdmin)
  verify(@CurrentPrincipal() principal: Principal): Promise<VerifyResult> {
    return this.audit.verify(principal.tenantId);
  }
}
