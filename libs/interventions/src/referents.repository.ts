import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';

export interface Referent {
  userId: string;
  email: string;
  locale: 'fr' | 'en';
}

/** The contractors' referents (table contractor_referents, this library's) and the people the windows' e-mails go to. */
@Injectable()
export class ReferentsRepository {
  constructor(private readonly db: Db) {}

  referentsOf(contractorId: string): Promise<Referent[]> {
    return this.db.query(
      `SELECT r.user_id AS "userId", u.email, u.locale FROM contractor_referents r JOIN users u ON u.id = r.user_id
        WHERE r.contractor_id = $1 AND u.status = 'active' ORDER BY u.email`,
      [contractorId],
    );
  }

  /** Hospital people with the referent or DSI role, among `ids`. */
  eligible(scope: TenantScope, ids: string[]): Promise<{ id: string; email: string }[]> {
    return this.db.query(
      `SELECT id, email FROM users WHERE tenant_id = $1 AND contractor_id IS NULL AND status <> 'deactivated'
         AND roles && ARRAY['referent', 'dsi']::text[] AND id = ANY($2::uuid[])`,
      [scope.tenantId, ids],
    );
  }

  async replace(contractorId: string, userIds: string[], designatedBy: string, at: Date): Promise<void> {
    await this.db.query(`DELETE FROM contractor_referents WHERE contractor_id = $1`, [contractorId]);
    await this.db.query(
      `INSERT INTO contractor_referents (contractor_id, user_id, designated_by, designated_at) SELECT $1, unnest($2::uuid[]), $3, $4`,
      [contractorId, userIds, designatedBy, at],
    );
  }

  /** The person who requested a window, whatever their status now. */
  person(userId: string): Promise<{ email: string; locale: 'fr' | 'en' }[]> {
    return this.db.query(`SELECT email, locale FROM users WHERE id = $1`, [userId]);
  }

  /** R-ART42: who is reminded first of an overdue report: its requester and the people of its accounts, if active. */
  authors(interventionId: string, requestedBy: string | null): Promise<{ email: string; locale: 'fr' | 'en' }[]> {
    return this.db.query(
      `SELECT DISTINCT u.email, u.locale FROM users u
        WHERE u.status = 'active' AND (u.id = $2 OR u.id IN (
          SELECT a.user_id FROM intervention_accounts ia JOIN accounts a ON a.id = ia.account_id WHERE ia.intervention_id = $1))`,
      [interventionId, requestedBy],
    );
  }
}
