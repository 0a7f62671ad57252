import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  AnswersNow, ApiKeyScope, CONTRACTOR_MANAGERS, GatewayPrincipal, HOSPITAL_ROLES, Page, PageOf, Role, TENANT_PEOPLE, UserPrincipal,
} from '@app/core';
import { Allow, CurrentPrincipal, Gateway } from '@app/identity';
import {
  DecisionInput, DecisionsService, DecisionView, IntervenantView, InterventionsService, InterventionView, ReportsService, ReportView,
} from '@app/interventions';
import {
  ApproveInterventionDto, CancelInterventionDto, DecisionRequestDto, FileReportDto, InterventionsQuery, ReferentsDto, ReferentView,
  RejectInterventionDto, RequestInterventionDto,
} from './interventions.dto';
import { DecisionRequestPipe } from './decision-request.pipe';

/** Intervention windows (R-ART36), reports (R-ART42) and access decisions for gateways. */
@ApiTags('interventions')
@Controller('v1')
export class InterventionsController {
  constructor(
    private readonly interventions: InterventionsService,
    private readonly reports: ReportsService,
    private readonly decisions: DecisionsService,
  ) {}

  @Post('interventions') @ApiBearerAuth() @Allow(Role.Dsi, ...CONTRACTOR_MANAGERS, Role.Staff)
  @ApiCreatedResponse({ type: InterventionView })
  request(@CurrentPrincipal() p: UserPrincipal, @Body() body: RequestInterventionDto): Promise<InterventionView> {
    return this.interventions.request(p, body);
  }

  @Get('interventions') @ApiBearerAuth() @Allow(...TENANT_PEOPLE) @ApiOkResponse({ type: PageOf(InterventionView) })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: InterventionsQuery): Promise<Page<InterventionView>> {
    const { limit, cursor, ...filter } = q;
    return this.interventions.list(p, filter, { limit, cursor });
  }

  @Get('interventions/:id') @ApiBearerAuth() @Allow(...TENANT_PEOPLE) @ApiOkResponse({ type: InterventionView })
  get(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<InterventionView> {
    return this.interventions.get(p, id);
  }

  @Post('interventions/:id/approve') @HttpCode(200) @ApiBearerAuth() @Allow(Role.Dsi, Role.Referent)
  @ApiOkResponse({ type: InterventionView })
  approve(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ApproveInterventionDto,
  ): Promise<InterventionView> {
    return this.interventions.approve(p, id, body?.overrideUsage ?? false);
  }

  @Post('interventions/:id/reject') @HttpCode(200) @ApiBearerAuth() @Allow(Role.Dsi, Role.Referent)
  @ApiOkResponse({ type: InterventionView })
  reject(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RejectInterventionDto,
  ): Promise<InterventionView> {
    return this.interventions.reject(p, id, body.reason);
  }

  @Post('interventions/:id/cancel') @HttpCode(200) @ApiBearerAuth() @Allow(Role.Dsi, ...CONTRACTOR_MANAGERS, Role.Staff)
  @ApiOkResponse({ type: InterventionView })
  cancel(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CancelInterventionDto,
  ): Promise<InterventionView> {
    return this.interventions.cancel(p, id, body?.reason);
  }

  @Post('interventions/:id/report') @ApiBearerAuth() @Allow(Role.Dsi, ...CONTRACTOR_MANAGERS, Role.Staff)
  @ApiCreatedResponse({ type: ReportView })
  file(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: FileReportDto): Promise<ReportView> {
    return this.reports.file(p, id, body);
  }

  @Get('interventions/:id/reports') @ApiBearerAuth() @Allow(...TENANT_PEOPLE) @ApiOkResponse({ type: [ReportView] })
  versions(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<ReportView[]> {
    return this.reports.versions(p, id);
  }

  @Get('interventions/:id/intervenants') @ApiBearerAuth() @Allow(...TENANT_PEOPLE) @ApiOkResponse({ type: [IntervenantView] })
  intervenants(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<IntervenantView[]> {
    return this.interventions.intervenants(p, id);
  }

  @Put('contractors/:id/referents') @ApiBearerAuth() @Allow(Role.Dsi) @ApiOkResponse({ type: [ReferentView] })
  designate(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReferentsDto,
  ): Promise<ReferentView[]> {
    return this.interventions.designateReferents(p, id, body.userIds);
  }

  @Get('contractors/:id/referents') @ApiBearerAuth() @Allow(...HOSPITAL_ROLES, ...CONTRACTOR_MANAGERS)
  @ApiOkResponse({ type: [ReferentView] })
  referents(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<ReferentView[]> {
    return this.interventions.referentsList(p, id);
  }

  /** The hot path: "may account A reach resource R now?" for a gateway with the `decisions` scope (never replayed). */
  @Post('access-decisions') @HttpCode(200) @ApiSecurity('gateway') @Gateway(ApiKeyScope.Decisions) @ApiOkResponse({ type: DecisionView })
  @ApiBody({ type: DecisionRequestDto }) @AnswersNow()
  decide(@CurrentPrincipal() gateway: GatewayPrincipal, @Body(DecisionRequestPipe) body: DecisionInput): Promise<DecisionView> {
    return this.decisions.decide(gateway, body);
  }
}
