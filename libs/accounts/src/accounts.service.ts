import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  Actor, actorOf, AuditService, Clock, ConflictError, Db, DomainError, DomainEvents, isUniqueViolation, Keyset, Lifecycle, lockRow, Page,
  PageQuery, Role, SYSTEM_ACTOR, UserPrincipal, ValidationFailed,
} from '@app/core';
import { SignaturesService, SignatureView, SubmitSignature } from '@app/charters';
import { ContractorAccess, Directory, PrestationsService } from '@app/contractors';
import { DerogationsService } from '@app/derogations';
import { SessionsService, TenantCalendar, UsersRepository, UsersService } from '@app/identity';
import { NotificationsService, WebhooksService } from '@app/notifications';
import { AccountAccess } from './account-access';
import { AccountEntity, AccountStatus, SuspensionKind } from './entities';
import { AccountReadiness } from './readiness';
import { AccountView, auditAccount, toAccountView } from './views';

export interface RequestAccount {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  shared?: boolean;
}

/** Which accounts a list shows: one company's, or the whole tenant's (a contractor person's: its own company's). */
export interface AccountFilter {
  contractorId?: string;
  status?: AccountStatus;
  /** Only these accounts (the approvals queue names the people whose habilitations wait). */
  ids?: string[];
}

/** `name`: a directory; `oldest`: a queue, the first requested first. */
export type AccountOrder = 'name' | 'oldest';
export const ACCOUNT_ORDERS: AccountOrder[] = ['name', 'oldest'];

/** Lists of accounts: by name, the id breaking ties (indexes accounts_contractor_name_idx, accounts_tenant_name_idx). */
const BY_NAME = new Keyset('ASC', [['lastName', 'a.last_name', 'text'], ['firstName', 'a.first_name', 'text'], ['id', 'a.id', 'uuid']]);
/** The same as a queue: oldest request first (index accounts_queue_idx with a status, accounts_contractor_idx with a company). */
const OLDEST = new Keyset('ASC', [['requestedAt', 'a.requested_at', 'instant'], ['id', 'a.id', 'uuid']]);

type AccountAction = 'approved' | 'rejected' | 'activated' | 'suspended' | 'resumed' | 'deactivated';

/** R-ART28 R-INT: legal transitions of the account lifecycle, for the DSI's routes and the scheduler alike; anything else is a 409. */
export const ACCOUNT_LIFECYCLE = new Lifecycle<AccountStatus, AccountAction>('account', 'ILLEGAL_TRANSITION', {
  approved: ['requested'],
  rejected: ['requested'],
  activated: ['approved'],
  suspended: ['approved', 'active'],
  resumed: ['suspended'],
  deactivated: ['requested', 'approved', 'active', 'suspended'],
});

/**
 * R-ART28: one account per named person of a contractor. requested (security contact or deputy)
 * -> approved (DSI) -> active (gate open, convention signed, contacts declared, TOTP enrolled)
 * -> suspended | deactivated. Every transition is audited with its actor and reason; suspending
 * or deactivating closes the person's sessions at once.
 */
