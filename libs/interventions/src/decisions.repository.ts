import { Injectable } from '@nestjs/common';
import type { AccountStatus, ConventionSignature } from '@app/accounts';
import { Db, pgInstant, TenantScope } from '@app/core';

/** What one decision needs from the database, read in one statement. */
export interface LookupRow {
  accountId: string | null;
  status: AccountStatus | null;
  contractorId: string | null;
  shared: boolean | null;
  firstName: string | null;
  lastName: string | null;
  /** The person's signatures of access conventions, newest first. */
  conventions: ConventionSignature[] | null;
  mfa: boolean | null;
  resourceId: string | null;
  inScope: boolean | null;
  interventionId: string | null;
  endsAt: Date | null;
  startedAt: Date | null;
}

export interface LookupQuestion {
  tenantId: string;
  /** Account id or e-mail. */
  account: string;
  /** Resource id or external id. */
  resource: string;
  accessType: 'remote' | 'onsite';
  /** The tenant's calendar day of `at` (habilitations end on a local day). */
  today: string;
  at: Date;
}

/** One access decision as the log keeps it (table access_decisions, this library's). */
export interface DecisionRecord {
  tenantId: string;
  apiKeyId: string | null;
  decidedAt: Date;
  at: Date;
  accountRef: string;
  resourceRef: string;
  accountId: string | null;
  resourceId: string | null;
  decision: 'allow' | 'deny';
  reasons: string[];
  interventionId: string | null;
  validUntil: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Account by id, or by e-mail the living one first; resource by id, then external id; scope: an approved habilitation
// of that access type; window: an approved intervention naming both, open at `at` (docs/adr/access-decision-path.md).
const SQL = `
  SELECT q.i, acc.id AS "accountId", acc.status, acc.contractor_id AS "contractorId", acc.shared, acc.first_name AS "firstName",
         acc.last_name AS "lastName",
         (SELECT i.totp_enabled_at IS NOT NULL FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = acc.user_id) AS mfa,
         (SELECT json_agg(json_build_object('documentId', s.document_id, 'status', s.status, 'rejectReason', s.reject_reason,
                                            'effectiveOn', d.effective_on, 'createdAt', d.created_at, 'versionLabel', d.version_label)
                          ORDER BY s.submitted_at DESC)
            FROM signatures s JOIN documents d ON d.id = s.document_id WHERE s.account_id = acc.id) AS conventions,
         res.id AS "resourceId",
         EXISTS (SELECT 1 FROM habilitations h WHERE h.account_id = acc.id AND h.resource_id = res.id AND h.status = 'approved'
                   AND h.access_type = q.access_type AND (h.ends_on IS NULL OR h.ends_on >= q.today)) AS "inScope",
         w.id AS "interventionId", w.ends_at AS "endsAt", w.started_at AS "startedAt"
    FROM json_to_recordset($1::json)
         AS q(i int, tenant_id uuid, account_id uuid, account text, resource_id uuid, resource text, access_type text, today date,
              at timestamptz)
    LEFT JOIN LATERAL (
      SELECT * FROM (
        SELECT a.id, a.status, a.contractor_id, a.shared, a.user_id, a.first_name, a.last_name, a.requested_at
          FROM accounts a WHERE a.tenant_id = q.tenant_id AND a.id = q.account_id
        UNION ALL
        SELECT a.id, a.status, a.contractor_id, a.shared, a.user_id, a.first_name, a.last_name, a.requested_at
          FROM accounts a WHERE q.account_id IS NULL AND a.tenant_id = q.tenant_id AND lower(a.email) = lower(q.account)
      ) found ORDER BY found.status IN ('deactivated', 'rejected'), found.requested_at DESC LIMIT 1
    ) acc ON true
    LEFT JOIN LATERAL (
      SELECT id FROM (
        SELECT r.id, 0 AS rank FROM resources r WHERE r.tenant_id = q.tenant_id AND r.id = q.resource_id
        UNION ALL
        SELECT r.id, 1 AS rank FROM resources r WHERE r.tenant_id = q.tenant_id AND r.external_id = q.resource
      ) found ORDER BY rank LIMIT 1
    ) res ON true
    LEFT JOIN LATERAL (
      SELECT i.id, i.ends_at, i.started_at
        FROM intervention_accounts ia
        JOIN interventions i ON i.id = ia.intervention_id
        JOIN intervention_resources ir ON ir.intervention_id = i.id AND ir.resource_id = res.id
       WHERE ia.account_id = acc.id AND i.status = 'approved' AND i.starts_at <= q.at AND i.ends_at > q.at
       ORDER BY i.ends_at DESC LIMIT 1
    ) w ON true`;

/**
 * The access decision's statements. The questions travel as one JSON array (json_to_recordset), a
 * prepared statement per connection: over parameter arrays PostgreSQL planned it again at every execution.
 */
@Injectable()
export class DecisionsRepository {
  constructor(private readonly db: Db) {}

  /** The decisions taken before `cutoff`: the journal's retention removes them with the journal they are compared with. */
  async purgeBefore(scope: TenantScope, cutoff: Date): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM access_decisions WHERE tenant_id = $1 AND decided_at < $2 RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [scope.tenantId, cutoff],
    );
    return row.n;
  }

  /** One row per question, in the questions' order; undefined where the statement returned none. */
  async lookup(questions: readonly LookupQuestion[]): Promise<(LookupRow | undefined)[]> {
    const rows = await this.db.prepared<LookupRow & { i: number }>('decision-lookup', SQL, [JSON.stringify(questions.map((q, i) => {
      const accountId = UUID.test(q.account) ? q.account : null;
      return {
        i, tenant_id: q.tenantId, account_id: accountId, account: accountId ? null : q.account,
        resource_id: UUID.test(q.resource) ? q.resource : null, resource: q.resource, access_type: q.accessType, today: q.today,
        at: pgInstant(q.at),
      };
    }))]);
    const byIndex = new Map(rows.map((r) => [r.i, r]));
    return questions.map((_, i) => byIndex.get(i));
  }

  /** One JSON parameter: pg's formatting of twelve parameter arrays (dates above all) was about 2% of a decision's CPU. */
  async record(batch: readonly DecisionRecord[]): Promise<void> {
    const rows = batch.map((d) => ({
      t: d.tenantId, k: d.apiKeyId, d: pgInstant(d.decidedAt), a: pgInstant(d.at), ar: d.accountRef, rr: d.resourceRef, ai: d.accountId,
      ri: d.resourceId, dc: d.decision, rs: d.reasons, ii: d.interventionId, vu: d.validUntil && pgInstant(d.validUntil),
    }));
    await this.db.dataSource.query(
      `INSERT INTO access_decisions (tenant_id, api_key_id, decided_at, at, account_ref, resource_ref, account_id, resource_id, decision,
         reasons, intervention_id, valid_until)
       SELECT t, k, d, a, ar, rr, ai, ri, dc, rs, ii, vu
         FROM json_to_recordset($1::json)
           AS x(t uuid, k uuid, d timestamptz, a timestamptz, ar text, rr text, ai uuid, ri uuid, dc text, rs text[], ii uuid,
                vu timestamptz)`,
      [JSON.stringify(rows)],
    );
  }
}
