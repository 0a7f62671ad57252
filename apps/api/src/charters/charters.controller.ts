import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DocumentsService, DocumentView, SignaturesService, SignatureView } from '@app/charters';
import { CONTRACTOR_MANAGERS, HOSPITAL_ROLES, MAX_PDF_BYTES, Page, PageOf, Role, TENANT_PEOPLE, UserPrincipal } from '@app/core';
import { Allow, CurrentPrincipal } from '@app/identity';
import { readMultipart, sendFile } from '../common/multipart';
import { PDF_FILE } from '../common/responses';
import {
  DocumentsQuery, multipartSchema, RejectDto, SignatureFields, SignaturesQuery, TenantSignaturesQuery, UploadDocumentFields,
} from './charters.dto';
import { BearerController } from '../common/controllers';

const EVERYONE = TENANT_PEOPLE;
const READERS_OF_SIGNATURES = [...HOSPITAL_ROLES, ...CONTRACTOR_MANAGERS];

/** R-ART2: the establishment's documents and the contractors' signatures of them. */
@BearerController('charters', 'v1')
export class ChartersController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly signatures: SignaturesService,
  ) {}

  @Post('documents') @Allow(Role.Dsi) @ApiConsumes('multipart/form-data') @ApiCreatedResponse({ type: DocumentView })
  @ApiBody(multipartSchema({
    kind: { type: 'string', enum: ['charter', 'access_convention', 'rgpd_clauses', 'security_referential'] },
    title: { type: 'string' }, versionLabel: { type: 'string' }, effectiveOn: { type: 'string', format: 'date' },
    resignDeadline: { type: 'string', format: 'date' },
  }, ['kind', 'versionLabel', 'effectiveOn']))
  async upload(@CurrentPrincipal() p: UserPrincipal, @Req() req: FastifyRequest): Promise<DocumentView> {
    const { body, file } = await readMultipart(req, UploadDocumentFields, MAX_PDF_BYTES);
    return this.documents.upload(p, { ...body, file });
  }

  @Get('documents') @Allow(...EVERYONE) @ApiOkResponse({ type: PageOf(DocumentView) })
  list(@CurrentPrincipal() p: UserPrincipal, @Query() q: DocumentsQuery): Promise<Page<DocumentView>> {
    return this.documents.list(p, { kind: q.kind }, q);
  }

  @Get('documents/:id/file') @Allow(...EVERYONE) @ApiOkResponse(PDF_FILE)
  async documentFile(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply,
  ): Promise<void> {
    sendFile(reply, await this.documents.file(p, id));
  }

  @Post('documents/:id/withdraw') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: DocumentView })
  withdraw(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<DocumentView> {
    return this.documents.withdraw(p, id);
  }

  @Post('contractors/:id/signatures') @Allow(Role.Dsi, Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy)
  @ApiConsumes('multipart/form-data') @ApiCreatedResponse({ type: SignatureView })
  @ApiBody(multipartSchema({
    documentId: { type: 'string', format: 'uuid' }, signerFirstName: { type: 'string' }, signerLastName: { type: 'string' },
    signerFunction: { type: 'string' }, signedOn: { type: 'string', format: 'date' }, allPagesInitialled: { type: 'boolean' },
  }, ['documentId', 'signerFirstName', 'signerLastName', 'signerFunction', 'signedOn', 'allPagesInitialled']))
  async sign(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest,
  ): Promise<SignatureView> {
    const { body, file } = await readMultipart(req, SignatureFields, MAX_PDF_BYTES);
    return this.signatures.submit(p, id, { ...body, file });
  }

  @Get('contractors/:id/signatures') @Allow(...READERS_OF_SIGNATURES) @ApiOkResponse({ type: PageOf(SignatureView) })
  signaturesOf(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Query() q: SignaturesQuery,
  ): Promise<Page<SignatureView>> {
    return this.signatures.list(p, id, { status: q.status, documentId: q.documentId, accountId: q.accountId }, q);
  }

  @Get('signatures') @Allow(...READERS_OF_SIGNATURES) @ApiOkResponse({ type: PageOf(SignatureView) })
  @ApiOperation({ summary: "The tenant's signatures, oldest first: `?status=submitted` is what waits for the DSI (R-ART2)" })
  tenantSignatures(@CurrentPrincipal() p: UserPrincipal, @Query() q: TenantSignaturesQuery): Promise<Page<SignatureView>> {
    const { status, documentId, accountId, contractorId } = q;
    return this.signatures.listTenant(p, { status, documentId, accountId, contractorId }, q);
  }

  @Get('signatures/:id/file') @Allow(...READERS_OF_SIGNATURES) @ApiOkResponse(PDF_FILE)
  async signatureFile(
    @CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply,
  ): Promise<void> {
    sendFile(reply, await this.signatures.file(p, id));
  }

  @Post('signatures/:id/validate') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: SignatureView })
  validate(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string): Promise<SignatureView> {
    return this.signatures.validate(p, id);
  }

  @Post('signatures/:id/reject') @HttpCode(200) @Allow(Role.Dsi) @ApiOkResponse({ type: SignatureView })
  reject(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() body: RejectDto): Promise<SignatureView> {
    return this.signatures.reject(p, id, body.reason);
  }
}
