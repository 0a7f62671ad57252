import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { AuditService, AuditView, IsInstant, Page, PageOf, PageQuery, Principal, Role, VerifyResult } from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';
import { ANY_JSON, VerifyResultView } from './audit.views';
import { BearerController } from '../common/controllers';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) action?: string;
  @ApiPropertyOptional({ description: 'A kind of act: the action\'s prefix before its dot (`account` for account.suspended, ...)' })
  @IsOptional() @Matches(/^[a-z_]{1,40}$/) actionGroup?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) targetType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) targetId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() actorId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsInstant() from?: Date;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsInstant() to?: Date;
}

class AuditActorView {
  @ApiProperty({ enum: ['user', 'gateway', 'system'] }) type: string;
  @ApiPropertyOptional({ nullable: true, type: String }) id: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'As recorded (an e-mail address for a person)' }) label: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "The person's name (a gateway: its key's name), as it is now" })
  name: string | null;
}

class AuditTargetView {
  @ApiProperty() type: string;
  @ApiPropertyOptional({ nullable: true, type: String }) id: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Its name as it is now (a person, a company, a resource...)' })
  label: string | null;
}

/** The OpenAPI shape of one event of the trail (AuditService builds it). */
export class AuditEventView implements AuditView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Position in the chain, newest highest' }) seq: number;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ type: AuditActorView }) actor: AuditActorView;
  @ApiProperty({ example: 'account.suspended' }) action: string;
  @ApiProperty({ type: AuditTargetView }) target: AuditTargetView;
  @ApiPropertyOptional(ANY_JSON) before: unknown;
  @ApiPropertyOptional(ANY_JSON) after: unknown;
  @ApiProperty({ description: 'SHA-256 of this event chained to the previous one' }) hash: string;
  @ApiProperty() prevHash: string;
}

/** R-AUD: the tenant's hash-chained trail, read by the DSI, the RSSI and auditors (platform admins: the platform chain). */
@BearerController('audit', 'v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get() @Allow(Role.Dsi, Role.Rssi, Role.Auditor, Role.PlatformAdmin) @ApiOkResponse({ type: PageOf(AuditEventView) })
  list(@CurrentPrincipal() principal: Principal, @Query() q: AuditQuery): Promise<Page<AuditView>> {
    const { limit, cursor, ...filter } = q;
    return this.audit.list(principal.tenantId, filter, limit, cursor);
  }

  @Get('verify') @Allow(Role.Dsi, Role.Rssi, Role.Auditor, Role.PlatformAdmin) @ApiOkResponse({ type: VerifyResultView })
  verify(@CurrentPrincipal() principal: Principal): Promise<VerifyResult> {
    return this.audit.verify(principal.tenantId);
  }
}
