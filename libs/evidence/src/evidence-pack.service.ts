import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { actorOf, AuditService, Clock, slug, UserPrincipal, VerifyResult } from '@app/core';
import { ContractorsService, ContractorView } from '@app/contractors';
import { PeopleService, TenantCalendar, TenantsService } from '@app/identity';
import { AuditExtract, AuditTarget, emptyStats, ExtractStats } from './audit-extract';
import { EvidenceArchive } from './evidence-archive';
import { PACK_DIRS, PackContext, People } from './pack-context';
import { readmeText } from './readme';

export const EVIDENCE_FORMAT = 'prestagate-evidence-pack/1';

/** One part of the pack (the contractor, its access, its activity), written in this order. */
export interface PackSection {
  write(pack: PackContext): Promise<void>;
}

export const PACK_SECTIONS = Symbol('PACK_SECTIONS');

export interface EvidenceDownload {
  packId: string;
  filename: string;
  /** The ZIP, produced while the client reads it. */
  stream: Readable;
}

/**
 * R-AUD for an inspection: one ZIP with all the platform holds about a contractor and its audit-trail extract, read
 * with the caller's rights; audited when asked and when sealed (docs/adr/evidence-pack.md).
 */
@Injectable()
export class EvidencePackService {
  private readonly log = new Logger('EvidencePack');

  constructor(
    private readonly contractors: ContractorsService,
    private readonly tenants: TenantsService,
    private readonly users: PeopleService,
    private readonly audit: AuditService,
    private readonly extract: AuditExtract,
    @Inject(PACK_SECTIONS) private readonly sections: PackSection[],
    private readonly clock: Clock,
    private readonly calendar: TenantCalendar,
  ) {}

  /**
   * Checks access and audits the request, then answers the stream at once. A later failure can only cut the download
   * short (the status line is gone): it is logged, and the truncated ZIP does not open as complete.
   */
  async open(principal: UserPrincipal, contractorId: string): Promise<EvidenceDownload> {
    // The access rule: another tenant's contractor (or none) is "not found"; the route admits DSI, RSSI and auditors only.
    const contractor = await this.contractors.get(principal, contractorId);
    const tenantId = principal.tenantId!;
    const packId = randomUUID();
    const generatedAt = this.clock.now();
    await this.audit.record({
      tenantId, actor: actorOf(principal), action: 'contractor.evidence_requested', targetType: 'contractor', targetId: contractor.id,
      after: { packId, generatedAt: generatedAt.toISOString() },
    });
    const archive = new EvidenceArchive(generatedAt);
    this.produce(principal, contractor, archive, packId, generatedAt).catch((error: Error) => {
      this.log.warn({ packId, contractorId, err: error.message }, 'Evidence pack not completed');
      archive.abort(error);
    });
    const filename = `preuves-${slug(contractor.legalName)}-${await this.calendar.dayOf(tenantId, generatedAt)}.zip`;
    return { packId, filename, stream: archive.stream };
  }

  private async produce(
    principal: UserPrincipal, contractor: ContractorView, archive: EvidenceArchive, packId: string, generatedAt: Date,
  ): Promise<void> {
    const tenantId = principal.tenantId!;
    const tenant = await this.tenants.findById(tenantId);
    const timeZone = (await this.tenants.policyOf(tenantId)).businessHours.timezone;
    const people = new People(this.users, tenantId);
    const generator = await people.of(principal.userId);
    await archive.add('README.txt', readmeText({
      packId, establishment: tenant?.name ?? '', timeZone, contractor, generatedAt,
      generatedBy: { name: generator?.name ?? '', email: principal.email, roles: principal.roles },
    }), {
      contentType: 'text/plain; charset=utf-8', description: 'Présentation du dossier pour l\'inspecteur (contenu, vérification)',
    });

    // The whole chain is verified first; every audit read of the pack stops at what was verified.
    const verification = await this.extract.verify(tenantId);
    const verifiedAt = this.clock.now().toISOString();
    const pack: PackContext = {
      principal, tenantId, contractor, archive, people, counts: {}, auditTargets: [],
      upToSeq: verification.ok ? verification.checked : Number.MAX_SAFE_INTEGER,
    };
    for (const section of this.sections) await section.write(pack);
    const stats = await this.auditExtract(pack, verification, verifiedAt);

    const manifest = Buffer.from(`${JSON.stringify({
      format: EVIDENCE_FORMAT,
      packId,
      generatedAt: generatedAt.toISOString(),
      generatedBy: { userId: principal.userId, name: generator?.name ?? '', email: principal.email, roles: principal.roles },
      tenant: { id: tenantId, name: tenant?.name ?? '' },
      contractor: { id: contractor.id, legalName: contractor.legalName, siret: contractor.siret },
      auditChain: { ...verification, verifiedAt, extract: stats },
      counts: { ...pack.counts, auditEvents: stats.events, files: archive.files.length },
      files: archive.files,
    }, null, 2)}\n`, 'utf8');
    await this.audit.record({
      tenantId, actor: actorOf(principal), action: 'contractor.evidence_sealed', targetType: 'contractor', targetId: contractor.id,
      after: { packId, manifestSha256: createHash('sha256').update(manifest).digest('hex'), files: archive.files.length },
    });
    await archive.finish(manifest);
  }

  /** R-AUD: the events of every object the pack holds, and of whatever names the contractor, streamed in chain order. */
  private async auditExtract(pack: PackContext, verification: VerifyResult, verifiedAt: string): Promise<ExtractStats> {
    const mentioning = await this.extract.mentioning(pack.tenantId, pack.contractor.id, pack.upToSeq);
    const targets = dedupe([...pack.auditTargets, ...mentioning]);
    const stats = emptyStats();
    await pack.archive.addChunks(`${PACK_DIRS.audit}/evenements.json`, this.extract.json(pack.tenantId, targets, pack.upToSeq, stats), {
      contentType: 'application/json',
      description: 'Extrait du journal d\'audit: les événements de ce prestataire et de ses objets, dans l\'ordre de la chaîne, '
        + 'avec leurs empreintes',
    });
    await pack.archive.addJson(`${PACK_DIRS.audit}/verification.json`, { chain: verification, verifiedAt, extract: stats },
      'Vérification de la chaîne d\'audit de l\'établissement au moment de la génération, et contrôle des empreintes de l\'extrait');
    return stats;
  }
}

function dedupe(targets: AuditTarget[]): AuditTarget[] {
  const seen = new Map(targets.map((t) => [`${t.type}\u0000${t.id}`, t]));
  return [...seen.values()];
}