@Injectable()
export class AccountsService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly access: AccountAccess,
    private readonly contractorAccess: ContractorAccess,
    private readonly prestations: PrestationsService,
    private readonly readiness: AccountReadiness,
    private readonly signatures: SignaturesService,
    private readonly derogations: DerogationsService,
    private readonly users: UsersRepository,
    private readonly invitations: UsersService,
    private readonly sessions: SessionsService,
    private readonly directory: Directory,
    private readonly notifications: NotificationsService,
    private readonly webhooks: WebhooksService,
    private readonly events: DomainEvents,
    private readonly audit: AuditService,
    private readonly calendar: TenantCalendar,
    private readonly clock: Clock,
  ) {}

  private get repo() {
    return this.db.manager.getRepository(AccountEntity);
  }

  onModuleInit(): void {
    // An account becomes active as soon as its last requirement is met, whichever comes last.
    this.events.on('signature.validated', async (e) => {
      if (e.accountId) await this.tryActivate(e.accountId, SYSTEM_ACTOR);
      else await this.tryActivateAllOf(e.contractorId);
    });
    this.events.on('user.mfa_enrolled', async (e) => {
      const accounts = await this.repo.findBy({ userId: e.userId, status: 'approved' });
      for (const a of accounts) await this.tryActivate(a.id, SYSTEM_ACTOR);
    });
    // R-ART10: a contractor with no prestation left loses its accounts.
    this.events.on('prestation.ended', async (e) => {
      const today = await this.calendar.today(e.tenantId);
      if ((await this.prestations.running(e.contractorId, today)).length) return;
      const accounts = await this.repo.createQueryBuilder('a')
        .where("a.contractor_id = :id AND a.status NOT IN ('deactivated', 'rejected')", { id: e.contractorId }).getMany();
      for (const a of accounts) await this.deactivate(a, SYSTEM_ACTOR, `end of prestation: ${e.reason}`);
    });
  }

  async request(principal: UserPrincipal, contractorId: string, input: RequestAccount): Promise<AccountView> {
    return this.db.transaction(async () => {
      const contractor = await this.contractorAccess.require(principal, contractorId, 'declare');
      let derogationId: string | null = null;
      if (input.shared) {
        // R-ART16-27 / Art. 30: a shared account only under a shared-account derogation in force.
        const derogation = await this.derogations.covering(contractor.tenantId, 'shared_account', contractorId);
        if (!derogation) throw new ConflictError('SHARED_ACCOUNT_NEEDS_DEROGATION', 'A shared account needs a shared-account derogation of the DSI (Art. 30)');
        derogationId = derogation.id;
      }
      // The person is known by the e-mail: two homonyms are two people, one e-mail is one person.
      const samePerson = await this.repo.createQueryBuilder('a')
        .where("a.tenant_id = :t AND a.status NOT IN ('deactivated', 'rejected') AND lower(a.email) = lower(:email)",
          { t: contractor.tenantId, email: input.email.trim() })
        .getExists();
      if (samePerson) throw new ConflictError('ACCOUNT_EXISTS', 'This person already holds an account in this establishment (one account per person)');
      await this.events.emit('contractor.person_named', { tenantId: contractor.tenantId, contractorId, email: input.email, userId: null }); // R-ART35 R-INT
      const account = await this.repo.save(this.repo.create({
        tenantId: contractor.tenantId, contractorId, firstName: input.firstName.trim(), lastName: input.lastName.trim(),
        email: input.email.trim(), phone: input.phone.trim(), shared: input.shared ?? false, derogationId, status: 'requested',
        requestedBy: principal.userId, requestedAt: this.clock.now(),
      })).catch((error: unknown) => {
        if (isUniqueViolation(error, 'accounts_person_key')) throw new ConflictError('ACCOUNT_EXISTS', 'This person already holds an account in this establishment');
        throw error;
      });
      await this.transitionAudit(account, actorOf(principal), 'account.requested', null, input.shared ? 'shared account under derogation' : null);
      return toAccountView(account);
    });
  }

  /** The DSI approves; the person is invited (or, already a person of this company, given the staff role). */
  async approve(principal: UserPrincipal, id: string): Promise<AccountView> {
    return this.db.transaction(async () => {
      const account = await this.transitionable(principal, id, 'approved');
      let user = await this.users.findByEmail(account.email);
      if (user && user.contractorId !== account.contractorId) {
        throw new ConflictError('EMAIL_TAKEN', `${account.email} already belongs to someone outside this company`);
      }
      if (user) {
        await this.users.update(user.id, { roles: [...new Set([...user.roles, Role.Staff])] });
      } else {
        user = await this.invitations.invite(actorOf(principal), { tenantId: account.tenantId }, {
          email: account.email, firstName: account.firstName, lastName: account.lastName, roles: [Role.Staff], contractorId: account.contractorId,
        });
      }
      const before = auditAccount(account);
      await this.repo.update({ id }, { status: 'approved', userId: user.id, approvedBy: principal.userId, approvedAt: this.clock.now() });
      await this.transitionAudit({ ...account, status: 'approved' }, actorOf(principal), 'account.approved', before, null);
      await this.tryActivate(id, SYSTEM_ACTOR);
      return this.view(id);
    });
  }

  async reject(principal: UserPrincipal, id: string, reason: string): Promise<AccountView> {
    return this.db.transaction(async () => {
      const account = await this.transitionable(principal, id, 'rejected');
      await this.repo.update({ id }, { status: 'rejected', deactivationReason: reason });
      await this.transitionAudit({ ...account, status: 'rejected' }, actorOf(principal), 'account.rejected', auditAccount(account), reason);
      return this.view(id);
    });
  }

  /** Explicit activation by the DSI: refused with the list of what is missing. */
  async activate(principal: UserPrincipal, id: string): Promise<AccountView> {
    return this.db.transaction(async () => {
      const account = await this.transitionable(principal, id, 'activated');
      const missing = await this.readiness.missing(account);
      if (missing.length) {
        throw new DomainError('ACCOUNT_NOT_READY', 409, `The account cannot be activated: ${missing.map((m) => m.code).join(', ')}`, { missing });
      }
      await this.markActive(account, actorOf(principal));
      return this.view(id);
    });
  }

  async readinessOf(principal: UserPrincipal, id: string) {
    const account = await this.access.require(principal, id, 'read');
    const missing = account.status === 'requested' ? [{ code: 'ACCOUNT_NOT_APPROVED', detail: 'The DSI has not approved this account yet' }] : [];
    missing.push(...(await this.readiness.missing(account)));
    return { ready: missing.length === 0, missing };
  }

  /** Suspension by the DSI (reason), or a prolonged absence with the date it resumes on its own (CPAM 4.2). */
  async suspend(principal: UserPrincipal, id: string, reason: string, resumeOn?: string): Promise<AccountView> {
    if (resumeOn && resumeOn <= (await this.calendar.today(principal.tenantId!))) {
      throw new ValidationFailed('The resumption date must be in the future', [{ field: 'resumeOn', message: 'must be after today' }]);
    }
    return this.db.transaction(async () => {
      const account = await this.transitionable(principal, id, 'suspended');
      await this.suspendAccount(account, actorOf(principal), resumeOn ? 'absence' : 'manual', reason, resumeOn ?? null);
      return this.view(id);
    });
  }

  async resume(principal: UserPrincipal, id: string): Promise<AccountView> {
    return this.db.transaction(async () => {
      const account = await this.transitionable(principal, id, 'resumed');
      await this.resumeAccount(account, actorOf(principal), 'resumed by the DSI');
      return this.view(id);
    });
  }

  /** A page of accounts; without a company, the tenant's (a contractor person's: its own company's). */
  async list(principal: UserPrincipal, filter: AccountFilter, page: PageQuery, order: AccountOrder = 'name'): Promise<Page<AccountView>> {
    const query = await this.access.restrictList(principal, this.repo.createQueryBuilder('a'), filter.contractorId);
    if (filter.status) query.andWhere('a.status = :status', { status: filter.status });
    if (filter.ids) query.andWhere('a.id IN (:...ids)', { ids: filter.ids });
    if (order === 'oldest') {
      const rows = await OLDEST.applyTo(query, page).getMany();
      return OLDEST.page(rows, page.limit, toAccountView, (a) => ({ requestedAt: a.requestedAt, id: a.id }));
    }
    const rows = await BY_NAME.applyTo(query, page).getMany();
    return BY_NAME.page(rows, page.limit, toAccountView, (a) => ({ lastName: a.lastName, firstName: a.firstName, id: a.id }));
  }

  async get(principal: UserPrincipal, id: string): Promise<AccountView> {
    return toAccountView(await this.access.require(principal, id, 'read'));
  }

  /** R-ART2: the person's access convention, signed by the person; validated by the DSI like any signature. */
  async submitConvention(principal: UserPrincipal, id: string, input: SubmitSignature): Promise<SignatureView> {
    const account = await this.access.require(principal, id, 'declare');
    if (!['requested', 'approved', 'active', 'suspended'].includes(account.status)) {
      throw new ConflictError('ACCOUNT_CLOSED', `This account is ${account.status}`);
    }
    return this.signatures.submitConvention(principal, account, input);
  }

  // ---- used by departures, incidents, reviews and the scheduler ----

  async tryActivate(id: string, actor: Actor): Promise<boolean> {
    return this.db.transaction(async () => {
      const account = await this.lockedIf(id, 'activated');
      if (!account) return false;
      if ((await this.readiness.missing(account)).length) return false;
      await this.markActive(account, actor);
      return true;
    });
  }

  /** Under the account's row lock, whoever calls (DSI, incident, review, scheduler): 409 with the current status if it may not be suspended. */
  async suspendAccount(found: AccountEntity, actor: Actor, kind: SuspensionKind, reason: string, resumeOn: string | null): Promise<void> {
    return this.db.transaction(() => this.suspendLocked(found.id, actor, kind, reason, resumeOn));
  }

  private async suspendLocked(id: string, actor: Actor, kind: SuspensionKind, reason: string, resumeOn: string | null): Promise<void> {
    const account = await this.locked(id, 'suspended');
    const before = auditAccount(account);
    const now = this.clock.now();
    await this.repo.update({ id: account.id }, { status: 'suspended', suspendedAt: now, suspensionKind: kind, suspensionReason: reason, resumeOn });
    if (account.userId) {
      await this.users.update(account.userId, { status: 'suspended' });
      await this.sessions.revokeAllOf(account.userId, `account suspended: ${kind}`);
    }
    const after = { ...account, status: 'suspended' as const, suspensionKind: kind, suspensionReason: reason, resumeOn };
    await this.transitionAudit(after, actor, 'account.suspended', before, reason);
    const contractor = await this.directory.companyName(account.contractorId);
    const data = { person: `${account.firstName} ${account.lastName}`, contractor, reason, resumeOn };
    await this.notifications.emailEach([
      { email: account.email, locale: 'fr' as const },
      ...(await this.directory.contactsOf(account.contractorId, ['security_contact', 'security_deputy'])),
    ], { tenantId: account.tenantId, template: 'account-suspended', data });
    await this.webhooks.publish(account.tenantId, 'account.suspended', { accountId: account.id, contractorId: account.contractorId, kind, reason, resumeOn });
  }

  async resumeAccount(found: AccountEntity, actor: Actor, reason: string): Promise<void> {
    return this.db.transaction(() => this.resumeLocked(found.id, actor, reason));
  }

  private async resumeLocked(id: string, actor: Actor, reason: string): Promise<void> {
    const account = await this.locked(id, 'resumed');
    const before = auditAccount(account);
    const ready = (await this.readiness.missing(account)).length === 0 && account.activatedAt !== null;
    const status: AccountStatus = ready ? 'active' : 'approved';
    await this.repo.update({ id: account.id }, { status, suspendedAt: null, suspensionKind: null, suspensionReason: null, resumeOn: null });
    if (account.userId) {
      // Someone suspended before choosing a password goes back to "invited", so that the invitation link works again.
      const user = await this.users.findById(account.userId);
      await this.users.update(account.userId, { status: user?.passwordHash ? 'active' : 'invited' });
    }
    await this.transitionAudit({ ...account, status, suspensionKind: null, suspensionReason: null, resumeOn: null }, actor, 'account.resumed', before, reason);
    await this.webhooks.publish(account.tenantId, 'account.resumed', { accountId: account.id, contractorId: account.contractorId, status });
  }

  /** Deactivation (departure R-ART35, end of prestation R-ART10, review R-ART34): final, at once. */
  async deactivate(found: AccountEntity, actor: Actor, reason: string): Promise<void> {
    return this.db.transaction(() => this.deactivateLocked(found.id, actor, reason));
  }

  /** Already closed (by a parallel departure, review or end of prestation): nothing more to do. */
  private async deactivateLocked(id: string, actor: Actor, reason: string): Promise<void> {
    const account = await this.lockedIf(id, 'deactivated');
    if (!account) return;
    const before = auditAccount(account);
    const now = this.clock.now();
    await this.repo.update({ id: account.id }, { status: 'deactivated', deactivatedAt: now, deactivationReason: reason });
    if (account.userId) {
      const user = await this.users.findById(account.userId);
      const otherRoles = user?.roles.filter((r) => r !== Role.Staff) ?? [];
      // A contact who also held this account keeps their contact roles; otherwise the person is closed, with no role left (R-INT).
      await this.users.update(account.userId, otherRoles.length ? { roles: otherRoles } : { roles: [], status: 'deactivated' });
      await this.sessions.revokeAllOf(account.userId, `account deactivated: ${reason}`);
    }
    await this.transitionAudit({ ...account, status: 'deactivated', deactivationReason: reason }, actor, 'account.deactivated', before, reason);
    await this.events.emit('account.deactivated', { tenantId: account.tenantId, contractorId: account.contractorId, accountId: account.id, reason });
    const contractor = await this.directory.companyName(account.contractorId);
    await this.notifications.emailEach(await this.directory.hospital(account.tenantId, [Role.Dsi]), {
      tenantId: account.tenantId, template: 'account-deactivated',
      data: { person: `${account.firstName} ${account.lastName}`, contractor, reason, effectiveOn: await this.calendar.today(account.tenantId) },
    });
    await this.webhooks.publish(account.tenantId, 'account.deactivated', {
      accountId: account.id, contractorId: account.contractorId, email: account.email, reason, deactivatedAt: now.toISOString(),
    });
  }

  private async tryActivateAllOf(contractorId: string): Promise<void> {
    const approved = await this.repo.findBy({ contractorId, status: 'approved' });
    for (const a of approved) await this.tryActivate(a.id, SYSTEM_ACTOR);
  }

  private async markActive(account: AccountEntity, actor: Actor): Promise<void> {
    await this.repo.update({ id: account.id }, { status: 'active', activatedAt: this.clock.now() });
    await this.transitionAudit({ ...account, status: 'active' }, actor, 'account.activated', auditAccount(account), null);
  }

  /** The access check, then the row lock, then the lifecycle's check on the state read under the lock (R-INT). */
  private async transitionable(principal: UserPrincipal, id: string, action: AccountAction): Promise<AccountEntity> {
    await this.access.require(principal, id, 'administer', true);
    return this.locked(id, action);
  }

  /** Locks the account (inside the caller's transaction) and reads it: 409 with its current status unless `action` may follow. */
  private async locked(id: string, action: AccountAction): Promise<AccountEntity> {
    await lockRow(this.db, 'accounts', id);
    const account = await this.repo.findOneByOrFail({ id });
    ACCOUNT_LIFECYCLE.check(account.status, action);
    return account;
  }

  /** For the scheduler and listeners: the locked account if `action` may follow, else nothing (someone else got there first). */
  async lockedIf(id: string, action: AccountAction): Promise<AccountEntity | null> {
    if (!(await lockRow(this.db, 'accounts', id))) return null;
    const account = await this.repo.findOneByOrFail({ id });
    return ACCOUNT_LIFECYCLE.can(account.status, action) ? account : null;
  }

  private async transitionAudit(account: AccountEntity, actor: Actor, action: string, before: object | null, reason: string | null): Promise<void> {
    await this.audit.record({
      tenantId: account.tenantId, actor, action, targetType: 'account', targetId: account.id,
      before, after: { ...auditAccount(account), reason, contractorId: account.contractorId, person: `${account.firstName} ${account.lastName}` },
    });
  }

  private async view(id: string): Promise<AccountView> {
    return toAccountView(await this.repo.findOneByOrFail({ id }));
  }
}
