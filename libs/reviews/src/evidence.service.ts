import { Injectable } from '@nestjs/common';
import { Clock, csvLine, slug, UserPrincipal } from '@app/core';
import { TenantCalendar, TenantsService } from '@app/identity';
import { ACCESS, EvidencePerson, EvidenceRow, EvidenceSummary, ITEM, LEVEL, SINCE } from './evidence-html';
import { ReviewErrors } from './errors';
import { ReviewReportsRepository } from './review-reports.repository';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsService } from './reviews.service';

const word = (map: Record<string, string>) => (value: string) => (value ? map[value] ?? value : '');
/** R-L10N: the CSV's French headers, and how each column's value reads in French (instants stay ISO 8601). */
const COLUMNS: [keyof EvidenceRow, string, ((value: string) => string)?][] = [
  ['company', 'Société'], ['person', 'Personne'], ['email', 'E-mail'], ['item', 'Élément', (v) => word(ITEM)(v).toLowerCase()],
  ['resource', 'Ressource'], ['accessType', 'Accès', word(ACCESS)], ['levelBefore', 'Niveau avant', word(LEVEL)],
  ['decision', 'Décision', word({ keep: 'conserver', change: 'modifier le niveau', remove: 'retirer' })],
  ['levelAfter', 'Niveau après', word(LEVEL)], ['attestedBy', 'Attesté par'], ['attestedAt', 'Attesté le'],
  ['overriddenByRssi', 'Corrigé par le RSSI', word({ yes: 'oui', no: 'non' })], ['certifiedBy', 'Certifié par'],
  ['certifiedAt', 'Certifié le'],
  ['sinceLastCampaign', 'Depuis la dernière revue', word(SINCE)], ['lastUsedAt', 'Dernière utilisation', (v) => v || 'jamais'],
];

/**
 * R-ART34 evidence: a certified campaign as a table (who, which access, who attested, who
 * certified, when, what changed), in CSV or JSON, for an auditor (HAS certification).
 */
@Injectable()
export class ReviewEvidence {
  constructor(
    private readonly repo: ReviewsRepository,
    private readonly reports: ReviewReportsRepository,
    private readonly reviews: ReviewsService,
    private readonly tenants: TenantsService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  async rows(principal: UserPrincipal, id: string): Promise<{ campaign: EvidenceCampaign; rows: EvidenceRow[] }> {
    const { campaign, rows } = await this.certified(principal, id);
    return { campaign: { id, contractor: campaign.contractor, dueOn: campaign.dueOn, certifiedAt: campaign.certifiedAt!.toISOString(),
      attestationStatement: campaign.attestationStatement },
      rows };
  }

  /** The rows plus what the printable page shows around them: who attested and certified, what left since the last review. */
  async summary(principal: UserPrincipal, id: string): Promise<EvidenceSummary> {
    const { campaign: c, rows } = await this.certified(principal, id);
    const people = await this.reports.people([c.submittedBy, c.certifiedBy]);
    const who = (userId: string | null): EvidencePerson | null => {
      const found = people.find((p) => p.id === userId);
      return found ? { name: found.name, email: found.email } : null;
    };
    const previous = await this.reports.previousCertified(c);
    const gone = previous ? await this.reports.goneSince(previous.id, id) : [];
    const tenant = await this.tenants.findById(c.tenantId);
    return {
      establishment: tenant?.name ?? '', timeZone: (await this.tenants.policyOf(c.tenantId)).businessHours.timezone,
      generatedAt: this.clock.now().toISOString(),
      campaign: {
        id, contractor: c.contractor, periodStart: c.periodStart.toISOString(), openedAt: c.openedAt.toISOString(), dueOn: c.dueOn,
        submittedAt: c.submittedAt?.toISOString() ?? null, submittedBy: who(c.submittedBy),
        attestationStatement: c.attestationStatement, certifiedAt: c.certifiedAt!.toISOString(),
        certifiedBy: who(c.certifiedBy),
      },
      rows,
      previous: previous ? { id: previous.id, certifiedAt: previous.certifiedAt.toISOString() } : null,
      goneSinceLast: gone.map(({ snapshot: s, kind }) => ({
        person: `${s.firstName} ${s.lastName}`, email: s.email ?? '', item: kind, resource: s.resource ?? '', level: s.level ?? '',
      })),
    };
  }

  toCsv(rows: EvidenceRow[]): string {
    const cells = (r: EvidenceRow) => COLUMNS.map(([key, , french]) => (french ? french(r[key]) : r[key]));
    return [csvLine(COLUMNS.map(([, header]) => header)), ...rows.map((r) => csvLine(cells(r)))].join('');
  }

  /** `revue-<company>-<date>`: the company's slug and the establishment's date today (R-ART34 evidence files). */
  async fileName(principal: UserPrincipal, id: string): Promise<string> {
    const campaign = await this.reviews.visible(principal, id, 'read');
    return `revue-${slug(await this.reports.legalName(campaign.contractorId))}-${await this.calendar.today(campaign.tenantId)}`;
  }

  private async certified(principal: UserPrincipal, id: string) {
    const found = await this.reviews.visible(principal, id, 'read');
    if (found.status !== 'certified') throw ReviewErrors.error('REVIEW_NOT_CERTIFIED');
    const campaign = { ...found, contractor: await this.reports.legalName(found.contractorId) };
    const items = await this.repo.items(id, true);
    const views = await this.reviews.itemViews(found, items);
    const people = await this.reports.people([found.certifiedBy, ...new Set(items.map((i) => i.decidedBy))]);
    const email = (userId: string | null) => people.find((p) => p.id === userId)?.email ?? '';
    const rows = views.map((i, index): EvidenceRow => {
      const s = i.snapshot as Record<string, string | null>;
      const decision = i.rssiDecision ?? i.decision ?? '';
      return {
        company: s.company ?? campaign.contractor, person: `${s.firstName} ${s.lastName}`, email: s.email ?? '', item: i.kind,
        resource: s.resource ?? '', accessType: s.accessType ?? '', levelBefore: s.level ?? '', decision,
        levelAfter: decision === 'remove' ? '' : (i.rssiLevel ?? i.newLevel ?? s.level ?? ''),
        attestedBy: email(items[index].decidedBy), attestedAt: i.decidedAt ?? '',
        overriddenByRssi: i.rssiDecision ? 'yes' : 'no', certifiedBy: email(found.certifiedBy),
        certifiedAt: found.certifiedAt!.toISOString(), sinceLastCampaign: i.sinceLastCampaign, lastUsedAt: i.lastUsedAt ?? '',
      };
    });
    return { campaign, rows };
  }
}

export interface EvidenceCampaign {
  id: string;
  contractor: string;
  dueOn: string;
  certifiedAt: string;
  attestationStatement: string | null;
}
