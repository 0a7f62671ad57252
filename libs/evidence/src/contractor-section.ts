import { Injectable } from '@nestjs/common';
import { sha256Hex } from '@app/core';
import { DocumentsService, DocumentView, GateService, SignaturesService, SignatureView } from '@app/charters';
import { ContactsService, ContractorsService, PrestationsService } from '@app/contractors';
import { InterventionsService } from '@app/interventions';
import { addTargets, allPages, PACK_DIRS, PackContext, PersonRef } from './pack-context';


/**
 * The company itself (R-ART3, R-ART4, R-ART6, R-ART10) and what it signed (R-ART2): identity,
 * administrative and contacts history, prestations, and every signed PDF as uploaded, checked
 * against the SHA-256 recorded when it was received, with who validated it and when.
 */
@Injectable()
export class ContractorSection {
  constructor(
    private readonly contractors: ContractorsService,
    private readonly contacts: ContactsService,
    private readonly prestations: PrestationsService,
    private readonly gate: GateService,
    private readonly interventions: InterventionsService,
    private readonly signatures: SignaturesService,
    private readonly documents: DocumentsService,
  ) {}

  async write(pack: PackContext): Promise<void> {
    await this.identity(pack);
    await this.history(pack);
    await this.prestationsOf(pack);
    await this.signed(pack);
  }

  private async identity(pack: PackContext): Promise<void> {
    const { principal, contractor } = pack;
    const prime = contractor.primeContractorId ? await this.contractors.get(principal, contractor.primeContractorId) : null;
    // R-ART4: the subcontractors it declared (the prime stays answerable for them).
    const family = await this.contractors.family({ tenantId: pack.tenantId }, contractor.id);
    const subcontractors = family.filter((c) => c.id !== contractor.id).map((c) => ({ id: c.id, legalName: c.legalName, siret: c.siret }));
    const referents = await this.interventions.referentsList(principal, contractor.id);
    await pack.archive.addJson(`${PACK_DIRS.contractor}/identite.json`, {
      contractor,
      primeContractor: prime && { id: prime.id, legalName: prime.legalName, siret: prime.siret },
      subcontractors,
      gateAtGeneration: await this.gate.forContractor(principal, contractor.id),
      referents: await Promise.all(referents.map(
        async (r) => (await pack.people.of(r.userId)) ?? { id: r.userId, name: '', email: r.email },
      )),
    }, "Identité du prestataire, donneur d'ordre et sous-traitants déclarés (Art. 4), état de l'accès au moment de la génération, "
      + 'référents désignés');
    addTargets(pack, 'contractor', [contractor.id]);
  }

  /** R-ART6: every declaration with its effective date and the values it replaced; contacts are declarations too (R-ART3). */
  private async history(pack: PackContext): Promise<void> {
    const changes = await allPages((page) => this.contractors.history(pack.principal, pack.contractor.id, page));
    const declared = await Promise.all(changes.map(async (c) => ({ ...c, declaredBy: await pack.people.of(c.declaredBy) })));
    await pack.archive.addJson(`${PACK_DIRS.contractor}/historique-administratif.json`, declared.filter((c) => c.kind !== 'contacts'),
      'Historique administratif (Art. 6): création, changements de raison sociale, adresse, SIRET, avec date d\'effet et valeurs '
        + 'remplacées');
    const current = await this.contacts.list(pack.principal, pack.contractor.id);
    await pack.archive.addJson(`${PACK_DIRS.contractor}/contacts.json`, {
      current,
      history: declared.filter((c) => c.kind === 'contacts'),
    }, 'Contacts (Art. 3, section 8): représentant légal, interlocuteur sécurité, suppléant, RSSI; chaque déclaration avec les '
      + 'contacts remplacés');
    pack.counts.contactDeclarations = declared.filter((c) => c.kind === 'contacts').length;
    addTargets(pack, 'user', current.map((c) => c.userId));
  }

  /** R-ART10: prestations, their end, and the sworn data-destruction attestation as received. */
  private async prestationsOf(pack: PackContext): Promise<void> {
    const prestations = await allPages((page) => this.prestations.list(pack.principal, pack.contractor.id, page));
    const rows = [];
    for (const p of prestations) {
      let attestationFile: { path: string; sha256: string; matchesRecordedHash: boolean } | null = null;
      if (p.attestationSha256) {
        const file = await this.prestations.attestationFile(pack.principal, p.id);
        const written = await pack.archive.add(`${PACK_DIRS.signed}/attestations-destruction/${p.id}.pdf`, file.content, {
          contentType: 'application/pdf', description: `Attestation sur l'honneur de destruction des données, prestation « ${p.title} `
            + `» (Art. 10)`,
        });
        attestationFile = { path: written.path, sha256: written.sha256, matchesRecordedHash: written.sha256 === p.attestationSha256 };
      }
      rows.push({ ...p, attestationFile });
    }
    await pack.archive.addJson(`${PACK_DIRS.contractor}/prestations.json`, rows,
      'Prestations: mode d\'accès, sous-traitance RGPD, dates, fin et attestation de destruction des données (Art. 10)');
    pack.counts.prestations = prestations.length;
    addTargets(pack, 'prestation', prestations.map((p) => p.id));
  }

