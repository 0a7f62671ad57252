import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ContractorListService, GateService, GateView } from '@app/charters';
import {
  ChangeView, ContactsService, ContactView, ContractorsService, ContractorView, PrestationsService, PrestationView,
} from '@app/contractors';
import {
  CONTRACTOR_MANAGERS, HOSPITAL_ROLES, MAX_PDF_BYTES, Page, PageOf, PageQuery, Role, TENANT_PEOPLE, UserPrincipal,
} from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';
import { readMultipart, sendFile } from '../common/multipart';
import { PDF_FILE } from '../common/responses';
import {
  ContactsDto, ContractorListQuery, ContractorPage, CreateContractorDto, CreatePrestationDto, DeclareChangeDto, EndPrestationDto,
} from './contractors.dto';
import { BearerController } from '../common/controllers';

const HOSPITAL = HOSPITAL_ROLES;
const EVERYONE = TENANT_PEOPLE;


/** Contractor companies, contacts, history, prestations and the gate (R-ART2, 3, 4, 6, 10). */
@BearerController('contractors', 'v1')
export class ContractorsController {
  constructor(
    private readonly contractors: ContractorsService,
    private readonly contacts: ContactsService,
    private readonly prestations: PrestationsService,
    private readonly gate: GateService,
    private readonly contractorList: ContractorListService,
  ) {}

  @Post('contractors') @Allow(Role.Dsi, Role.LegalRep, Role.SecurityContact) @ApiCreatedResponse({ type: ContractorView })
  create(@CurrentPrincipal() p: UserPrincipal, @Body() body: CreateContractorDto): Promise<ContractorView> {
    return this.contractors.create(p, body);
  }

  @Get('contractors') @Allow(...EVERYONE) @ApiOkResponse({ type: ContractorPage })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: ContractorListQuery): Promise<ContractorPage> {
    return this.contractorList.list(p, q);
  }

  @Get('contractors/:id') @Allow(...EVERYONE) @ApiOkResponse({ type: ContractorView })
  get(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<ContractorView> {
    return this.contractors.get(p, id);
  }

  @Put('contractors/:id/contacts') @Allow(Role.Dsi, ...CONTRACTOR_MANAGERS) @ApiOkResponse({ type: [ContactView] })
  declareContacts(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ContactsDto,
  ): Promise<ContactView[]> {
    return this.contacts.declare(p, id, body);
  }

  @Get('contractors/:id/contacts') @Allow(...EVERYONE) @ApiOkResponse({ type: [ContactView] })
  listContacts(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<ContactView[]> {
    return this.contacts.list(p, id);
  }

  @Post('contractors/:id/changes') @Allow(Role.Dsi, ...CONTRACTOR_MANAGERS) @ApiCreatedResponse({ type: ChangeView })
  declareChange(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: DeclareChangeDto,
  ): Promise<ChangeView> {
    return this.contractors.declareChange(p, id, body.changes, body.effectiveDate);
  }

  @Get('contractors/:id/history') @Allow(...EVERYONE) @ApiOkResponse({ type: PageOf(ChangeView) })
  history(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQuery): Promise<Page<ChangeView>> {
    return this.contractors.history(p, id, q);
  }

  @Post('contractors/:id/prestations') @Allow(Role.Dsi) @ApiCreatedResponse({ type: PrestationView })
  createPrestation(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CreatePrestationDto,
  ): Promise<PrestationView> {
    return this.prestations.create(p, id, body);
  }

  @Get('contractors/:id/prestations') @Allow(...EVERYONE) @ApiOkResponse({ type: PageOf(PrestationView) })
  listPrestations(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQuery,
  ): Promise<Page<PrestationView>> {
    return this.prestations.list(p, id, q);
  }

  @Post('prestations/:id/end') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: PrestationView })
  endPrestation(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: EndPrestationDto,
  ): Promise<PrestationView> {
    return this.prestations.end(p, id, body?.reason);
  }

  @Post('prestations/:id/destruction-attestation') @HttpCode(200) @Allow(Role.Dsi, ...CONTRACTOR_MANAGERS)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'PDF' } } },
  })
  @ApiOkResponse({ type: PrestationView })
  async attest(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest,
  ): Promise<PrestationView> {
    const { file } = await readMultipart(req, null, MAX_PDF_BYTES);
    return this.prestations.attest(p, id, file);
  }

  @Get('prestations/:id/destruction-attestation') @Allow(...HOSPITAL, ...CONTRACTOR_MANAGERS) @ApiOkResponse(PDF_FILE)
  async attestation(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply,
  ): Promise<void> {
    sendFile(reply, await this.prestations.attestationFile(p, id));
  }

  @Get('contractors/:id/gate') @Allow(...EVERYONE) @ApiOkResponse({ type: GateView })
  gateOf(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<GateView> {
    return this.gate.forContractor(p, id);
  }
}
