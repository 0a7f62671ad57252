import { Injectable } from '@nestjs/common';
import { bindTo, Db, IsoDate, Keyset, PageQuery } from '@app/core';

export interface Departure {
  id: string;
  tenantId: string;
  accountId: string;
  firstName: string;
  lastName: string;
  effectiveOn: IsoDate;
  declaredAt: Date;
  appliedAt: Date | null;
  reinstatedAt: Date | null;
  /** R-MEMB where it was declared, when another establishment's declaration brought it. */
  originEstablishment: string | null;
}

interface DepartureRow {
  id: string;
  tenant_id: string;
  account_id: string;
  first_name: string;
  last_name: string;
  effective_on: string;
  declared_at: Date;
  applied_at: Date | null;
  reinstated_at: Date | null;
  origin_establishment: string | null;
}

const toDeparture = (r: DepartureRow): Departure => ({
  id: r.id, tenantId: r.tenant_id, accountId: r.account_id, firstName: r.first_name, lastName: r.last_name, effectiveOn: r.effective_on,
  declaredAt: new Date(r.declared_at), appliedAt: r.applied_at && new Date(r.applied_at),
  reinstatedAt: r.reinstated_at && new Date(r.reinstated_at), originEstablishment: r.origin_establishment,
});

/** Newest declaration first (index departures_list_idx). */
export const NEWEST_DEPARTURES = new Keyset('DESC', [['declaredAt', 'declared_at', 'instant'], ['id', 'id', 'uuid']]);

export interface NewDeparture {
  tenantId: string;
  contractorId: string;
  accountId: string;
  firstName: string;
  lastName: string;
  effectiveOn: IsoDate;
  declaredBy: string;
  declaredAt: Date;
  origin?: { id: string; establishment: string };
}

/** Only this class touches the departures table (R-ART35). */
@Injectable()
export class DeparturesRepository {
  constructor(private readonly db: Db) {}

  async insert(d: NewDeparture): Promise<Departure> {
    const [row] = await this.db.query<DepartureRow>(
      `INSERT INTO departures (tenant_id, contractor_id, account_id, first_name, last_name, effective_on, declared_by, declared_at,
                               origin_id, origin_establishment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [d.tenantId, d.contractorId, d.accountId, d.firstName, d.lastName, d.effectiveOn, d.declaredBy, d.declaredAt,
        d.origin?.id ?? null, d.origin?.establishment ?? null],
    );
    return toDeparture(row);
  }

  /**
   * R-MEMB the open accounts of the same person (same e-mail) for the same company (SIRET) in the other establishments,
   * by id (the order they are locked in), with the name of the declaring establishment.
   */
  sameCompanyElsewhere(accountId: string): Promise<{ id: string; origin: string }[]> {
    return this.db.query(
      `SELECT o.id, t.name AS origin
         FROM accounts a JOIN contractors c ON c.id = a.contractor_id JOIN tenants t ON t.id = a.tenant_id
         JOIN accounts o ON lower(o.email) = lower(a.email) AND o.tenant_id <> a.tenant_id
         JOIN contractors oc ON oc.id = o.contractor_id AND oc.siret = c.siret
        WHERE a.id = $1 AND o.status IN ('requested', 'approved', 'active', 'suspended')
        ORDER BY o.id`,
      [accountId],
    );
  }

  /** One company's departures, a page of NEWEST_DEPARTURES (limit + 1 rows). */
  async ofContractor(contractorId: string, page: PageQuery): Promise<Departure[]> {
    const params: unknown[] = [contractorId];
    const bind = bindTo(params);
    const rows = await this.db.query<DepartureRow>(
      `SELECT * FROM departures WHERE contractor_id = $1 AND ${NEWEST_DEPARTURES.after(page.cursor, bind)}
        ORDER BY ${NEWEST_DEPARTURES.orderBy} LIMIT ${bind(page.limit + 1)}`,
      params,
    );
    return rows.map(toDeparture);
  }

  /** Not applied yet, earliest date first (the scheduler checks each tenant's day). */
  async pending(): Promise<Departure[]> {
    return (await this.db.query<DepartureRow>(`SELECT * FROM departures WHERE applied_at IS NULL ORDER BY effective_on`)).map(toDeparture);
  }

  /** Locks the departure and answers it while it is not applied (R-INT: two schedulers apply it once). */
  async lockPending(id: string): Promise<Departure | null> {
    const [row] = await this.db.query<DepartureRow>(`SELECT * FROM departures WHERE id = $1 AND applied_at IS NULL FOR UPDATE`, [id]);
    return row ? toDeparture(row) : null;
  }

  async markApplied(id: string, at: Date): Promise<Departure> {
    const [row] = await this.db.query<DepartureRow>(`UPDATE departures SET applied_at = $2 WHERE id = $1 RETURNING *`, [id, at]);
    return toDeparture(row);
  }

  /** The applied, not reinstated departure of someone named by user id or e-mail in this company. */
  async standingFor(contractorId: string, userId: string | null, email: string): Promise<Departure | null> {
    const [row] = await this.db.query<DepartureRow>(
      `SELECT d.* FROM departures d JOIN accounts a ON a.id = d.account_id
        WHERE d.contractor_id = $1 AND d.applied_at IS NOT NULL AND d.reinstated_at IS NULL
          AND (a.user_id = $2 OR lower(a.email) = lower($3))
        ORDER BY d.applied_at DESC LIMIT 1`,
      [contractorId, userId, email],
    );
    return row ? toDeparture(row) : null;
  }

  /** The account's departure that still stands, locked. */
  async lockStandingOf(accountId: string): Promise<Departure | null> {
    const [row] = await this.db.query<DepartureRow>(
      `SELECT * FROM departures WHERE account_id = $1 AND applied_at IS NOT NULL AND reinstated_at IS NULL
        ORDER BY applied_at DESC LIMIT 1 FOR UPDATE`,
      [accountId],
    );
    return row ? toDeparture(row) : null;
  }

  async reinstate(accountId: string, at: Date, by: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE departures SET reinstated_at = $2, reinstated_by = $3, reinstate_reason = $4 WHERE account_id = $1 AND reinstated_at IS NULL`,
      [accountId, at, by, reason],
    );
  }
}
