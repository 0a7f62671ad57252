import { Injectable } from '@nestjs/common';
import { Db, isUniqueViolation, Keyset, Page, PageQuery, TenantScope } from '@app/core';
import { AccountEntity } from './entities';
import { AccountFilter, AccountOrder } from './types';
import { AccountView, toAccountView } from './views';

/** Which accounts a caller's list shows: the tenant's, one company's, a staff member's own (AccountAccess.visibility). */
export interface AccountVisibility extends TenantScope {
  readonly company: string | null;
  readonly ownUserId: string | null;
}

/** By name, the id breaking ties (indexes accounts_contractor_name_idx, accounts_tenant_name_idx). */
const BY_NAME = new Keyset('ASC', [['lastName', 'a.last_name', 'text'], ['firstName', 'a.first_name', 'text'], ['id', 'a.id', 'uuid']]);
/** As a queue: oldest request first (index accounts_queue_idx with a status, accounts_contractor_idx with a company). */
const OLDEST = new Keyset('ASC', [['requestedAt', 'a.requested_at', 'instant'], ['id', 'a.id', 'uuid']]);

const CLOSED = "a.status NOT IN ('deactivated', 'rejected')";

export type NewAccount = Omit<AccountEntity,
  'id' | 'userId' | 'approvedBy' | 'approvedAt' | 'activatedAt' | 'suspendedAt' | 'suspensionKind' | 'suspensionReason' | 'resumeOn' |
  'deactivatedAt' | 'deactivationReason'>;

/** Only this class touches the accounts table. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly db: Db) {}

  private get accounts() { return this.db.manager.getRepository(AccountEntity); }

  /** The account in the caller's tenant (locked when asked, inside a transaction); the access rule narrows further. */
  findInScope(scope: TenantScope, id: string, forUpdate = false): Promise<AccountEntity | null> {
    const query = this.accounts.createQueryBuilder('a').where('a.id = :id AND a.tenant_id = :tenantId', { id, tenantId: scope.tenantId });
    if (forUpdate && this.db.inTransaction) query.setLock('pessimistic_write');
    return query.getOne();
  }

  /** By id, for the lifecycle, once the row is locked and the caller's access checked. */
  get(id: string): Promise<AccountEntity> {
    return this.accounts.findOneByOrFail({ id });
  }

  find(id: string): Promise<AccountEntity | null> {
    return this.accounts.findOneBy({ id });
  }

  findOfContractor(contractorId: string, id: string): Promise<AccountEntity | null> {
    return this.accounts.findOneBy({ id, contractorId });
  }

  /** Accounts neither deactivated nor rejected of one company. */
  openOfContractor(contractorId: string): Promise<AccountEntity[]> {
    return this.accounts.createQueryBuilder('a').where(`a.contractor_id = :contractorId AND ${CLOSED}`, { contractorId }).getMany();
  }

  approvedOf(holder: { userId: string } | { contractorId: string }): Promise<AccountEntity[]> {
    return this.accounts.findBy({ ...holder, status: 'approved' });
  }

  /** The person is known by the e-mail: two homonyms are two people, one e-mail is one person. */
  personHoldsAccount(tenantId: string, email: string): Promise<boolean> {
    return this.accounts.createQueryBuilder('a')
      .where(`a.tenant_id = :tenantId AND ${CLOSED} AND lower(a.email) = lower(:email)`, { tenantId, email })
      .getExists();
  }

  /** The new account, or null when the person already holds one (accounts_person_key). */
  async insert(account: NewAccount): Promise<AccountEntity | null> {
    return this.accounts.save(this.accounts.create(account)).catch((error: unknown) => {
      if (isUniqueViolation(error, 'accounts_person_key')) return null;
      throw error;
    });
  }

  async update(id: string, changes: Partial<Omit<AccountEntity, 'id' | 'tenantId' | 'contractorId'>>): Promise<void> {
    await this.accounts.update({ id }, changes);
  }

  async list(visible: AccountVisibility, filter: AccountFilter, page: PageQuery, order: AccountOrder): Promise<Page<AccountView>> {
    const query = this.accounts.createQueryBuilder('a');
    restrict(query, visible);
    if (filter.status) query.andWhere('a.status = :status', { status: filter.status });
    if (filter.ids) query.andWhere('a.id IN (:...ids)', { ids: filter.ids });
    if (order === 'oldest') {
      const rows = await OLDEST.applyTo(query, page).getMany();
      return OLDEST.page(rows, page.limit, toAccountView, (a) => ({ requestedAt: a.requestedAt, id: a.id }));
    }
    const rows = await BY_NAME.applyTo(query, page).getMany();
    return BY_NAME.page(rows, page.limit, toAccountView, (a) => ({ lastName: a.lastName, firstName: a.firstName, id: a.id }));
  }

  /** Suspended for an absence with a date of resumption (CPAM 4.2). */
  absences(): Promise<Pick<AccountEntity, 'id' | 'tenantId'>[]> {
    return this.accounts.createQueryBuilder('a').select(['a.id', 'a.tenantId'])
      .where("a.status = 'suspended' AND a.resume_on IS NOT NULL").getMany();
  }

  /** Active accounts of the tenant with no sign-in (or, never signed in, no activation) for `days` days before `today`. */
  async idle(scope: TenantScope, today: string, days: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT a.id FROM accounts a
        WHERE a.tenant_id = $1 AND a.status = 'active' AND a.user_id IS NOT NULL
          AND coalesce((SELECT max(s.created_at) FROM auth_sessions s WHERE s.user_id = a.user_id), a.activated_at) < ($2::date - $3::int)`,
      [scope.tenantId, today, days],
    );
    return rows.map((r) => r.id);
  }

  /** Every tenant, for the daily jobs (the tenants table belongs to identity: read only). */
  async tenantIds(): Promise<string[]> {
    return (await this.db.query<{ id: string }>(`SELECT id FROM tenants`)).map((r) => r.id);
  }

  /** Whether the person enrolled TOTP (the users table belongs to identity: read only). */
  async mfaEnrolled(userId: string): Promise<boolean> {
    const [user] = await this.db.query<{ enrolled: boolean }>(`SELECT i.totp_enabled_at IS NOT NULL AS enrolled
         FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`,
      [userId]);
    return user?.enrolled ?? false;
  }
}

/** The visibility rule on a query whose `a` is the accounts table. */
export function restrict<Q extends { andWhere(where: string, params: object): unknown }>(query: Q, visible: AccountVisibility): Q {
  query.andWhere('a.tenant_id = :listTenant', { listTenant: visible.tenantId });
  if (visible.company) query.andWhere('a.contractor_id = :listCompany', { listCompany: visible.company });
  if (visible.ownUserId) query.andWhere('a.user_id = :listUser', { listUser: visible.ownUserId });
  return query;
}
