import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBody, ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiProperty, ApiSecurity, ApiServiceUnavailableResponse, ApiTags,
} from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ApiKeyScope, CoreErrors, GatewayPrincipal, IsInstant, Role, UserPrincipal } from '@app/core';
import { Allow, CurrentPrincipal, Gateway } from '@app/identity';
import { IngestionService, IngestResult, JournalRetention, JournalSeal, JournalVerifyResult, splitNdjson } from '@app/journal';
import { problem } from '../common/responses';
import { JournalVerifyView, PurgeResultView } from './journal.views';

export class IngestRejection {
  @ApiProperty({ description: 'Position of the event in the batch (0-based)' }) index: number;
  @ApiProperty({ description: 'Why it was refused' }) error: string;
}

export class IngestResponse {
  @ApiProperty() accepted: number;
  @ApiProperty({ description: 'Events already received (same gateway event id), ignored' }) duplicates: number;
  @ApiProperty({ type: [IngestRejection], description: 'Events refused, each alone (the others are stored)' }) rejected: IngestRejection[];
  @ApiProperty({
    type: String, format: 'uuid', nullable: true, description: 'The sealed batch the accepted events joined; null when none was accepted',
  })
  batchId: string | null;
}

export class PurgeDto {
  @ApiProperty({ format: 'date-time' }) @IsInstant() from: Date;
  @ApiProperty({ format: 'date-time' }) @IsInstant() to: Date;
  @ApiProperty({ format: 'uuid', description: 'The log-deletion derogation in force (Art. 40)' }) @IsUUID() derogationId: string;
  @ApiProperty() @IsString() @Length(3, 1000) reason: string;
}

/** R-ART41: the connection journal fed by gateways (bastion, VPN). */
@ApiTags('journal')
@Controller('v1/connection-events')
export class JournalController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly retention: JournalRetention,
    private readonly seal: JournalSeal,
  ) {}

  @Post() @HttpCode(200) @ApiSecurity('gateway') @Gateway(ApiKeyScope.Connections) @RouteConfig({ checksItemsItself: true })
  @ApiConsumes('application/json', 'application/x-ndjson')
  @ApiBody({
    description: 'A JSON array of events, or NDJSON (one event per line; use it for large batches): '
      + '{eventId, account, resource, sourceIp?, startedAt, endedAt?, outcome: success|failure, recordingRef?}',
  })
  @ApiOkResponse({ type: IngestResponse })
  @ApiServiceUnavailableResponse(problem('PostgreSQL is unreachable: nothing was accepted; send the batch again after Retry-After seconds'))
  async ingest(@CurrentPrincipal() gateway: GatewayPrincipal, @Req() req: FastifyRequest): Promise<IngestResult> {
    const body = req.body;
    const events = typeof body === 'string' ? splitNdjson(body) : body;
    if (!Array.isArray(events)) {
      throw CoreErrors.invalid('BODY_NOT_EVENTS', '');
    }
    // R-INT: while PostgreSQL is unreachable this is a 503 with Retry-After (problem filter); the gateway keeps the batch.
    return this.ingestion.ingest({ tenantId: gateway.tenantId, apiKeyId: gateway.apiKeyId, via: 'api' }, events);
  }

  @Get('verify') @ApiBearerAuth() @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiOkResponse({ type: JournalVerifyView })
  verify(@CurrentPrincipal() p: UserPrincipal): Promise<JournalVerifyResult> {
    return this.seal.verify(p.tenantId!);
  }

  @Post('purge') @HttpCode(200) @ApiBearerAuth() @Allow(Role.Dsi) @ApiOkResponse({ type: PurgeResultView })
  async purge(@CurrentPrincipal() p: UserPrincipal, @Body() body: PurgeDto): Promise<{ deleted: number }> {
    if (body.to <= body.from) throw CoreErrors.invalid('RANGE_EMPTY', 'to');
    return { deleted: await this.retention.purgeUnderDerogation(p, body) };
  }
}
