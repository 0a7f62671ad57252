import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested,
} from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CONTRACTOR_MANAGERS, HOSPITAL_ROLES, Page, PageOf, PageQuery, Role, UserPrincipal } from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';
import {
  CAMPAIGN_STATUSES, CampaignStatus, renderEvidenceHtml, ReviewAttestation, ReviewCertification, ReviewDashboard,
  ReviewDashboardView, ReviewEvidence, ReviewItemView, ReviewsService, ReviewView,
} from '@app/reviews';
import { RequestAccountDto } from '../accounts/accounts.dto';
import { EVIDENCE } from '../common/responses';
import { BearerController } from '../common/controllers';

export class OpenReviewDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() contractorId: string;
}

export class DecideItemDto {
  @ApiProperty({ enum: ['keep', 'change', 'remove'] }) @IsIn(['keep', 'change', 'remove']) decision: 'keep' | 'change' | 'remove';
  @ApiPropertyOptional({ enum: ['read', 'operate', 'admin'], description: 'The new level, for a change' })
  @IsOptional() @IsIn(['read', 'operate', 'admin']) level?: 'read' | 'operate' | 'admin';
}

export class BatchDecisionDto extends DecideItemDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() itemId: string;
}

export class DecideItemsDto {
  @ApiProperty({ type: [BatchDecisionDto], minItems: 1, maxItems: 2000,
    description: 'Every decision of the list, saved together or not at all' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2000) @ValidateNested({ each: true }) @Type(() => BatchDecisionDto) items: BatchDecisionDto[];
}

export class SubmitReviewDto {
  @ApiProperty({ minLength: 20, maxLength: 2000,
    description: 'R-ART34: the statement the security contact ticked, as shown to them; kept with the attestation' })
  @IsString() @MinLength(20) @MaxLength(2000) statement: string;
}

export class ReviewsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() contractorId?: string;
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES }) @IsOptional() @IsIn(CAMPAIGN_STATUSES) status?: CampaignStatus;
}

export class EvidenceQuery {
  @ApiPropertyOptional({ enum: ['csv', 'json', 'html'], default: 'json', description: 'html: a printable summary for an auditor' })
  @IsOptional() @IsIn(['csv', 'json', 'html']) format?: 'csv' | 'json' | 'html';
}

/** R-ART34: annual access reviews, attested by the contractor, certified by the RSSI. */
@BearerController('reviews', 'v1/reviews')
export class ReviewsController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly attestation: ReviewAttestation,
    private readonly certification: ReviewCertification,
    private readonly evidence: ReviewEvidence,
    private readonly dashboards: ReviewDashboard,
  ) {}

  @Get() @Allow(...HOSPITAL_ROLES, ...CONTRACTOR_MANAGERS) @ApiOkResponse({ type: PageOf(ReviewView) })
  @ApiOperation({ summary: 'Campaigns, latest opened first, without their items (GET /v1/reviews/{id} has them)' })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: ReviewsQuery): Promise<Page<ReviewView>> {
    return this.reviews.list(p, { contractorId: q.contractorId, status: q.status }, q);
  }

  @Post() @Allow(Role.Dsi, Role.Rssi) @ApiCreatedResponse({ type: ReviewView })
  open(@CurrentPrincipal() p: UserPrincipal, @Body() body: OpenReviewDto): Promise<ReviewView> {
    return this.reviews.openNow(p, body.contractorId);
  }

  // Declared before ':id', whose ParseUUIDPipe would answer 400 to "dashboard".
  @Get('dashboard') @Allow(Role.Rssi, Role.Dsi, Role.Auditor) @ApiOkResponse({ type: ReviewDashboardView })
  dashboard(@CurrentPrincipal() p: UserPrincipal): Promise<ReviewDashboardView> {
    return this.dashboards.of(p);
  }

  @Get(':id') @Allow(...HOSPITAL_ROLES, ...CONTRACTOR_MANAGERS) @ApiOkResponse({ type: ReviewView })
  get(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<ReviewView> {
    return this.reviews.get(p, id);
  }

  @Post(':id/items') @HttpCode(200) @Allow(...CONTRACTOR_MANAGERS) @ApiOkResponse({ type: ReviewView })
  @ApiOperation({ summary: 'R-ART34: the whole list decided at once, all or nothing; answers the campaign with its items' })
  decideAll(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DecideItemsDto): Promise<ReviewView> {
    return this.attestation.decideAll(p, id, body.items);
  }

  @Post(':id/items/:itemId') @HttpCode(200) @Allow(...CONTRACTOR_MANAGERS) @ApiOkResponse({ type: ReviewItemView })
  decide(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() body: DecideItemDto): Promise<ReviewItemView> {
    return this.attestation.decide(p, id, itemId, body.decision, body.level);
  }

  @Post(':id/items/:itemId/override') @HttpCode(200) @Allow(Role.Rssi) @ApiOkResponse({ type: ReviewItemView })
  override(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Param('itemId', ParseUUIDPipe) itemId: string,
    @Body() body: DecideItemDto): Promise<ReviewItemView> {
    return this.certification.override(p, id, itemId, body.decision, body.level);
  }

  @Post(':id/additions') @Allow(...CONTRACTOR_MANAGERS) @ApiCreatedResponse({ type: ReviewItemView })
  add(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RequestAccountDto): Promise<ReviewItemView> {
    return this.attestation.addPerson(p, id, body);
  }

  @Post(':id/submit') @HttpCode(200) @Allow(...CONTRACTOR_MANAGERS) @ApiOkResponse({ type: ReviewView })
  submit(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: SubmitReviewDto): Promise<ReviewView> {
    return this.attestation.submit(p, id, body.statement);
  }

  @Post(':id/certify') @HttpCode(200) @Allow(Role.Rssi) @ApiOkResponse({ type: ReviewView })
  certify(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<ReviewView> {
    return this.certification.certify(p, id);
  }

  @Get(':id/evidence') @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiOkResponse(EVIDENCE)
  async evidenceOf(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Query() q: EvidenceQuery,
    @Res() reply: FastifyReply): Promise<void> {
    // R-ART34: revue-<company>-<date>.<format>, the establishment's date.
    const name = `${await this.evidence.fileName(p, id)}.${q.format ?? 'json'}`;
    if (q.format === 'html') {
      // Self-contained page: no script may run, nothing is fetched; only the inline style applies.
      reply.header('content-type', 'text/html; charset=utf-8').header('x-content-type-options', 'nosniff')
        .header('content-disposition', `inline; filename="${name}"`)
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").header('cache-control', 'no-store')
        .send(renderEvidenceHtml(await this.evidence.summary(p, id)));
      return;
    }
    const { campaign, rows } = await this.evidence.rows(p, id);
    if (q.format === 'csv') {
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`)
        .send(this.evidence.toCsv(rows));
      return;
    }
    reply.header('content-type', 'application/json').header('content-disposition', `attachment; filename="${name}"`)
      .send({ campaign, rows });
  }
}
