import { Injectable } from '@nestjs/common';
import { AccountsService, DeparturesService, IncidentsService, ResourceView, ScopesService } from '@app/accounts';
import { DerogationsService } from '@app/derogations';
import { AuditExtract } from './audit-extract';
import { addTargets, allPages, PACK_DIRS, PackContext } from './pack-context';


/**
 * Who had access and how (R-ART28, R-ART31, R-ART35, R-ART5, R-ART16-27): nominative accounts with
 * their lifecycle read from the audit trail, departures, habilitations with the catalogue entry
 * they open, the derogations the DSI granted, and the incidents reported about the company.
 */
@Injectable()
export class AccessSection {
  constructor(
    private readonly accounts: AccountsService,
    private readonly scopes: ScopesService,
    private readonly departures: DeparturesService,
    private readonly incidents: IncidentsService,
    private readonly derogations: DerogationsService,
    private readonly extract: AuditExtract,
  ) {}

  async write(pack: PackContext): Promise<void> {
    const { principal, contractor, archive } = pack;
    const accounts = await allPages((page) => this.accounts.list(principal, { contractorId: contractor.id }, page));
    const accountLives = await this.extract.lifecycles(pack.tenantId, 'account', accounts.map((a) => a.id), pack.upToSeq);
    await archive.addJson(`${PACK_DIRS.accounts}/comptes.json`, accounts.map((a) => ({ ...a, lifecycle: accountLives.get(a.id) ?? [] })),
      'Comptes nominatifs (Art. 28-30) et leur cycle de vie: demande, approbation, activation, suspension, reprise, désactivation, '
        + 'avec auteur et motif (journal d\'audit)');
    const accountRows = accounts.map((a) => ({ ...a, transitions: accountLives.get(a.id)?.length ?? 0 }));
    await archive.addCsv(`${PACK_DIRS.accounts}/comptes.csv`, ACCOUNT_COLUMNS, accountRows,
      'Comptes, vue tableur');
    const departures = await allPages((page) => this.departures.list(principal, contractor.id, page));
    await archive.addJson(`${PACK_DIRS.accounts}/departs.json`, departures, 'Départs déclarés par écrit (Art. 35): personne, date de '
      + 'désactivation demandée, date d\'application');
    pack.counts.accounts = accounts.length;
    pack.counts.departures = departures.length;
    addTargets(pack, 'account', accounts.map((a) => a.id));
    addTargets(pack, 'user', accounts.map((a) => a.userId));

    const resources = new Map<string, ResourceView>();
    for (const r of await allPages((page) => this.scopes.listResources(principal, {}, page))) resources.set(r.id, r);
    const habilitations = [];
    for (const account of accounts) {
      for (const h of await allPages((page) => this.scopes.list(principal, account.id, {}, page))) {
        const person = { id: account.id, name: `${account.firstName} ${account.lastName}`, email: account.email };
        habilitations.push({ ...h, account: person, resource: resources.get(h.resourceId) ?? null });
      }
    }
    const scopeLives = await this.extract.lifecycles(pack.tenantId, 'habilitation', habilitations.map((h) => h.id), pack.upToSeq);
    const withLives = habilitations.map((h) => ({ ...h, lifecycle: scopeLives.get(h.id) ?? [] }));
    await archive.addJson(`${PACK_DIRS.scope}/habilitations.json`, withLives,
      'Habilitations (Art. 31): ressource et criticité, accès distant ou sur site, niveau, fin, décision du DSI, historique');
    await archive.addCsv(`${PACK_DIRS.scope}/habilitations.csv`, SCOPE_COLUMNS, habilitations.map((h) => ({
      id: h.id, account: h.account.name, email: h.account.email, resource: h.resource?.name ?? h.resourceId,
      criticality: h.resource?.criticality,
      accessType: h.accessType, level: h.level, endsOn: h.endsOn, status: h.status, inForce: h.inForce, requestedAt: h.requestedAt,
      decidedAt: h.decidedAt, reason: h.reason,
    })), 'Habilitations, vue tableur');
    pack.counts.habilitations = habilitations.length;
    addTargets(pack, 'habilitation', habilitations.map((h) => h.id));

    // R-ART16-27: those granted to this company, and the establishment-wide ones that cover it too.
    const own = await allPages((page) => this.derogations.list(principal, { contractorId: contractor.id }, page));
    const everyone = (await allPages((page) => this.derogations.list(principal, {}, page))).filter((d) => d.contractorId === null);
    const withAuthor = (list: typeof own) => Promise.all(list.map(async (d) => ({ ...d, author: await pack.people.of(d.authorId) })));
    const derogations = { contractor: await withAuthor(own), establishmentWide: await withAuthor(everyone) };
    await archive.addJson(`${PACK_DIRS.derogations}/derogations.json`, derogations,
      'Dérogations écrites du DSI (Art. 16, 27, 30, 40): objet, justification, auteur, validité, révocation; propres au prestataire '
        + 'et générales à l\'établissement');
    pack.counts.derogations = own.length;
    addTargets(pack, 'derogation', own.map((d) => d.id));

    const incidents = await allPages((page) => this.incidents.list(principal, { contractorId: contractor.id }, page));
    const reported = await Promise.all(incidents.map(async (i) => ({ ...i, reporter: await pack.people.of(i.reportedBy) })));
    await archive.addJson(`${PACK_DIRS.incidents}/incidents.json`, reported,
      'Menaces, vulnérabilités, vols et compromissions signalés (Art. 5, 33), et suspension immédiate du compte compromis');
    pack.counts.incidents = incidents.length;
    addTargets(pack, 'incident', incidents.map((i) => i.id));
  }
}

const ACCOUNT_COLUMNS = [
  'id', 'lastName', 'firstName', 'email', 'phone', 'shared', 'status', 'requestedAt', 'approvedAt', 'activatedAt', 'suspendedAt',
  'suspensionKind', 'suspensionReason', 'resumeOn', 'deactivatedAt', 'deactivationReason', 'transitions',
] as const;

const SCOPE_COLUMNS = [
  'id', 'account', 'email', 'resource', 'criticality', 'accessType', 'level', 'endsOn', 'status', 'inForce', 'requestedAt', 'decidedAt',
  'reason',
] as const;
