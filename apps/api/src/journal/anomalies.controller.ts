import { Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { HOSPITAL_ROLES, IsInstant, PageQuery, Role, UserPrincipal } from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';
import { ANOMALY_KINDS, AnomaliesService, AnomalyKind, AnomalyPage, ConnectionPage, JOURNAL_MAX_DAYS } from '@app/journal';
import { BearerController } from '../common/controllers';

export class AnomaliesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ANOMALY_KINDS }) @IsOptional() @IsIn(ANOMALY_KINDS) kind?: AnomalyKind;
  @ApiPropertyOptional({ format: 'date-time', description: 'Connections started at or after this instant' })
  @IsOptional() @IsInstant() from?: Date;
  @ApiPropertyOptional({ format: 'date-time', description: 'Connections started before this instant' })
  @IsOptional() @IsInstant() to?: Date;
}

export class JournalSearchQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Entries started at or after this instant (default: 7 days before `to`)' })
  @IsOptional() @IsInstant() from?: Date;
  @ApiPropertyOptional({
    format: 'date-time', description: `Entries started before this instant (default: now); ${JOURNAL_MAX_DAYS} days after from at most`,
  })
  @IsOptional() @IsInstant() to?: Date;
  @ApiPropertyOptional({ format: 'uuid', description: 'The person (nominative account)' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiPropertyOptional({ description: 'The account as the gateway named it (an unknown account), case-insensitive' })
  @IsOptional() @IsString() @MaxLength(320) account?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contractorId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() resourceId?: string;
  @ApiPropertyOptional({ enum: ['success', 'failure'] }) @IsOptional() @IsIn(['success', 'failure']) outcome?: 'success' | 'failure';
}

/** R-ART41: what correlation of the connection journal found, and the sessions an intervention covers. */
@BearerController('journal', 'v1')
export class AnomaliesController {
  constructor(private readonly anomalies: AnomaliesService) {}

  @Get('anomalies') @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: AnomalyPage })
  @ApiOperation({ summary: 'Anomalies of the journal, newest connection first (from/to filter on when the connection started)' })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: AnomaliesQuery): Promise<AnomalyPage> {
    return this.anomalies.list(p, q);
  }

  @Get('connections') @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: ConnectionPage })
  @ApiOperation({ summary: 'The connection journal searched by person, company, resource and period, newest first' })
  search(@CurrentPrincipal() p: UserPrincipal, @Query() q: JournalSearchQuery): Promise<ConnectionPage> {
    return this.anomalies.search(p, q);
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
