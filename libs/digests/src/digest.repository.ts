import { Injectable } from '@nestjs/common';
import { Db, IsoDate } from '@app/core';

export interface PendingApprovals {
  accounts: number;
  habilitations: number;
  signatures: number;
  interventions: number;
}

type Counted<T> = T & { total: number };

/**
 * R-DIG: a read-only report across domains. Its few counting queries live here, each scoped by tenant, rather than a
 * reporting method in each library; the rules themselves (which version is in force...) stay in their domains.
 */
@Injectable()
export class DigestRepository {
  constructor(private readonly db: Db) {}

  tenants(): Promise<{ id: string; name: string }[]> {
    return this.db.query(`SELECT id, name FROM tenants ORDER BY name`);
  }

  /** R-INT: the heads of the tenant's audit trail and connection journal chains (what the weekly e-mail keeps a copy of). */
  heads(tenantId: string): Promise<{ chain: 'audit' | 'journal'; seq: number; hash: string }[]> {
    return this.db.query(
      `SELECT 'audit' AS chain, last_seq::int AS seq, last_hash AS hash FROM audit_heads WHERE chain_key = $1
       UNION ALL SELECT 'journal', last_seq::int, last_hash FROM journal_heads WHERE tenant_id = $1`,
      [tenantId],
    );
  }

  /** What waits for the DSI: accounts and habilitations requested, signatures submitted, windows requested. */
  async pendingApprovals(tenantId: string): Promise<PendingApprovals> {
    const [row] = await this.db.query<PendingApprovals>(
      `SELECT (SELECT count(*)::int FROM accounts WHERE tenant_id = $1 AND status = 'requested') AS accounts,
              (SELECT count(*)::int FROM habilitations WHERE tenant_id = $1 AND status = 'requested') AS habilitations,
              (SELECT count(*)::int FROM signatures WHERE tenant_id = $1 AND status = 'submitted') AS signatures,
              (SELECT count(*)::int FROM interventions WHERE tenant_id = $1 AND status = 'requested') AS interventions`,
      [tenantId],
    );
    return row;
  }

  /** R-ART42: approved interventions that started and whose report is past due (same rule as the interventions' own check). */
  overdueReports(tenantId: string, now: Date, limit: number): Promise<Counted<{ contractor: string; nature: string; dueOn: IsoDate }>[]> {
    return this.db.query(
      `SELECT c.legal_name AS contractor, i.nature, i.report_due_on AS "dueOn", count(*) OVER ()::int AS total
         FROM interventions i JOIN contractors c ON c.id = i.contractor_id
        WHERE i.tenant_id = $1 AND i.status = 'approved' AND i.report_filed_at IS NULL AND i.report_late_at <= $2 AND i.starts_at < $2
        ORDER BY i.report_due_on, c.legal_name LIMIT $3`,
      [tenantId, now, limit],
    );
  }

  /** R-ART34: open campaigns past their due date. */
  overdueReviews(
    tenantId: string, today: IsoDate, limit: number,
  ): Promise<Counted<{ contractor: string; dueOn: IsoDate; undecided: number }>[]> {
    return this.db.query(
      `SELECT c.legal_name AS contractor, rc.due_on AS "dueOn", count(*) OVER ()::int AS total,
              (SELECT count(*)::int FROM review_items i WHERE i.campaign_id = rc.id AND i.decision IS NULL) AS undecided
         FROM review_campaigns rc JOIN contractors c ON c.id = rc.contractor_id
        WHERE rc.tenant_id = $1 AND rc.status = 'open' AND rc.due_on < $2::date
        ORDER BY rc.due_on, c.legal_name LIMIT $3`,
      [tenantId, today, limit],
    );
  }

  /** R-ART41: anomalies detected since an instant, by kind. */
  anomaliesSince(tenantId: string, since: Date): Promise<{ kind: string; count: number }[]> {
    return this.db.query(
      `SELECT kind, count(*)::int AS count FROM anomalies WHERE tenant_id = $1 AND detected_at >= $2
        GROUP BY kind ORDER BY count DESC, kind`,
      [tenantId, since],
    );
  }

  /** R-ART2: contractors whose access rests on an earlier version than `documentId` (validated), not yet re-signed. */
  notResigned(tenantId: string, kind: string, documentId: string): Promise<{ contractor: string }[]> {
    return this.db.query(
      `SELECT c.legal_name AS contractor FROM contractors c
        WHERE c.tenant_id = $1
          AND EXISTS (SELECT 1 FROM signatures s JOIN documents d ON d.id = s.document_id
                       WHERE s.contractor_id = c.id AND s.account_id IS NULL AND s.status = 'validated' AND d.kind = $2 AND d.id <> $3)
          AND NOT EXISTS (SELECT 1 FROM signatures v WHERE v.contractor_id = c.id AND v.document_id = $3 AND v.status = 'validated')
        ORDER BY c.legal_name`,
      [tenantId, kind, documentId],
    );
  }
}
