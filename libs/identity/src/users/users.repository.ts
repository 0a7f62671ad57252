import { Injectable } from '@nestjs/common';
import { Db, decodeCursor, TenantScope } from '@app/core';
import { UserEntity } from '../entities';

/** Only this class touches the users table. Reads on behalf of a caller take its TenantScope. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(UserEntity);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  findInScope(scope: TenantScope, id: string): Promise<UserEntity | null> {
    const q = this.repo.createQueryBuilder('u').where('u.id = :id AND u.tenant_id = :tenantId', { id, tenantId: scope.tenantId });
    if (scope.contractorId) q.andWhere('u.contractor_id = :contractorId', { contractorId: scope.contractorId });
    return q.getOne();
  }

  async listInScope(scope: TenantScope, limit: number, cursor?: string): Promise<UserEntity[]> {
    const after = decodeCursor<{ createdAt: string; id: string }>(cursor, ['createdAt', 'id']);
    const q = this.repo.createQueryBuilder('u').where('u.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (scope.contractorId) q.andWhere('u.contractor_id = :contractorId', { contractorId: scope.contractorId });
    if (after) q.andWhere('(u.created_at, u.id) > (:createdAt, :id)', after);
    return q.orderBy('u.created_at', 'ASC').addOrderBy('u.id', 'ASC').limit(limit + 1).getMany();
  }

  async emailTaken(email: string): Promise<boolean> {
    return (await this.findByEmail(email)) !== null;
  }

  create(values: Partial<UserEntity>): Promise<UserEntity> {
    return this.repo.save(this.repo.create({ failedAttempts: 0, locale: 'fr', ...values }));
  }

  async update(id: string, values: Partial<UserEntity>): Promise<void> {
    await this.repo.update({ id }, values);
  }

  /** Stores the TOTP step just used, only if it is newer: a replayed code updates nothing. */
  async advanceTotpStep(id: string, step: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [id, step],
    );
    return rows.length === 1;
  }
}
