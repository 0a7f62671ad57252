import { Injectable } from '@nestjs/common';
import { Db, TenantScope } from '@app/core';

/** What a purge took away from a tenant's journal. */
export interface Purged {
  events: number;
  batches: number;
}

/**
 * Deletions of journal rows, all through the tables' owner's functions (R-INT: the application role
 * cannot delete evidence, and the functions never delete what is younger than the tenant's legal floor).
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly db: Db) {}

  async tenantIds(): Promise<string[]> {
    return (await this.db.query<{ id: string }>(`SELECT id FROM tenants`)).map((t) => t.id);
  }

  async purgeBefore(scope: TenantScope, cutoff: Date, now: Date): Promise<Purged> {
    const [gone] = await this.db.query<Purged>(`SELECT * FROM journal_purge_before($1, $2, $3)`, [scope.tenantId, cutoff, now]);
    return gone;
  }

  async deleteUnderDerogation(scope: TenantScope, derogationId: string, range: { from: Date; to: Date }, now: Date): Promise<Purged> {
    const [gone] = await this.db.query<Purged>(
      `SELECT * FROM journal_delete_under_derogation($1, $2, $3, $4, $5)`, [scope.tenantId, derogationId, range.from, range.to, now],
    );
    return gone;
  }

}
