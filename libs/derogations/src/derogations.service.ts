import { Injectable } from '@nestjs/common';
import { actorOf, AuditService, Clock, Db, NotFoundError, Page, PageQuery, Principal, UserPrincipal } from '@app/core';
import { DerogationsRepository, LATEST } from './derogations.repository';
import { DerogationErrors } from './errors';
import type { CreateDerogation, Derogation, DerogationFilter, DerogationKind } from './types';
import { DerogationView, toDerogationView } from './views';

/**
 * R-ART16-27 (charter Art. 16, 27, 30, 40): the DSI's written authorisations, each with scope, justification, author and
 * validity. Expired or revoked ones stop counting; nothing is deleted. Others ask `covering()` whether one is in force.
 */
@Injectable()
export class DerogationsService {
  constructor(
    private readonly db: Db,
    private readonly repo: DerogationsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(principal: UserPrincipal, input: CreateDerogation): Promise<DerogationView> {
    if (input.validUntil <= input.validFrom) {
      throw DerogationErrors.invalid('DEROGATION_ENDS_BEFORE_START', 'validUntil');
    }
    const scope = { tenantId: principal.tenantId! };
    return this.db.transaction(async () => {
      if (input.contractorId && !(await this.repo.contractorExists(scope, input.contractorId))) {
        throw DerogationErrors.invalid('CONTRACTOR_UNKNOWN', 'contractorId');
      }
      const row = await this.repo.insert(scope, {
        kind: input.kind, contractorId: input.contractorId ?? null, scope: input.scope.trim(), justification: input.justification.trim(),
        validFrom: input.validFrom, validUntil: input.validUntil, authorId: principal.userId,
      });
      await this.audit.record({
        tenantId: principal.tenantId, actor: actorOf(principal), action: 'derogation.granted', targetType: 'derogation',
        targetId: row.id, after: this.view(row),
      });
      return this.view(row);
    });
  }

  async list(principal: Principal, filter: DerogationFilter, page: PageQuery): Promise<Page<DerogationView>> {
    const scope = { tenantId: principal.tenantId!, contractorId: principal.kind === 'user' ? principal.contractorId : null };
    const rows = await this.repo.list(scope, filter, this.clock.now(), page);
    return LATEST.page(rows, page.limit, (r) => this.view(r), (r) => ({ validFrom: r.validFrom, id: r.id }));
  }

  async revoke(principal: UserPrincipal, id: string, reason: string): Promise<DerogationView> {
    return this.db.transaction(async () => {
      const row = await this.repo.lock({ tenantId: principal.tenantId! }, id);
      if (!row) throw new NotFoundError('Derogation');
      // R-INT: read under the row lock; the loser of two revocations learns it is revoked.
      if (row.revokedAt) throw DerogationErrors.error('DEROGATION_REVOKED', undefined, { currentStatus: 'revoked' });
      const updated = await this.repo.revoke(id, this.clock.now(), principal.userId, reason.trim());
      await this.audit.record({
        tenantId: principal.tenantId, actor: actorOf(principal), action: 'derogation.revoked', targetType: 'derogation', targetId: id,
        before: { revokedAt: null }, after: { revokedAt: updated.revokedAt, reason },
      });
      return this.view(updated);
    });
  }

  /** The derogation of this kind in force at `at` for this contractor (or tenant-wide), if any. */
  covering(tenantId: string, kind: DerogationKind, contractorId: string | null, at: Date = this.clock.now()): Promise<Derogation | null> {
    return this.repo.covering({ tenantId }, kind, contractorId, at);
  }

  private view(d: Derogation): DerogationView {
    return toDerogationView(d, this.clock.now());
  }
}
