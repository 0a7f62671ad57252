import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  actorOf, AuditService, bindTo, Clock, ConflictError, Db, Keyset, NotFoundError, Page, PageQuery, Principal, UserPrincipal,
  ValidationFailed,
} from '@app/core';

export type DerogationKind = 'equipment' | 'remote_control_tool' | 'shared_account' | 'log_deletion';
export const DEROGATION_KINDS: DerogationKind[] = ['equipment', 'remote_control_tool', 'shared_account', 'log_deletion'];

export interface DerogationRow {
  id: string;
  tenant_id: string;
  kind: DerogationKind;
  contractor_id: string | null;
  scope: string;
  justification: string;
  valid_from: Date;
  valid_until: Date;
  author_id: string;
  created_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
}

export class DerogationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DEROGATION_KINDS }) kind: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) contractorId: string | null;
  @ApiProperty() scope: string;
  @ApiProperty() justification: string;
  @ApiProperty() validFrom: string;
  @ApiProperty() validUntil: string;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) revokedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) revokeReason: string | null;
  @ApiProperty({ description: 'In force now: within its validity period and not revoked' }) inForce: boolean;
}

export interface DerogationFilter {
  kind?: DerogationKind;
  contractorId?: string;
  /** true: in force now; false: revoked, over or not begun. */
  inForce?: boolean;
}

/** The register, latest start first (index derogations_list_idx). */
const LATEST = new Keyset('DESC', [['validFrom', 'valid_from', 'instant'], ['id', 'id', 'uuid']]);
const IN_FORCE = (now: string) => `(revoked_at IS NULL AND valid_from <= ${now} AND valid_until > ${now})`;

export interface CreateDerogation {
  kind: DerogationKind;
  contractorId?: string;
  scope: string;
  justification: string;
  validFrom: Date;
  validUntil: Date;
}

/**
 * R-ART16-27 (charter Art. 16, 27, 30, 40): written authorisations of the DSI, each with its
 * scope, justification, author and validity period. Expired or revoked ones stop counting;
 * nothing is deleted. Other modules ask `covering()` whether one is in force for their case.
 */
@Injectable()
export class DerogationsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(principal: UserPrincipal, input: CreateDerogation): Promise<DerogationView> {
    if (input.validUntil <= input.validFrom) {
      throw new ValidationFailed('The derogation ends before it starts', [{ field: 'validUntil', message: 'must be after validFrom' }]);
    }
    return this.db.transaction(async () => {
      if (input.contractorId) {
        const [c] = await this.db.query(`SELECT 1 FROM contractors WHERE id = $1 AND tenant_id = $2`, [input.contractorId, principal.tenantId]);
        if (!c) throw new ValidationFailed('Unknown contractor', [{ field: 'contractorId', message: 'no such contractor in this establishment' }]);
      }
      const [row] = await this.db.query<DerogationRow>(
        `INSERT INTO derogations (tenant_id, kind, contractor_id, scope, justification, valid_from, valid_until, author_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [principal.tenantId, input.kind, input.contractorId ?? null, input.scope.trim(), input.justification.trim(),
          input.validFrom, input.validUntil, principal.userId],
      );
      await this.audit.record({
        tenantId: principal.tenantId, actor: actorOf(principal), action: 'derogation.granted', targetType: 'derogation',
        targetId: row.id, after: this.view(row),
      });
      return this.view(row);
    });
  }

  async list(principal: Principal, filter: DerogationFilter, page: PageQuery): Promise<Page<DerogationView>> {
    const params: unknown[] = [];
    const bind = bindTo(params);
    const where = [`tenant_id = ${bind(principal.tenantId)}`];
    if (filter.kind) where.push(`kind = ${bind(filter.kind)}`);
    if (filter.contractorId) where.push(`contractor_id = ${bind(filter.contractorId)}`);
    if (principal.kind === 'user' && principal.contractorId) where.push(`contractor_id = ${bind(principal.contractorId)}`);
    if (filter.inForce !== undefined) {
      const inForce = IN_FORCE(`${bind(this.clock.now())}::timestamptz`);
      where.push(filter.inForce ? inForce : `NOT ${inForce}`);
    }
    where.push(LATEST.after(page.cursor, bind));
    const rows = await this.db.query<DerogationRow>(
      `SELECT * FROM derogations WHERE ${where.join(' AND ')} ORDER BY ${LATEST.orderBy} LIMIT ${bind(page.limit + 1)}`, params,
    );
    return LATEST.page(rows, page.limit, (r) => this.view(r), (r) => ({ validFrom: r.valid_from, id: r.id }));
  }

  async revoke(principal: UserPrincipal, id: string, reason: string): Promise<DerogationView> {
    return this.db.transaction(async () => {
      const [row] = await this.db.query<DerogationRow>(`SELECT * FROM derogations WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, [id, principal.tenantId]);
      if (!row) throw new NotFoundError('Derogation');
      // R-INT: read under the row lock; the loser of two revocations learns it is revoked.
      if (row.revoked_at) throw new ConflictError('DEROGATION_REVOKED', 'This derogation is already revoked', { currentStatus: 'revoked' });
      const [updated] = await this.db.query<DerogationRow>(
        `UPDATE derogations SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE id = $1 RETURNING *`,
        [id, this.clock.now(), principal.userId, reason.trim()],
      );
      await this.audit.record({
        tenantId: principal.tenantId, actor: actorOf(principal), action: 'derogation.revoked', targetType: 'derogation', targetId: id,
        before: { revokedAt: null }, after: { revokedAt: updated.revoked_at, reason },
      });
      return this.view(updated);
    });
  }

  /** The derogation of this kind in force at `at` for this contractor (or tenant-wide), if any. */
  async covering(tenantId: string, kind: DerogationKind, contractorId: string | null, at: Date = this.clock.now()): Promise<DerogationRow | null> {
    const [row] = await this.db.query<DerogationRow>(
      `SELECT * FROM derogations
        WHERE tenant_id = $1 AND kind = $2 AND revoked_at IS NULL AND valid_from <= $4 AND valid_until > $4
          AND (contractor_id IS NULL OR contractor_id = $3)
        ORDER BY valid_until DESC LIMIT 1`,
      [tenantId, kind, contractorId, at],
    );
    return row ?? null;
  }

  private view(r: DerogationRow): DerogationView {
    const now = this.clock.now();
    return {
      id: r.id, kind: r.kind, contractorId: r.contractor_id, scope: r.scope, justification: r.justification,
      validFrom: new Date(r.valid_from).toISOString(), validUntil: new Date(r.valid_until).toISOString(), authorId: r.author_id,
      revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null, revokeReason: r.revoke_reason,
      inForce: !r.revoked_at && new Date(r.valid_from) <= now && new Date(r.valid_until) > now,
    };
  }
}
