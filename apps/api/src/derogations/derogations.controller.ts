import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { FromBooleanText, IsInstant, Page, PageOf, PageQuery, Role, UserPrincipal } from '@app/core';
import { DEROGATION_KINDS, DerogationKind, DerogationsService, DerogationView } from '@app/derogations';
import { Allow, CurrentPrincipal } from '@app/identity';
import { BearerController } from '../common/controllers';

export class CreateDerogationDto {
  @ApiProperty({ enum: DEROGATION_KINDS }) @IsIn(DEROGATION_KINDS) kind: DerogationKind;
  @ApiPropertyOptional({ format: 'uuid', description: 'The contractor it applies to; none: the whole establishment' })
  @IsOptional() @IsUUID() contractorId?: string;
  @ApiProperty({ example: 'TeamViewer on the PACS console, for Medisoft only' }) @IsString() @Length(3, 2000) scope: string;
  @ApiProperty() @IsString() @Length(3, 5000) justification: string;
  @ApiProperty({ format: 'date-time' }) @IsInstant() validFrom: Date;
  @ApiProperty({ format: 'date-time' }) @IsInstant() validUntil: Date;
}

export class RevokeDerogationDto {
  @ApiProperty() @IsString() @Length(3, 1000) reason: string;
}

export class DerogationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DEROGATION_KINDS }) @IsOptional() @IsIn(DEROGATION_KINDS) kind?: DerogationKind;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contractorId?: string;
  @ApiPropertyOptional({ description: 'true: only those in force now; false: only those revoked, over or not begun' })
  @IsOptional() @FromBooleanText() @IsBoolean() inForce?: boolean;
}

/** R-ART16-27: the DSI's written derogations (equipment, remote-control tool, shared account, log deletion). */
@BearerController('derogations', 'v1/derogations')
export class DerogationsController {
  constructor(private readonly derogations: DerogationsService) {}

  @Post() @Allow(Role.Dsi) @ApiCreatedResponse({ type: DerogationView })
  create(@CurrentPrincipal() p: UserPrincipal, @Body() body: CreateDerogationDto): Promise<DerogationView> {
    return this.derogations.create(p, body);
  }

  @Get() @Allow(Role.Dsi, Role.Rssi, Role.Auditor, Role.Referent, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy)
  @ApiOkResponse({ type: PageOf(DerogationView) })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: DerogationQuery): Promise<Page<DerogationView>> {
    return this.derogations.list(p, { kind: q.kind, contractorId: q.contractorId, inForce: q.inForce }, q);
  }

  @Post(':id/revoke') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: DerogationView })
  revoke(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RevokeDerogationDto,
  ): Promise<DerogationView> {
    return this.derogations.revoke(p, id, body.reason);
  }
}