  /**
   * R-ART2: each signature with the signed file itself. The SHA-256 is computed again over the bytes
   * put in the pack and compared with the one recorded at upload: a file changed in storage shows.
   */
  private async signed(pack: PackContext): Promise<void> {
    const signatures = await allPages((page) => this.signatures.list(pack.principal, pack.contractor.id, {}, page));
    const documents = new Map<string, DocumentView>();
    const rows = [];
    for (const s of [...signatures].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt))) {
      if (!documents.has(s.documentId)) documents.set(s.documentId, await this.documents.view(pack.principal, s.documentId));
      const document = documents.get(s.documentId)!;
      const file = await this.signatures.file(pack.principal, s.id);
      const written = await pack.archive.add(`${PACK_DIRS.signed}/${document.kind}_${s.id}.pdf`, file.content, {
        contentType: 'application/pdf',
        description: `${document.title} ${document.versionLabel} signé par ${s.signerFirstName} ${s.signerLastName} le ${s.signedOn} `
          + `(fichier tel que déposé)`,
      });
      rows.push(signatureEntry(s, document, await pack.people.of(s.decidedBy), written.path, sha256Hex(file.content)));
    }
    await pack.archive.addJson(`${PACK_DIRS.signed}/signatures.json`, rows,
      'Signatures (Art. 2): document et version, signataire, date, paraphe de toutes les pages, SHA-256 enregistré et recalculé, '
        + 'validation ou rejet (qui, quand, motif)');
    await pack.archive.addCsv(`${PACK_DIRS.signed}/signatures.csv`, SIGNATURE_COLUMNS, rows.map(signatureCsvRow),
      'Signatures, vue tableur');
    pack.counts.signatures = rows.length;
    pack.counts.signedFiles = rows.length;
    addTargets(pack, 'signature', rows.map((r) => r.id));
  }
}

function signatureEntry(s: SignatureView, document: DocumentView, decidedBy: PersonRef | null, path: string, packedSha256: string) {
  return {
    id: s.id,
    document: {
      id: document.id, kind: document.kind, title: document.title, versionLabel: document.versionLabel, effectiveOn: document.effectiveOn,
      sha256: document.sha256,
    },
    accountId: s.accountId,
    signer: { firstName: s.signerFirstName, lastName: s.signerLastName, function: s.signerFunction },
    signedOn: s.signedOn,
    allPagesInitialled: s.allPagesInitialled,
    uploadedFilename: s.filename,
    recordedSha256: s.sha256,
    size: s.size,
    submittedAt: s.submittedAt,
    status: s.status,
    decidedAt: s.decidedAt,
    decidedBy,
    rejectReason: s.rejectReason,
    file: { path, sha256: packedSha256, matchesRecordedHash: packedSha256 === s.sha256 },
  };
}

const SIGNATURE_COLUMNS = [
  'id', 'document', 'version', 'kind', 'accountId', 'signer', 'signerFunction', 'signedOn', 'allPagesInitialled', 'status', 'submittedAt',
  'decidedAt', 'decidedBy', 'rejectReason', 'sha256', 'matchesRecordedHash', 'file',
] as const;

function signatureCsvRow(r: ReturnType<typeof signatureEntry>): Record<string, unknown> {
  const { decidedBy } = r;
  return {
    id: r.id, document: r.document.title, version: r.document.versionLabel, kind: r.document.kind, accountId: r.accountId,
    signer: `${r.signer.firstName} ${r.signer.lastName}`, signerFunction: r.signer.function, signedOn: r.signedOn,
    allPagesInitialled: r.allPagesInitialled, status: r.status, submittedAt: r.submittedAt, decidedAt: r.decidedAt,
    decidedBy: decidedBy ? `${decidedBy.name} <${decidedBy.email}>` : null, rejectReason: r.rejectReason, sha256: r.recordedSha256,
    matchesRecordedHash: r.file.matchesRecordedHash, file: r.file.path,
  };
}
