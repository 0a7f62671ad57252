import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsInstant, PageQuery, Role, UserPrincipal } from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';
import {
  ANOMALY_KINDS, AnomalyCaseCountsView, AnomalyCasePage, AnomalyCasesService, AnomalyCaseView, AnomalyKind, AssigneePage, CASE_STATUSES,
  CaseStatus, SEVERITIES, Severity,
} from '@app/journal';
import { BearerController } from '../common/controllers';

export class AnomalyCasesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CASE_STATUSES }) @IsOptional() @IsIn(CASE_STATUSES) status?: CaseStatus;
  @ApiPropertyOptional({ enum: SEVERITIES }) @IsOptional() @IsIn(SEVERITIES) severity?: Severity;
  @ApiPropertyOptional({ enum: ANOMALY_KINDS, description: 'Cases with this kind among theirs' })
  @IsOptional() @IsIn(ANOMALY_KINDS) kind?: AnomalyKind;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() assigneeId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contractorId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Connections started at or after this instant' })
  @IsOptional() @IsInstant() from?: Date;
  @ApiPropertyOptional({ format: 'date-time', description: 'Connections started before this instant' })
  @IsOptional() @IsInstant() to?: Date;
}

export class AnomalyCountsQuery extends OmitType(AnomalyCasesQuery, ['status', 'limit', 'cursor'] as const) {}

export class AssignAnomalyDto {
  @ApiProperty({ format: 'uuid', description: 'An active RSSI or DSI of the establishment (GET /v1/anomaly-cases/assignees)' })
  @IsUUID() assigneeId: string;
}

export class AnomalyCommentDto {
  @ApiProperty({ minLength: 3, maxLength: 2000, description: 'What was found or done (kept in the audit trail)' })
  @IsString() @Length(3, 2000) comment: string;
}

/** R-ART41: the RSSI's (and the DSI's) triage of the journal's anomalies, one case per connection; auditors read. */
@BearerController('journal', 'v1/anomaly-cases')
export class AnomalyCasesController {
  constructor(private readonly cases: AnomalyCasesService) {}

  @Get() @Allow(Role.Rssi, Role.Dsi, Role.Auditor) @ApiOkResponse({ type: AnomalyCasePage })
  @ApiOperation({ summary: 'Anomalies grouped per connection, newest connection first, with severity and triage status' })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: AnomalyCasesQuery): Promise<AnomalyCasePage> {
    return this.cases.list(p, q);
  }

  @Get('counts') @Allow(Role.Rssi, Role.Dsi, Role.Auditor) @ApiOkResponse({ type: AnomalyCaseCountsView })
  @ApiOperation({ summary: 'How many cases are open, acknowledged and closed, under the same filters as the list' })
  counts(@CurrentPrincipal() p: UserPrincipal, @Query() q: AnomalyCountsQuery): Promise<AnomalyCaseCountsView> {
    return this.cases.counts(p, q);
  }

  @Get('assignees') @Allow(Role.Rssi, Role.Dsi) @ApiOkResponse({ type: AssigneePage })
  @ApiOperation({ summary: 'Who may be assigned a case: the active RSSI and DSI of the establishment, by name' })
  assignees(@CurrentPrincipal() p: UserPrincipal, @Query() q: PageQuery): Promise<AssigneePage> {
    return this.cases.assignees(p, q);
  }

  @Get(':id') @Allow(Role.Rssi, Role.Dsi, Role.Auditor) @ApiOkResponse({ type: AnomalyCaseView })
  get(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<AnomalyCaseView> {
    return this.cases.get(p, id);
  }

  @Post(':id/acknowledge') @HttpCode(200) @Allow(Role.Rssi, Role.Dsi) @ApiOkResponse({ type: AnomalyCaseView })
  @ApiOperation({ summary: 'Open → acknowledged (409 ANOMALY_TRANSITION otherwise)' })
  acknowledge(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<AnomalyCaseView> {
    return this.cases.acknowledge(p, id);
  }

  @Post(':id/assign') @HttpCode(200) @Allow(Role.Rssi, Role.Dsi) @ApiOkResponse({ type: AnomalyCaseView })
  @ApiOperation({ summary: 'Assigns an open or acknowledged case to someone else (it is then acknowledged)' })
  assign(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AssignAnomalyDto,
  ): Promise<AnomalyCaseView> {
    return this.cases.assign(p, id, body.assigneeId);
  }

  @Post(':id/close') @HttpCode(200) @Allow(Role.Rssi, Role.Dsi) @ApiOkResponse({ type: AnomalyCaseView })
  @ApiOperation({ summary: 'Closes an open or acknowledged case with a comment' })
  close(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AnomalyCommentDto,
  ): Promise<AnomalyCaseView> {
    return this.cases.close(p, id, body.comment);
  }

  @Post(':id/reopen') @HttpCode(200) @Allow(Role.Rssi, Role.Dsi) @ApiOkResponse({ type: AnomalyCaseView })
  @ApiOperation({ summary: 'Reopens a closed case (acknowledged again) with a comment' })
  reopen(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AnomalyCommentDto,
  ): Promise<AnomalyCaseView> {
    return this.cases.reopen(p, id, body.comment);
  }
}
