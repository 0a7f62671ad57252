import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  AccountDecisions, AccountsService, AccountView, DeparturesService, DepartureView, HabilitationView, IncidentsService, IncidentView,
  ReinstatementService,
  ResourceView, ScopesService,
} from '@app/accounts';
import { SignatureView } from '@app/charters';
import { CONTRACTOR_MANAGERS, HOSPITAL_ROLES, MAX_PDF_BYTES, Page, PageOf, PageQuery, Role, TENANT_PEOPLE, UserPrincipal } from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';
import { multipartSchema } from '../charters/charters.dto';
import { readMultipart } from '../common/multipart';
import {
  AccountsQuery, ConventionFields, CreateResourceDto, DepartureDto, HabilitationsQuery, IncidentDto, IncidentsQuery, ReasonDto,
  RequestAccountDto, RequestHabilitationDto, ResourcesQuery, SuspendDto, TenantAccountsQuery, TenantHabilitationsQuery,
} from './accounts.dto';
import { ReadinessView } from './readiness.view';
import { BearerController } from '../common/controllers';

const HOSPITAL = HOSPITAL_ROLES;
const MANAGERS = CONTRACTOR_MANAGERS;
const EVERYONE = TENANT_PEOPLE;

/** Nominative accounts (R-ART28), their scope (R-ART31), departures (R-ART35) and incidents (R-ART5). */
@BearerController('accounts', 'v1')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly decisions: AccountDecisions,
    private readonly scopes: ScopesService,
    private readonly departures: DeparturesService,
    private readonly incidents: IncidentsService,
    private readonly reinstatement: ReinstatementService,
  ) {}

  @Post('contractors/:id/accounts') @Allow(Role.Dsi, ...MANAGERS) @ApiCreatedResponse({ type: AccountView })
  request(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RequestAccountDto): Promise<AccountView> {
    return this.accounts.request(p, id, body);
  }

  @Get('contractors/:id/accounts') @Allow(...EVERYONE) @ApiOkResponse({ type: PageOf(AccountView) })
  list(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Query() q: AccountsQuery): Promise<Page<AccountView>> {
    return this.accounts.list(p, { contractorId: id, status: q.status }, q);
  }

  /** Read like one company's list: contractor people get their own company's (staff: their own account). */
  @Get('accounts') @Allow(...EVERYONE) @ApiOkResponse({ type: PageOf(AccountView) })
  @ApiOperation({
    summary: "The tenant's accounts, by name or oldest request first (`?status=requested&order=oldest`: what waits for the DSI), " +
      'optionally of one company, in one status',
  })
  listAll(@CurrentPrincipal() p: UserPrincipal, @Query() q: TenantAccountsQuery): Promise<Page<AccountView>> {
    return this.accounts.list(p, { contractorId: q.contractorId, status: q.status, ids: q.id }, q, q.order);
  }

  @Get('accounts/:id') @Allow(...EVERYONE) @ApiOkResponse({ type: AccountView })
  get(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return this.accounts.get(p, id);
  }

  @Get('accounts/:id/readiness') @Allow(Role.Dsi, Role.Rssi, ...MANAGERS, Role.Staff) @ApiOkResponse({ type: ReadinessView })
  readiness(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string) {
    return this.decisions.readinessOf(p, id);
  }

  @Post('accounts/:id/approve') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: AccountView })
  approve(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return this.decisions.approve(p, id);
  }

  @Post('accounts/:id/reject') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: AccountView })
  reject(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto): Promise<AccountView> {
    return this.decisions.reject(p, id, body.reason);
  }

  @Post('accounts/:id/activate') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: AccountView })
  activate(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return this.decisions.activate(p, id);
  }

  @Post('accounts/:id/suspend') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: AccountView })
  suspend(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: SuspendDto): Promise<AccountView> {
    return this.decisions.suspend(p, id, body.reason, body.resumeOn);
  }

  @Post('accounts/:id/resume') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: AccountView })
  resume(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<AccountView> {
    return this.decisions.resume(p, id);
  }

  @Post('accounts/:id/convention') @Allow(Role.Dsi,
    ...MANAGERS) @ApiConsumes('multipart/form-data') @ApiCreatedResponse({ type: SignatureView })
  @ApiBody(multipartSchema({
    documentId: { type: 'string', format: 'uuid' }, signerFirstName: { type: 'string' }, signerLastName: { type: 'string' },
    signerFunction: { type: 'string' }, signedOn: { type: 'string', format: 'date' }, allPagesInitialled: { type: 'boolean' },
  }, ['documentId', 'signerFirstName', 'signerLastName', 'signedOn', 'allPagesInitialled']))
  async convention(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest): Promise<SignatureView> {
    const { body, file } = await readMultipart(req, ConventionFields, MAX_PDF_BYTES);
    return this.accounts.submitConvention(p, id, { ...body, signerFunction: body.signerFunction ?? 'Intervenant', file });
  }

  @Post('accounts/:id/habilitations') @Allow(Role.Dsi, Role.SecurityContact,
    Role.SecurityDeputy) @ApiCreatedResponse({ type: HabilitationView })
  requestHabilitation(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RequestHabilitationDto): Promise<HabilitationView> {
    return this.scopes.request(p, id, body);
  }

  @Get('accounts/:id/habilitations') @Allow(...EVERYONE) @ApiOkResponse({ type: PageOf(HabilitationView) })
  habilitations(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Query() q: HabilitationsQuery): Promise<Page<HabilitationView>> {
    return this.scopes.list(p, id, { status: q.status }, q);
  }

  @Get('habilitations') @Allow(...EVERYONE) @ApiOkResponse({ type: PageOf(HabilitationView) })
  @ApiOperation({
    summary: "The tenant's habilitations, oldest request first (`?status=requested`: what waits for the DSI), " +
      "optionally of one company's accounts",
  })
  tenantHabilitations(@CurrentPrincipal() p: UserPrincipal, @Query() q: TenantHabilitationsQuery): Promise<Page<HabilitationView>> {
    return this.scopes.listTenant(p, { status: q.status, contractorId: q.contractorId }, q);
  }

  @Post('habilitations/:id/approve') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: HabilitationView })
  approveHabilitation(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<HabilitationView> {
    return this.scopes.approve(p, id);
  }

  @Post('habilitations/:id/reject') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: HabilitationView })
  rejectHabilitation(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto): Promise<HabilitationView> {
    return this.scopes.reject(p, id, body.reason);
  }

  @Post('habilitations/:id/revoke') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: HabilitationView })
  revokeHabilitation(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto): Promise<HabilitationView> {
    return this.scopes.revoke(p, id, body.reason);
  }

  @Post('resources') @Allow(Role.Dsi) @ApiCreatedResponse({ type: ResourceView })
  createResource(@CurrentPrincipal() p: UserPrincipal, @Body() body: CreateResourceDto): Promise<ResourceView> {
    return this.scopes.createResource(p, body);
  }

  @Get('resources') @Allow(...EVERYONE) @ApiOkResponse({ type: PageOf(ResourceView) })
  resources(@CurrentPrincipal() p: UserPrincipal, @Query() q: ResourcesQuery): Promise<Page<ResourceView>> {
    return this.scopes.listResources(p, { kind: q.kind, criticality: q.criticality }, q);
  }

  @Post('contractors/:id/departures') @Allow(Role.Dsi, ...MANAGERS) @ApiCreatedResponse({ type: DepartureView })
  depart(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: DepartureDto): Promise<DepartureView> {
    return this.departures.declare(p, id, body);
  }

  @Get('contractors/:id/departures') @Allow(...HOSPITAL, ...MANAGERS) @ApiOkResponse({ type: PageOf(DepartureView) })
  departuresOf(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQuery): Promise<Page<DepartureView>> {
    return this.departures.list(p, id, q);
  }

  @Post('accounts/:id/reinstate') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: AccountView })
  @ApiOperation({
    summary: 'R-ART35 R-INT: the DSI reinstates a person after a departure (audited, e-mailed to the RSSI, ' +
      '`account.reinstated` webhook); 409 ACCOUNT_NOT_DEPARTED otherwise',
  })
  reinstate(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReasonDto): Promise<AccountView> {
    return this.reinstatement.reinstate(p, id, body.reason);
  }

  /** Everyone but the auditor, who is read-only (a compromise report suspends an account). */
  @Post('incidents') @Allow(Role.Dsi, Role.Rssi, Role.Referent, ...MANAGERS, Role.Staff) @ApiCreatedResponse({ type: IncidentView })
  report(@CurrentPrincipal() p: UserPrincipal, @Body() body: IncidentDto): Promise<IncidentView> {
    return this.incidents.report(p, body);
  }

  @Get('incidents') @Allow(...EVERYONE) @ApiOkResponse({ type: PageOf(IncidentView) })
  incidentsList(@CurrentPrincipal() p: UserPrincipal, @Query() q: IncidentsQuery): Promise<Page<IncidentView>> {
    return this.incidents.list(p, { kind: q.kind, contractorId: q.contractorId, accountId: q.accountId }, q);
  }
}
