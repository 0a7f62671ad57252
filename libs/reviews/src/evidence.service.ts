import { Injectable } from '@nestjs/common';
import { Clock, ConflictError, Db, UserPrincipal } from '@app/core';
import { TenantsService } from '@app/identity';
import { EvidencePerson, EvidenceRow, EvidenceSummary } from './evidence-html';
import { ReviewsService } from './reviews.service';

const COLUMNS: (keyof EvidenceRow)[] = [
  'company', 'person', 'email', 'item', 'resource', 'accessType', 'levelBefore', 'decision', 'levelAfter', 'attestedBy', 'attestedAt',
  'overriddenByRssi', 'certifiedBy', 'certifiedAt', 'sinceLastCampaign', 'lastUsedAt',
];

/** RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * R-ART34 evidence: a certified campaign as a table (who, which access, who attested, who
 * certified, when, what changed), in CSV or JSON, for an auditor (HAS certification).
 */
@Injectable()
export class ReviewEvidence {
  constructor(
    private readonly db: Db,
    private readonly reviews: ReviewsService,
    private readonly tenants: TenantsService,
    private readonly clock: Clock,
  ) {}

  async rows(principal: UserPrincipal, id: string): Promise<{ campaign: { id: string; contractor: string; dueOn: string; certifiedAt: string }; rows: EvidenceRow[] }> {
    const campaign = await this.reviews.visible(principal, id, 'read');
    if (campaign.status !== 'certified') throw new ConflictError('REVIEW_NOT_CERTIFIED', 'Evidence is produced for a certified campaign');
    const items = await this.reviews.itemViews(campaign, await this.db.query(`SELECT * FROM review_items WHERE campaign_id = $1 ORDER BY snapshot->>'lastName', kind, snapshot->>'resource'`, [id]));
    const people = await this.db.query<{ id: string; email: string }>(
      `SELECT id, email FROM users WHERE id = ANY($1::uuid[])`,
      [[campaign.certified_by, ...(await this.db.query<{ decided_by: string }>(`SELECT DISTINCT decided_by FROM review_items WHERE campaign_id = $1 AND decided_by IS NOT NULL`, [id])).map((r) => r.decided_by)]],
    );
    const email = (userId: string | null) => people.find((p) => p.id === userId)?.email ?? '';
    const [contractor] = await this.db.query<{ legal_name: string }>(`SELECT legal_name FROM contractors WHERE id = $1`, [campaign.contractor_id]);
    const deciders = await this.db.query<{ id: string; decided_by: string | null }>(`SELECT id, decided_by FROM review_items WHERE campaign_id = $1`, [id]);
    const rows = items.map((i): EvidenceRow => {
      const s = i.snapshot as Record<string, string | null>;
      const decision = i.rssiDecision ?? i.decision ?? '';
      return {
        company: s.company ?? contractor.legal_name, person: `${s.firstName} ${s.lastName}`, email: s.email ?? '', item: i.kind,
        resource: s.resource ?? '', accessType: s.accessType ?? '', levelBefore: s.level ?? '', decision,
        levelAfter: decision === 'remove' ? '' : (i.rssiLevel ?? i.newLevel ?? s.level ?? ''),
        attestedBy: email(deciders.find((d) => d.id === i.id)?.decided_by ?? null), attestedAt: i.decidedAt ?? '',
        overriddenByRssi: i.rssiDecision ? 'yes' : 'no', certifiedBy: email(campaign.certified_by),
        certifiedAt: new Date(campaign.certified_at!).toISOString(), sinceLastCampaign: i.sinceLastCampaign, lastUsedAt: i.lastUsedAt ?? '',
      };
    });
    return { campaign: { id, contractor: contractor.legal_name, dueOn: campaign.due_on, certifiedAt: new Date(campaign.certified_at!).toISOString() }, rows };
  }

  /** The rows plus what the printable page shows around them: who attested and certified, what left since the last review. */
  async summary(principal: UserPrincipal, id: string): Promise<EvidenceSummary> {
    const { campaign, rows } = await this.rows(principal, id);
    type Row = { tenant_id: string; period_start: Date; opened_at: Date; submitted_at: Date | null; submitted_by: string | null; certified_by: string | null; contractor_id: string };
    const [c] = await this.db.query<Row>(`SELECT * FROM review_campaigns WHERE id = $1`, [id]);
    const people = await this.db.query<{ id: string; name: string; email: string }>(
      `SELECT id, trim(first_name || ' ' || last_name) AS name, email FROM users WHERE id = ANY($1::uuid[])`, [[c.submitted_by, c.certified_by].filter(Boolean)],
    );
    const who = (userId: string | null): EvidencePerson | null => people.find((p) => p.id === userId) ?? null;
    const [previous] = await this.db.query<{ id: string; certified_at: Date }>(
      `SELECT id, certified_at FROM review_campaigns WHERE contractor_id = $1 AND status = 'certified' AND id <> $2 AND opened_at < $3
        ORDER BY certified_at DESC LIMIT 1`,
      [c.contractor_id, id, c.opened_at],
    );
    const gone = previous ? await this.db.query<{ snapshot: Record<string, string | null>; kind: string }>(
      `SELECT p.snapshot, p.kind FROM review_items p
        WHERE p.campaign_id = $1 AND p.kind <> 'addition'
          AND NOT EXISTS (SELECT 1 FROM review_items i WHERE i.campaign_id = $2 AND i.account_id = p.account_id
                             AND i.habilitation_id IS NOT DISTINCT FROM p.habilitation_id)
        ORDER BY p.snapshot->>'lastName', p.kind, p.snapshot->>'resource'`,
      [previous.id, id],
    ) : [];
    const tenant = await this.tenants.findById(c.tenant_id);
    return {
      establishment: tenant?.name ?? '', timeZone: (await this.tenants.policyOf(c.tenant_id)).businessHours.timezone,
      generatedAt: this.clock.now().toISOString(),
      campaign: {
        id, contractor: campaign.contractor, periodStart: new Date(c.period_start).toISOString(), openedAt: new Date(c.opened_at).toISOString(),
        dueOn: campaign.dueOn, submittedAt: c.submitted_at ? new Date(c.submitted_at).toISOString() : null, submittedBy: who(c.submitted_by),
        certifiedAt: campaign.certifiedAt, certifiedBy: who(c.certified_by),
      },
      rows,
      previous: previous ? { id: previous.id, certifiedAt: new Date(previous.certified_at).toISOString() } : null,
      goneSinceLast: gone.map(({ snapshot: s, kind }) => ({
        person: `${s.firstName} ${s.lastName}`, email: s.email ?? '', item: kind, resource: s.resource ?? '', level: s.level ?? '',
      })),
    };
  }

  toCsv(rows: EvidenceRow[]): string {
    return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
  }
}
