import { Injectable } from '@nestjs/common';
import { Db, IsoDate } from '@app/core';

export interface DsiCounts {
  signatures: number;
  accounts: number;
  habilitations: number;
  windows: number;
  emergencies: number;
  overdueReports: number;
}

/** A version in force whose re-signature deadline falls within the horizon. */
export interface ClosingVersion {
  kind: string;
  id: string;
}

/** `i` an intervention: approved, started, its report past due and not filed (R-ART42, the digest's rule). */
const OVERDUE = `i.status = 'approved' AND i.report_filed_at IS NULL AND i.report_late_at <= $2 AND i.starts_at < $2`;
/** `p` a prestation running on `$2` (the contractors library's rule). */
const RUNNING = `p.starts_on <= $2::date AND (p.ends_on IS NULL OR p.ends_on >= $2::date) AND p.ended_at IS NULL`;

/**
 * The counts of the home page (R-ART2, 28, 31, 34, 36, 41, 42), each scoped by tenant and, for contractor people, by company.
 * Read-only across domains like the digest; the queue's own rules (which habilitations count...) are repeated here in SQL.
 */
@Injectable()
export class HomeRepository {
  constructor(private readonly db: Db) {}

  async establishment(tenantId: string): Promise<string> {
    const [row] = await this.db.query<{ name: string }>(`SELECT name FROM tenants WHERE id = $1`, [tenantId]);
    return row?.name ?? '';
  }

  /** What waits for the DSI's decision, as the approvals queue lists it, and the reports past due. */
  async dsi(tenantId: string, now: Date): Promise<DsiCounts> {
    const [row] = await this.db.query<DsiCounts>(
      `SELECT (SELECT count(*)::int FROM signatures WHERE tenant_id = $1 AND status = 'submitted') AS signatures,
              (SELECT count(*)::int FROM accounts WHERE tenant_id = $1 AND status = 'requested') AS accounts,
              (SELECT count(*)::int FROM habilitations h JOIN accounts a ON a.id = h.account_id
                WHERE h.tenant_id = $1 AND h.status = 'requested' AND a.status IN ('requested', 'approved', 'active')) AS habilitations,
              (SELECT count(*)::int FROM interventions WHERE tenant_id = $1 AND status = 'requested') AS windows,
              (SELECT count(*)::int FROM interventions WHERE tenant_id = $1 AND emergency_review = 'pending') AS emergencies,
              (SELECT count(*)::int FROM interventions i WHERE i.tenant_id = $1 AND ${OVERDUE}) AS "overdueReports"`,
      [tenantId, now],
    );
    return row;
  }

  /**
   * R-ART2: companies whose gate closes by `until`: a version in force to re-sign by then (an earlier one validated, not this
   * one), or every running prestation ending by then (none open-ended, none starting later).
   */
  async gatesClosing(tenantId: string, today: IsoDate, until: IsoDate, versions: ClosingVersion[]): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT c.id FROM contractors c
        WHERE c.tenant_id = $1 AND (
          EXISTS (SELECT 1 FROM jsonb_to_recordset($4::jsonb) AS v(kind text, id uuid)
                   WHERE EXISTS (SELECT 1 FROM signatures s JOIN documents d ON d.id = s.document_id
                                  WHERE s.contractor_id = c.id AND s.account_id IS NULL AND s.status = 'validated'
                                    AND d.kind = v.kind AND d.id <> v.id)
                     AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.contractor_id = c.id AND s.document_id = v.id
                                        AND s.status = 'validated'))
          OR (EXISTS (SELECT 1 FROM prestations p WHERE p.contractor_id = c.id AND ${RUNNING})
              AND NOT EXISTS (SELECT 1 FROM prestations p WHERE p.contractor_id = c.id AND p.ended_at IS NULL
                                 AND (p.ends_on IS NULL OR p.ends_on > $3::date))))`,
      [tenantId, today, until, JSON.stringify(versions)],
    );
    return rows.map((r) => r.id);
  }

  /** The RSSI's: open review campaigns, anomalies nobody has taken up yet (open cases), suspended accounts. */
  async control(tenantId: string): Promise<{ reviews: number; anomalies: number; suspendedAccounts: number }> {
    const [row] = await this.db.query<{ reviews: number; anomalies: number; suspendedAccounts: number }>(
      `SELECT (SELECT count(*)::int FROM review_campaigns WHERE tenant_id = $1 AND status = 'open') AS reviews,
              (SELECT count(*)::int FROM anomaly_cases WHERE tenant_id = $1 AND status = 'open') AS anomalies,
              (SELECT count(*)::int FROM accounts WHERE tenant_id = $1 AND status = 'suspended') AS "suspendedAccounts"`,
      [tenantId],
    );
    return row;
  }

  /** A company's: its open reviews still undecided, its reports past due, its ended prestations without attestation. */
  async company(
    tenantId: string, contractorId: string, now: Date,
  ): Promise<{ reviews: number; overdueReports: number; attestations: number }> {
    const [row] = await this.db.query<{ reviews: number; overdueReports: number; attestations: number }>(
      `SELECT (SELECT count(*)::int FROM review_campaigns WHERE tenant_id = $1 AND contractor_id = $3 AND status = 'open') AS reviews,
              (SELECT count(*)::int FROM interventions i WHERE i.tenant_id = $1 AND i.contractor_id = $3 AND ${OVERDUE})
                AS "overdueReports",
              (SELECT count(*)::int FROM prestations WHERE tenant_id = $1 AND contractor_id = $3
                  AND ended_at IS NOT NULL AND attested_at IS NULL) AS attestations`,
      [tenantId, now, contractorId],
    );
    return row;
  }

  /** A staff member's reports past due: the windows naming their own account. */
  async ownOverdueReports(tenantId: string, userId: string, now: Date): Promise<number> {
    const [row] = await this.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM interventions i
        WHERE i.tenant_id = $1 AND ${OVERDUE}
          AND EXISTS (SELECT 1 FROM intervention_accounts ia JOIN accounts a ON a.id = ia.account_id
                       WHERE ia.intervention_id = i.id AND a.user_id = $3)`,
      [tenantId, now, userId],
    );
    return row.count;
  }

  /** A referent's: windows to decide and reports past due, of the companies they are designated for. */
  async referent(tenantId: string, userId: string, now: Date): Promise<{ windows: number; overdueReports: number }> {
    const [row] = await this.db.query<{ windows: number; overdueReports: number }>(
      `WITH mine AS (SELECT contractor_id FROM contractor_referents WHERE user_id = $3)
       SELECT (SELECT count(*)::int FROM interventions i WHERE i.tenant_id = $1 AND i.status = 'requested'
                  AND i.contractor_id IN (SELECT contractor_id FROM mine)) AS windows,
              (SELECT count(*)::int FROM interventions i WHERE i.tenant_id = $1 AND ${OVERDUE}
                  AND i.contractor_id IN (SELECT contractor_id FROM mine)) AS "overdueReports"`,
      [tenantId, now, userId],
    );
    return row;
  }
}
