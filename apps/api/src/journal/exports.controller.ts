import { Body, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, MaxDate, MinDate } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CoreErrors, IsInstant, Role, UserPrincipal } from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';
import { ConnectionExportView, ExportFormat, ExportsService } from '@app/journal';
import { BearerController } from '../common/controllers';

// PostgreSQL and JavaScript both hold these; outside them a date is a typo, not a range.
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59Z');

export class RequestExportDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the range (inclusive), on the events\' start' })
  @IsInstant() @MinDate(EARLIEST) @MaxDate(LATEST) from: Date;
  @ApiProperty({ format: 'date-time', description: 'End of the range (exclusive); after `from`' })
  @IsInstant() @MinDate(EARLIEST) @MaxDate(LATEST) to: Date;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this contractor\'s accounts' }) @IsOptional() @IsUUID() contractorId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this account' }) @IsOptional() @IsUUID() accountId?: string;
  @ApiProperty({
    description: 'Why the journal is exported (kept with the request and in the audit trail)', example: 'Enquête incident 2026-114',
  })
  @IsString() @Length(3, 1000) reason: string;
  @ApiProperty({ enum: ['csv', 'json'] }) @IsIn(['csv', 'json']) format: ExportFormat;
}

export class ConnectionExportResponse implements ConnectionExportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The person who requested it: the only one who may download it' }) requestedBy: string;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) contractorId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) accountId: string | null;
  @ApiProperty({ enum: ['csv', 'json'] }) format: ExportFormat;
  @ApiProperty() downloads: number;
  @ApiProperty({ example: '/v1/connection-exports/3f0c.../download' }) downloadUrl: string;
}

const WHO = 'Charter Art. 41: the journal is exported on request of the director general, the digital director or the RSSI. '
  + 'The platform has no director-general role: the DSI (Direction du Numérique) stands for the direction, '
  + 'so the roles dsi and rssi may export.';

/** R-ART41 (Art. 41): exports of the connection journal, requested with a reason, downloaded by their requester. */
@BearerController('journal', 'v1/connection-exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post() @Allow(Role.Dsi, Role.Rssi) @ApiCreatedResponse({ type: ConnectionExportResponse })
  @ApiOperation({
    summary: 'Request an export of the connection journal',
    description: `${WHO} The request (who, why, range, filters) is stored and recorded in the audit trail (journal.export_requested); `
      + 'events are selected on their start, from inclusive, to exclusive.',
  })
  request(@CurrentPrincipal() p: UserPrincipal, @Body() body: RequestExportDto): Promise<ConnectionExportView> {
    if (body.to <= body.from) throw CoreErrors.invalid('RANGE_EMPTY', 'to');
    return this.exports.request(p, body);
  }

  @Get(':id/download') @Allow(Role.Dsi, Role.Rssi) @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': {} } })
  @ApiOperation({
    summary: 'Download an export (streamed)',
    description: 'Only the person who requested the export may download it (anyone else: 404). '
      + 'Each download is audited (journal.export_downloaded) '
      + 'and counted; the journal is read as it is at the time of the download. '
      + 'CSV (RFC 4180, header row, cells that a spreadsheet would run as '
      + 'a formula prefixed with \') or a JSON array, with the columns eventId, account, accountId, contractorId, resource, resourceId, '
      + 'sourceIp, '
      + 'startedAt, endedAt, outcome, recordingRef, interventionId, batchId, ingestedAt.',
  })
  async download(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.exports.download(p, id);
    reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(file.stream);
  }
}
