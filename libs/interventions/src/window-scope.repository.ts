import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';

/** Reads what a window may name (accounts, catalogued resources, habilitations); these tables belong to other libraries. */
@Injectable()
export class WindowScopeRepository {
  constructor(private readonly db: Db) {}

  accountsOf(contractorId: string, ids: string[]): Promise<{ id: string; status: string; userId: string | null; person: string }[]> {
    return this.db.query(
      `SELECT id, status, user_id AS "userId", first_name || ' ' || last_name AS person
         FROM accounts WHERE contractor_id = $1 AND id = ANY($2::uuid[])`, [contractorId, ids],
    );
  }

  /** The resources of the catalogue among `ids`, with their names (R-L10N messages name them). */
  catalogued(scope: TenantScope, ids: string[]): Promise<{ id: string; name: string }[]> {
    return this.db.query(`SELECT id, name FROM resources WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [scope.tenantId, ids]);
  }

  /** R-ART31: the (account, resource) pairs an approved habilitation covers on `today`. */
  covered(accountIds: string[], resourceIds: string[], today: string): Promise<{ accountId: string; resourceId: string }[]> {
    return this.db.query(
      `SELECT DISTINCT account_id AS "accountId", resource_id AS "resourceId" FROM habilitations
        WHERE account_id = ANY($1::uuid[]) AND resource_id = ANY($2::uuid[]) AND status = 'approved'
          AND (ends_on IS NULL OR ends_on >= $3)`,
      [accountIds, resourceIds, today],
    );
  }

  async contractorName(contractorId: string): Promise<string> {
    const [row] = await this.db.query<{ legalName: string }>(`SELECT legal_name AS "legalName" FROM contractors WHERE id = $1`, [
      contractorId,
    ]);
    return row.legalName;
  }

  /** The people of these accounts, by name: who a window names, as its report lists them. */
  intervenants(accountIds: string[]): Promise<{ accountId: string; name: string }[]> {
    return this.db.query(
      `SELECT id AS "accountId", first_name || ' ' || last_name AS name FROM accounts
        WHERE id = ANY($1::uuid[]) ORDER BY last_name, first_name`,
      [accountIds],
    );
  }

  /** The person and the resource an access started with, as the e-mail names them. */
  async names(accountId: string, resourceId: string): Promise<{ person: string; resource: string }> {
    const [who] = await this.db.query<{ person: string; resource: string }>(
      `SELECT a.first_name || ' ' || a.last_name AS person, r.name AS resource FROM accounts a, resources r WHERE a.id = $1 AND r.id = $2`,
      [accountId, resourceId],
    );
    return who;
  }
}
