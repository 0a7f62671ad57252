import { Injectable } from '@nestjs/common';
import { Db, isUniqueViolation, Keyset, Page, Role, TenantScope } from '@app/core';
import { Credentials, IdentityEntity, Person, UserEntity } from '../entities';
import { IdentityErrors } from '../errors';
import { IDENTITY_OF } from './identity-sql';

/** Oldest first; `created_at` has microseconds and a cursor milliseconds, so the order truncates it (as api keys do). */
const OLDEST = new Keyset('ASC', [['createdAt', "date_trunc('milliseconds', u.created_at)", 'instant'], ['id', 'u.id', 'uuid']]);
const BY_NAME = new Keyset('ASC', [['lastName', 'u.last_name', 'text'], ['firstName', 'u.first_name', 'text'], ['id', 'u.id', 'uuid']]);

/** One page of a list: its size and the cursor of the previous page. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** The writable fields of a person (identity's services only: other libraries go through UsersService). */
export type UserChanges = Partial<Omit<Person, 'id' | 'identityId' | 'createdAt' | 'updatedAt'>>;

const CREDENTIALS: (keyof Credentials)[] = [
  'passwordHash', 'passwordChangedAt', 'totpSecretEnc', 'totpPendingEnc', 'totpEnabledAt', 'totpLastStep', 'failedAttempts', 'lockedUntil',
];

/** R-MEMB a membership with its identity's credentials (what `joined()` reads). */
function person(u: UserEntity): Person {
  const { identity, ...membership } = u as UserEntity & { identity: IdentityEntity };
  return { ...membership, ...Object.fromEntries(CREDENTIALS.map((k) => [k, identity[k]])) } as Person;
}

/** A membership of one establishment: the others of the same identity. */
export interface Membership {
  id: string;
  tenantId: string | null;
  establishment: string | null;
  contractorId: string | null;
  roles: Role[];
  status: string;
}

