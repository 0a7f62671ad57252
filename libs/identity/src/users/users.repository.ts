import { Injectable } from '@nestjs/common';
import { ConflictError, Db, decodeCursor, isUniqueViolation, isUuidKey, Role, TenantScope } from '@app/core';
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

  /** `forUpdate`: the row stays locked until the caller's transaction ends (two resets or resends in a row, not at once). */
  findInScope(scope: TenantScope, id: string, forUpdate = false): Promise<UserEntity | null> {
    const q = this.repo.createQueryBuilder('u').where('u.id = :id AND u.tenant_id = :tenantId', { id, tenantId: scope.tenantId });
    if (scope.contractorId) q.andWhere('u.contractor_id = :contractorId', { contractorId: scope.contractorId });
    if (forUpdate && this.db.inTransaction) q.setLock('pessimistic_write');
    return q.getOne();
  }

  async listInScope(scope: TenantScope, limit: number, cursor?: string): Promise<UserEntity[]> {
    const after = decodeCursor<{ id: string }>(cursor, ['id'], (c) => isUuidKey(c.id));
    const q = this.repo.createQueryBuilder('u').where('u.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (scope.contractorId) q.andWhere('u.contractor_id = :contractorId', { contractorId: scope.contractorId });
    // The key is read back from the row itself: created_at has microseconds, a JS Date only milliseconds,
    // so a (createdAt, id) pair in the cursor would repeat the last row of each page.
    if (after) {
      q.andWhere('(u.created_at, u.id) > (SELECT c.created_at, c.id FROM users c WHERE c.id = :afterId AND c.tenant_id = :tenantId)', { afterId: after.id });
    }
    return q.orderBy('u.created_at', 'ASC').addOrderBy('u.id', 'ASC').limit(limit + 1).getMany();
  }

  /** The hospital's active people holding one of these roles (who to tell): the one query behind Directory.hospital. */
  hospitalRecipients(tenantId: string, roles: Role[]): Promise<{ email: string; locale: 'fr' | 'en' }[]> {
    return this.db.query(
      `SELECT email, locale FROM users WHERE tenant_id = $1 AND contractor_id IS NULL AND status = 'active' AND roles && $2::text[] ORDER BY email`,
      [tenantId, roles],
    );
  }

  async emailTaken(email: string): Promise<boolean> {
    return (await this.findByEmail(email)) !== null;
  }

  async create(values: Partial<UserEntity>): Promise<UserEntity> {
    try {
      return await this.repo.save(this.repo.create({ failedAttempts: 0, locale: 'fr', ...values }));
    } catch (error) {
      // emailTaken() saw nothing, but a concurrent request created the same e-mail first.
      if (isUniqueViolation(error, 'users_email_key')) {
        throw new ConflictError('EMAIL_TAKEN', 'A person with this e-mail address already exists');
      }
      throw error;
    }
  }

  async update(id: string, values: Partial<UserEntity>): Promise<void> {
    await this.repo.update({ id }, values);
  }

  /**
   * R-ART28 R-INT one failed sign-in, counted in one statement (parallel failures each count). The one
   * that reaches `maxAttempts` sets the lock until `until` and starts the count again; a locked account
   * counts nothing. Answers whether this failure set the lock.
   */
  async countFailure(id: string, maxAttempts: number, now: Date, until: Date): Promise<boolean> {
    const rows = await this.db.query<{ locked: boolean }>(
      `UPDATE users SET failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
              locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $4 ELSE locked_until END
        WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $3)
        RETURNING locked_until > $3 AS locked`,
      [id, maxAttempts, now, until],
    );
    return rows[0]?.locked === true;
  }

  /**
   * Stores the TOTP step just used, only if it is newer (a replayed code updates nothing) and the secret
   * it was checked against is still the person's (a TOTP reset meanwhile makes the code fail).
   */
  async advanceTotpStep(id: string, step: number, secretEnc: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE users SET totp_last_step = $2
        WHERE id = $1 AND totp_secret_enc = $3 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [id, step, secretEnc],
    );
    return rows.length === 1;
  }

  /** Turns the pending TOTP secret into the enrolled one, only if it is still the pending one (no reset, no restart). */
  async completeEnrollment(id: string, pendingEnc: string, step: number, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE users SET totp_secret_enc = totp_pending_enc, totp_pending_enc = NULL, totp_enabled_at = $3, totp_last_step = $4,
              failed_attempts = 0, locked_until = NULL
        WHERE id = $1 AND totp_pending_enc = $2 AND totp_enabled_at IS NULL RETURNING id`,
      [id, pendingEnc, at, step],
    );
    return rows.length === 1;
  }
}
