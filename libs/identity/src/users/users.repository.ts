import { Injectable } from '@nestjs/common';
import { Db, isUniqueViolation, Keyset, Page, Role, TenantScope } from '@app/core';
import { UserEntity } from '../entities';
import { IdentityErrors } from '../errors';

/** Oldest first; `created_at` has microseconds and a cursor milliseconds, so the order truncates it (as api keys do). */
const OLDEST = new Keyset('ASC', [['createdAt', "date_trunc('milliseconds', u.created_at)", 'instant'], ['id', 'u.id', 'uuid']]);
const BY_NAME = new Keyset('ASC', [['lastName', 'u.last_name', 'text'], ['firstName', 'u.first_name', 'text'], ['id', 'u.id', 'uuid']]);

/** One page of a list: its size and the cursor of the previous page. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** The writable fields of a person (identity's services only: other libraries go through UsersService). */
export type UserChanges = Partial<Omit<UserEntity, 'id' | 'createdAt' | 'updatedAt'>>;

/** Only this class touches the users table. Reads on behalf of a caller take its TenantScope. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Db) {}

  private get repo() { return this.db.manager.getRepository(UserEntity); }

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

  /** The people the scope sees, oldest first. */
  async listInScope(scope: TenantScope, page: PageRequest, company?: string): Promise<Page<UserEntity>> {
    const q = this.repo.createQueryBuilder('u').where('u.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (scope.contractorId) q.andWhere('u.contractor_id = :contractorId', { contractorId: scope.contractorId });
    if (company === 'staff') q.andWhere('u.contractor_id IS NULL');
    else if (company) q.andWhere('u.contractor_id = :company', { company });
    const rows = await OLDEST.applyTo(q, page).getMany();
    return OLDEST.page(rows, page.limit, (u) => u, (u) => ({ createdAt: u.createdAt, id: u.id }));
  }

  /** The establishment's hospital DSIs, whatever their status, by name. */
  async listDsis(tenantId: string, page: PageRequest): Promise<Page<UserEntity>> {
    const q = this.repo.createQueryBuilder('u')
      .where('u.tenant_id = :tenantId AND u.contractor_id IS NULL AND :dsi = ANY(u.roles)', { tenantId, dsi: Role.Dsi });
    const rows = await BY_NAME.applyTo(q, page).getMany();
    return BY_NAME.page(rows, page.limit, (u) => u, (u) => ({ lastName: u.lastName, firstName: u.firstName, id: u.id }));
  }

  /** The hospital's active people holding one of these roles (who to tell): the one query behind Directory.hospital. */
  hospitalRecipients(tenantId: string, roles: Role[]): Promise<{ email: string; locale: 'fr' | 'en' }[]> {
    return this.db.query(
      `SELECT email, locale FROM users
        WHERE tenant_id = $1 AND contractor_id IS NULL AND status = 'active' AND roles && $2::text[] ORDER BY email`,
      [tenantId, roles],
    );
  }

  async emailTaken(email: string): Promise<boolean> {
    return (await this.findByEmail(email)) !== null;
  }

  async create(values: UserChanges): Promise<UserEntity> {
    try {
      return await this.repo.save(this.repo.create({ failedAttempts: 0, locale: 'fr', ...values }));
    } catch (error) {
      // emailTaken() saw nothing, but a concurrent request created the same e-mail first.
      if (isUniqueViolation(error, 'users_email_key')) throw IdentityErrors.error('EMAIL_TAKEN');
      throw error;
    }
  }

  async update(id: string, values: UserChanges): Promise<void> {
    await this.repo.update({ id }, values);
  }

  /** Back to "active", or to "invited" for someone who never chose a password (the invitation link works again). */
  async reopen(id: string): Promise<void> {
    await this.db.query(
      `UPDATE users SET status = CASE WHEN password_hash IS NULL THEN 'invited' ELSE 'active' END, updated_at = now() WHERE id = $1`, [id],
    );
  }

  /**
   * R-ART28 R-INT one failed sign-in, counted in one statement (parallel failures each count); the one reaching
   * `maxAttempts` locks until `until`. A count that sets no lock commits without waiting for the WAL flush: a crash
   * may forget one failure, never a lock. Answers whether this failure set the lock.
   */
  async countFailure(id: string, maxAttempts: number, now: Date, until: Date): Promise<boolean> {
    await this.db.query(`SET LOCAL synchronous_commit TO off`);
    const rows = await this.db.query<{ locked: boolean }>(
      `UPDATE users SET failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
              locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $4 ELSE locked_until END
        WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $3)
        RETURNING locked_until > $3 AS locked`,
      [id, maxAttempts, now, until],
    );
    const locked = rows[0]?.locked === true;
    if (locked) await this.db.query(`SET LOCAL synchronous_commit TO on`);
    return locked;
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