/** Only this class touches the users and identities tables (R-MEMB). Reads on behalf of a caller take its TenantScope. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Db) {}

  private get repo() { return this.db.manager.getRepository(UserEntity); }

  private get identities() { return this.db.manager.getRepository(IdentityEntity); }

  /** Memberships read with their identity's credentials. */
  private joined() {
    return this.repo.createQueryBuilder('u').innerJoinAndMapOne('u.identity', IdentityEntity, 'i', 'i.id = u.identity_id');
  }

  private async one(q: ReturnType<UsersRepository['joined']>): Promise<Person | null> {
    const u = await q.getOne();
    return u && person(u);
  }

  findById(id: string): Promise<Person | null> {
    return this.one(this.joined().where('u.id = :id', { id }));
  }

  /**
   * R-MEMB the membership a sign-in with this e-mail opens: an active one first, the one last signed in to first,
   * then the oldest; any other when none is active (so the refusal says why).
   */
  signInMembership(email: string): Promise<Person | null> {
    return this.one(this.joined().where('lower(i.email) = lower(:email)', { email })
      .orderBy("CASE WHEN u.status = 'active' THEN 0 ELSE 1 END")
      .addOrderBy('(SELECT max(s.created_at) FROM auth_sessions s WHERE s.user_id = u.id)', 'DESC', 'NULLS LAST')
      .addOrderBy('u.created_at').limit(1));
  }

  /** R-MEMB the person of this e-mail in one establishment (null: the platform operator). */
  findByEmailIn(tenantId: string | null, email: string): Promise<Person | null> {
    const q = this.joined().where('lower(u.email) = lower(:email)', { email });
    return this.one(tenantId ? q.andWhere('u.tenant_id = :tenantId', { tenantId }) : q.andWhere('u.tenant_id IS NULL'));
  }

  /** R-MEMB every membership of the identity, with its establishment's name, by establishment. */
  membershipsOf(identityId: string): Promise<Membership[]> {
    return this.db.query(
      `SELECT u.id, u.tenant_id AS "tenantId", t.name AS establishment, u.contractor_id AS "contractorId", u.roles, u.status
         FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id
        WHERE u.identity_id = $1 ORDER BY t.name NULLS FIRST, u.id`,
      [identityId],
    );
  }

  /** `forUpdate`: the row stays locked until the caller's transaction ends (two resets or resends in a row, not at once). */
  findInScope(scope: TenantScope, id: string, forUpdate = false): Promise<Person | null> {
    const q = this.joined().where('u.id = :id AND u.tenant_id = :tenantId', { id, tenantId: scope.tenantId });
    if (scope.contractorId) q.andWhere('u.contractor_id = :contractorId', { contractorId: scope.contractorId });
    if (forUpdate && this.db.inTransaction) q.setLock('pessimistic_write', undefined, ['u']);
    return this.one(q);
  }

  /** The people the scope sees, oldest first. */
  async listInScope(scope: TenantScope, page: PageRequest, company?: string): Promise<Page<Person>> {
    const q = this.joined().where('u.tenant_id = :tenantId', { tenantId: scope.tenantId });
    if (scope.contractorId) q.andWhere('u.contractor_id = :contractorId', { contractorId: scope.contractorId });
    if (company === 'staff') q.andWhere('u.contractor_id IS NULL');
    else if (company) q.andWhere('u.contractor_id = :company', { company });
    const rows = (await OLDEST.applyTo(q, page).getMany()).map(person);
    return OLDEST.page(rows, page.limit, (u) => u, (u) => ({ createdAt: u.createdAt, id: u.id }));
  }

  /** The establishment's hospital DSIs, whatever their status, by name. */
  async listDsis(tenantId: string, page: PageRequest): Promise<Page<Person>> {
    const q = this.joined()
      .where('u.tenant_id = :tenantId AND u.contractor_id IS NULL AND :dsi = ANY(u.roles)', { tenantId, dsi: Role.Dsi });
    const rows = (await BY_NAME.applyTo(q, page).getMany()).map(person);
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

  async emailTakenIn(tenantId: string | null, email: string): Promise<boolean> {
    return (await this.findByEmailIn(tenantId, email)) !== null;
  }

  /** R-MEMB the identity of this e-mail, created (without credentials) when there is none; safe against a parallel one. */
  async identityFor(email: string): Promise<IdentityEntity> {
    await this.db.query(
      `INSERT INTO identities (email) VALUES ($1) ON CONFLICT ((lower(email))) DO NOTHING`, [email],
    );
    return (await this.identities.createQueryBuilder('i').where('lower(i.email) = lower(:email)', { email }).getOne())!;
  }

  /** R-MEMB a new membership of `identity`; its e-mail is the identity's. */
  async create(identity: IdentityEntity, values: Omit<UserChanges, 'email' | keyof Credentials>): Promise<Person> {
    try {
      const user = await this.repo.save(this.repo.create({ locale: 'fr', ...values, identityId: identity.id, email: identity.email }));
      return { ...user, ...Object.fromEntries(CREDENTIALS.map((k) => [k, identity[k]])) } as Person;
    } catch (error) {
      // emailTakenIn() saw nothing, but a concurrent request added the same person to this establishment first.
      if (isUniqueViolation(error, 'users_email_key') || isUniqueViolation(error, 'users_identity_key')) {
        throw IdentityErrors.error('EMAIL_TAKEN');
      }
      throw error;
    }
  }

  /** Changes a membership; credentials go to its identity (every membership of the person sees them). */
  async update(id: string, values: UserChanges): Promise<void> {
    const credentials = Object.fromEntries(Object.entries(values).filter(([k]) => CREDENTIALS.includes(k as keyof Credentials)));
    const membership = Object.fromEntries(Object.entries(values).filter(([k]) => !CREDENTIALS.includes(k as keyof Credentials)));
    if (Object.keys(membership).length) await this.repo.update({ id }, membership);
    if (Object.keys(credentials).length) {
      const [row] = await this.db.query<{ identityId: string }>(`SELECT identity_id AS "identityId" FROM users WHERE id = $1`, [id]);
      if (row) await this.identities.update({ id: row.identityId }, credentials);
    }
  }

  /** R-L10N R-MEMB a person's language is theirs: every membership of the identity reads it. */
  async setLocaleEverywhere(id: string, locale: 'fr' | 'en'): Promise<void> {
    await this.db.query(
      `UPDATE users SET locale = $2, updated_at = now() WHERE identity_id = ${IDENTITY_OF}`, [id, locale],
    );
  }

  /** Back to "active", or to "invited" for someone who never chose a password (the invitation link works again). */
  async reopen(id: string): Promise<void> {
    await this.db.query(
      `UPDATE users u SET status = CASE WHEN i.password_hash IS NULL THEN 'invited' ELSE 'active' END, updated_at = now()
         FROM identities i WHERE i.id = u.identity_id AND u.id = $1`, [id],
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
      `UPDATE identities SET failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
              locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $4 ELSE locked_until END
        WHERE id = ${IDENTITY_OF} AND (locked_until IS NULL OR locked_until <= $3)
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
      `UPDATE identities SET totp_last_step = $2
        WHERE id = ${IDENTITY_OF} AND totp_secret_enc = $3
          AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [id, step, secretEnc],
    );
    return rows.length === 1;
  }

  /** Turns the pending TOTP secret into the enrolled one, only if it is still the pending one (no reset, no restart). */
  async completeEnrollment(id: string, pendingEnc: string, step: number, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE identities SET totp_secret_enc = totp_pending_enc, totp_pending_enc = NULL, totp_enabled_at = $3, totp_last_step = $4,
              failed_attempts = 0, locked_until = NULL
        WHERE id = ${IDENTITY_OF} AND totp_pending_enc = $2 AND totp_enabled_at IS NULL RETURNING id`,
      [id, pendingEnc, at, step],
    );
    return rows.length === 1;
  }
}
