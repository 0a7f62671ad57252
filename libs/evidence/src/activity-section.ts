import { Injectable } from '@nestjs/common';
import { InterventionsService, ReportsService } from '@app/interventions';
import { AnomaliesService } from '@app/journal';
import { renderEvidenceHtml, ReviewEvidence, ReviewsService } from '@app/reviews';
import { AuditExtract } from './audit-extract';
import { addTargets, allPages, PACK_DIRS, PackContext } from './pack-context';


/**
 * What the contractor did with its access and how it was checked: annual reviews (R-ART34), intervention windows with
 * their reports and linked sessions (R-ART36, R-ART42, Art. 44), and the anomalies found (R-ART41).
 */
@Injectable()
export class ActivitySection {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly reviewEvidence: ReviewEvidence,
    private readonly interventions: InterventionsService,
    private readonly reports: ReportsService,
    private readonly anomalies: AnomaliesService,
    private readonly extract: AuditExtract,
  ) {}

  async write(pack: PackContext): Promise<void> {
    await this.reviewsOf(pack);
    await this.interventionsOf(pack);
    await this.anomaliesOf(pack);
  }

  /** R-ART34: each campaign with its items; a certified one also as the reviews library exports it (CSV, JSON, printable page). */
  private async reviewsOf(pack: PackContext): Promise<void> {
    const { principal, archive } = pack;
    const campaigns = [];
    for (const listed of await allPages((page) => this.reviews.list(principal, { contractorId: pack.contractor.id }, page))) {
      const campaign = await this.reviews.get(principal, listed.id);
      let evidence: string[] = [];
      if (campaign.status === 'certified') {
        const dir = `${PACK_DIRS.reviews}/${campaign.id}`;
        const { rows, campaign: head } = await this.reviewEvidence.rows(principal, campaign.id);
        evidence = [
          (await archive.add(`${dir}/preuve.csv`, this.reviewEvidence.toCsv(rows), {
            contentType: 'text/csv; charset=utf-8', description: `Revue d'accès certifiée du ${campaign.certifiedAt}: preuve, vue `
              + `tableur (Art. 34)`,
          })).path,
          (await archive.addJson(`${dir}/preuve.json`, { campaign: head, rows }, 'Revue d\'accès certifiée: preuve (qui, quel accès, '
            + 'quel niveau, qui a attesté, qui a certifié, quand)')).path,
          (await archive.add(`${dir}/synthese.html`, renderEvidenceHtml(await this.reviewEvidence.summary(principal, campaign.id)), {
            contentType: 'text/html; charset=utf-8', description: 'Revue d\'accès certifiée: synthèse imprimable (HAS), autonome, '
              + 'sans script',
          })).path,
        ];
      }
      campaigns.push({ ...campaign, evidence });
    }
    await archive.addJson(`${PACK_DIRS.reviews}/campagnes.json`, campaigns,
      'Campagnes de revue annuelle des accès (Art. 34): éléments attestés personne par personne, décisions, certification par le RSSI');
    pack.counts.reviews = campaigns.length;
    pack.counts.certifiedReviews = campaigns.filter((c) => c.status === 'certified').length;
    addTargets(pack, 'review', campaigns.map((c) => c.id));
  }

  /** R-ART36, R-ART42: windows, who decided them (audit trail), every report version, and the journal's sessions inside them. */
  private async interventionsOf(pack: PackContext): Promise<void> {
    const { principal, archive } = pack;
    const windows = await allPages((page) => this.interventions.list(principal, { contractorId: pack.contractor.id }, page));
    const lives = await this.extract.lifecycles(pack.tenantId, 'intervention', windows.map((w) => w.id), pack.upToSeq);
    const rows = [];
    let reportVersions = 0;
    for (const w of windows) {
      const dir = `${PACK_DIRS.interventions}/${w.id}`;
      const versions = await this.reports.versions(principal, w.id);
      const sessions = await allPages((page) => this.anomalies.connections(principal, w.id, page), 500);
      const reports = versions.length ? (await archive.addJson(`${dir}/rapports.json`,
        await Promise.all(versions.map(async (v) => ({ ...v, submittedBy: await pack.people.of(v.submittedBy) }))),
        `Rapports d'intervention (Art. 42-43), toutes les versions: une correction est une nouvelle version, les précédentes `
          + `restent`)).path : null;
      const connections = sessions.length ? (await archive.addJson(`${dir}/connexions.json`, sessions,
        'Connexions du journal rattachées à cette intervention, avec la référence d\'enregistrement de session (Art. 41, 44)')).path : null;
      reportVersions += versions.length;
      rows.push({
        ...w, lifecycle: lives.get(w.id) ?? [], reportVersions: versions.length, sessions: sessions.length, files: { reports, connections },
      });
    }
    await archive.addJson(`${PACK_DIRS.interventions}/interventions.json`, rows,
      'Fenêtres d\'intervention (Art. 36-39): comptes, ressources, créneau, nature, risques, impact, urgence, décision (qui, quand), '
        + 'rapports et connexions');
    await archive.addCsv(`${PACK_DIRS.interventions}/interventions.csv`, INTERVENTION_COLUMNS, rows.map((r) => ({
      ...r, decidedBy: r.lifecycle.filter((t) => /approved|rejected/.test(t.action)).map((t) => t.actor.label ?? t.actor.id).join('; '),
    })), 'Interventions, vue tableur');
    pack.counts.interventions = windows.length;
    pack.counts.reportVersions = reportVersions;
    addTargets(pack, 'intervention', windows.map((w) => w.id));
  }

  /** R-ART41: connections outside a window or scope, by an inactive account, failed-login bursts. */
  private async anomaliesOf(pack: PackContext): Promise<void> {
    const found = await allPages((page) => this.anomalies.list(pack.principal, { contractorId: pack.contractor.id, ...page }), 500);
    await pack.archive.addJson(`${PACK_DIRS.anomalies}/anomalies.json`, found,
      'Anomalies du journal des connexions (Art. 41): hors fenêtre, hors périmètre, compte inactif, rafale d\'échecs; texte '
        + 'explicatif en français');
    await pack.archive.addCsv(`${PACK_DIRS.anomalies}/anomalies.csv`, ANOMALY_COLUMNS, found, 'Anomalies, vue tableur');
    pack.counts.anomalies = found.length;
  }
}

const INTERVENTION_COLUMNS = [
  'id', 'status', 'emergency', 'emergencyReview', 'startsAt', 'endsAt', 'nature', 'risks', 'availabilityImpact', 'changesSettings',
  'changesData', 'accountIds', 'resourceIds', 'requestedAt', 'decidedAt', 'decidedBy', 'decisionReason', 'cancelledAt', 'startedAt',
  'reportDueOn', 'reportFiledAt',
  'reportVersions', 'sessions',
] as const;

const ANOMALY_COLUMNS = [
  'id', 'kind', 'startedAt', 'detectedAt', 'accountRef', 'accountId', 'resourceRef', 'resourceId', 'sourceIp', 'gatewayEventId',
  'connectionId', 'detail',
] as const;
