import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { HOSPITAL_ROLES, IsInstant, PageQuery, Role, UserPrincipal } from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';
import { ANOMALY_KINDS, AnomaliesService, AnomalyKind, AnomalyPage, ConnectionPage } from '@app/journal';

export class AnomaliesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ANOMALY_KINDS }) @IsOptional() @IsIn(ANOMALY_KINDS) kind?: AnomalyKind;
  @ApiPropertyOptional({ format: 'date-time', description: 'Connections started at or after this instant' })
  @IsOptional() @IsInstant() from?: Date;
  @ApiPropertyOptional({ format: 'date-time', description: 'Connections started before this instant' })
  @IsOptional() @IsInstant() to?: Date;
}

/** R-ART41: what correlation of the connection journal found, and the sessions an intervention covers. */
@ApiTags('journal')
@ApiBearerAuth()
@Controller('v1')
export class AnomaliesController {
  constructor(private readonly anomalies: AnomaliesService) {}

  @Get('anomalies') @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: AnomalyPage })
  @ApiOperation({ summary: 'Anomalies of the journal, newest connection first (from/to filter on when the connection started)' })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: AnomaliesQuery): Promise<AnomalyPage> {
    return this.anomalies.list(p, q);
  }

  @Get('interventions/:id/connections') @Allow(...HOSPITAL_ROLES) @ApiOkResponse({ type: ConnectionPage })
  @ApiOperation({
    summary: 'The journal entries (sessions and attempts) linked to this intervention, with their recording references (Art. 44)',
  })
  connections(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQuery,
  ): Promise<ConnectionPage> {
    return this.anomalies.connections(p, id, q);
  }
}
