import { Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Role, UserPrincipal } from '@app/core';
import { EvidencePackService } from '@app/evidence';
import { Allow, CurrentPrincipal } from '@app/identity';
import { BearerController } from '../common/controllers';

const DESCRIPTION = [
  'One ZIP with everything an inspection asks about one contractor: identity, administrative and contacts history, prestations;',
  'every signed PDF as uploaded with its SHA-256 (recorded and recomputed) and its validation (who, when); accounts with their',
  'lifecycle from the audit trail, departures; habilitations; access reviews (with the certified evidence: CSV, JSON, printable',
  'HTML); interventions with every report version and their journal sessions; derogations; journal anomalies; incidents; and the',
  'audit-trail extract of this contractor with the verification of the whole chain. manifest.json (last entry) lists every other',
  'file with its SHA-256 and size, the generation time, who generated it, the tenant, the contractor and the chain verification;',
  'README.txt explains the contents in French.',
  '\n\nRoles: DSI, RSSI and auditors (the platform has no director-general role); another tenant\'s contractor is a 404.',
  'The request is audited (`contractor.evidence_requested`), and the SHA-256 of manifest.json once the pack is complete',
  '(`contractor.evidence_sealed`).',
  '\n\nLong operation: the answer is streamed as it is produced (files are read one at a time; nothing is built in memory), so',
  'it starts at once and lasts as long as the pack takes. An error found before the first byte is a problem+json; one after it',
  'cuts the download, and the truncated ZIP does not open as complete.',
].join(' ');

/** R-AUD: the auditor evidence pack of one contractor. */
@BearerController('audit', 'v1/contractors')
export class EvidenceController {
  constructor(private readonly evidence: EvidencePackService) {}

  @Get(':id/evidence') @Allow(Role.Dsi, Role.Rssi, Role.Auditor) @ApiProduces('application/zip')
  @ApiOperation({ summary: 'Download the evidence pack of a contractor (ZIP, streamed)', description: DESCRIPTION })
  @ApiOkResponse({ description: 'The ZIP archive', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } })
  async download(@CurrentPrincipal() p: UserPrincipal, @Param('id', ParseUUIDPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const pack = await this.evidence.open(p, id);
    reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${pack.filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .header('x-evidence-pack-id', pack.packId)
      .send(pack.stream);
  }
}
