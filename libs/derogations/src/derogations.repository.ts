import { Injectable } from '@nestjs/common';
import { bindTo, Db, equalities, Keyset, PageQuery, TenantScope } from '@app/core';
import type { Derogation, DerogationFilter, DerogationKind } from './types';

/** The register, latest start first (index derogations_list_idx). */
export const LATEST = new Keyset('DESC', [['validFrom', 'valid_from', 'instant'], ['id', 'id', 'uuid']]);
const IN_FORCE = (now: string) => `(revoked_at IS NULL AND valid_from <= ${now} AND valid_until > ${now})`;
const COLUMNS = `id, tenant_id AS "tenantId", kind, contractor_id AS "contractorId", scope, justification,
  valid_from AS "validFrom", valid_until AS "validUntil", author_id AS "authorId", created_at AS "createdAt",
  revoked_at AS "revokedAt", revoke_reason AS "revokeReason"`;

export type NewDerogation = Pick<Derogation, 'kind' | 'contractorId' | 'scope' | 'justification' | 'validFrom' | 'validUntil'> & {
  authorId: string | null;
};

/** Only this class touches the derogations table. */
@Injectable()
export class DerogationsRepository {
  constructor(private readonly db: Db) {}

  async contractorExists(scope: TenantScope, contractorId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM contractors WHERE id = $1 AND tenant_id = $2`, [contractorId, scope.tenantId]);
    return rows.length > 0;
  }

  async insert(scope: TenantScope, d: NewDerogation): Promise<Derogation> {
    const [row] = await this.db.query<Derogation>(
      `INSERT INTO derogations (tenant_id, kind, contractor_id, scope, justification, valid_from, valid_until, author_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [scope.tenantId, d.kind, d.contractorId, d.scope, d.justification, d.validFrom, d.validUntil, d.authorId],
    );
    return row;
  }

  /** `limit + 1` rows after the cursor, for LATEST.page; `now` decides what is in force. */
  list(scope: TenantScope, filter: DerogationFilter, now: Date, page: PageQuery): Promise<Derogation[]> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const where = [`tenant_id = ${bind(scope.tenantId)}`];
    where.push(...equalities(bind, [['kind', filter.kind], ['contractor_id', filter.contractorId], ['contractor_id', scope.contractorId]]));
    if (filter.inForce !== undefined) {
      const inForce = IN_FORCE(`${bind(now)}::timestamptz`);
      where.push(filter.inForce ? inForce : `NOT ${inForce}`);
    }
    where.push(LATEST.after(page.cursor, bind));
    return this.db.query<Derogation>(
      `SELECT ${COLUMNS} FROM derogations WHERE ${where.join(' AND ')} ORDER BY ${LATEST.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
  }

  /** Under a row lock, for a revocation. */
  async lock(scope: TenantScope, id: string): Promise<Derogation | null> {
    const [row] = await this.db.query<Derogation>(
      `SELECT ${COLUMNS} FROM derogations WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, [id, scope.tenantId],
    );
    return row ?? null;
  }

  async revoke(id: string, at: Date, by: string | null, reason: string): Promise<Derogation> {
    const [row] = await this.db.query<Derogation>(
      `UPDATE derogations SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, at, by, reason],
    );
    return row;
  }

  /** The derogation of this kind in force at `at` for this contractor (or tenant-wide), if any. */
  async covering(scope: TenantScope, kind: DerogationKind, contractorId: string | null, at: Date): Promise<Derogation | null> {
    const [row] = await this.db.query<Derogation>(
      `SELECT ${COLUMNS} FROM derogations
        WHERE tenant_id = $1 AND kind = $2 AND revoked_at IS NULL AND valid_from <= $4 AND valid_until > $4
          AND (contractor_id IS NULL OR contractor_id = $3)
        ORDER BY valid_until DESC LIMIT 1`,
      [scope.tenantId, kind, contractorId, at],
    );
    return row ?? null;
  }
}
