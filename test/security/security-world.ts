import { ApiKeyScope, Role } from '@app/core';
import { nextSiret, pdf, SmtpReceiver, TestContext, World } from '@app/testing';
import { Access, fetchDocument, Operation, operationsOf, paramKinds } from './openapi';

/** A caller of the API as the security suite sees it: its credentials and where it stands. */
export interface Caller {
  name: string;
  headers: Record<string, string>;
  /** 'A' the seeded establishment, 'B' another one; none for anonymous callers. */
  tenant?: 'A' | 'B';
  /** For contractor people: 'A' the seeded company, 'C' another company of tenant A, 'B' a company of tenant B. */
  contractor?: 'A' | 'B' | 'C';
  roles: string[];
  /** For gateway API keys. */
  scopes?: string[];
}

/** Path-parameter kinds whose objects belong to one contractor company (another company's people get 404). */
export const CONTRACTOR_OWNED = new Set(['accounts', 'contractors', 'signatures', 'habilitations', 'prestations', 'interventions', 'reviews', 'items']);

/** Whether the operation's declared rule lets this caller through the guard. */
export function mayCall(access: Access, caller: Caller): boolean {
  if (access.kind === 'public') return true;
  if (access.kind === 'gateway') return caller.scopes?.includes(access.scope) ?? false;
  return caller.roles.some((r) => access.roles.includes(r));
}

/** Tenant A's callers, most privileged first: the first one an operation allows is the one the fuzzer uses. */
const AUTHORIZED_ORDER = [
  'A:dsi', 'platform_admin', 'A:rssi', 'A:security_contact', 'A:legal_rep', 'A:security_deputy', 'A:referent', 'A:auditor', 'A:staff',
  'gateway:decisions', 'gateway:connections', 'anonymous',
];

const HOSPITAL = [Role.Dsi, Role.Rssi, Role.Referent, Role.Auditor];
const CONTRACTOR = [Role.LegalRep, Role.SecurityContact, Role.SecurityDeputy, Role.Staff];

/**
 * One realistic establishment (tenant A: the World of libs/testing, a person for every role, an object
 * of every kind a path names), another company of the same establishment (C) and another
 * establishment (B) with a person for every role, for the authorization matrix and the fuzzer.
 */
export class SecurityWorld {
  world!: World;
  /** Every caller: anonymous, gateway keys, every role of A, every role of B, C's contractor people. */
  readonly callers = new Map<string, Caller>();
  /** Object ids of tenant A by path segment (`accounts`, `reviews`, `items`...). */
  readonly objects: Record<string, string> = {};
  /** Ids a request body refers to, by field name (`contractorId`, `resourceId`...). */
  readonly references: Record<string, string> = {};
  /** Whole bodies for operations whose generated body would undo the story (new contacts would end the contacts' sessions). */
  readonly bodies: Record<string, object> = {};
  staffAccountId!: string;

  constructor(readonly ctx: TestContext, readonly smtp: SmtpReceiver) {}

  /** Every operation of the OpenAPI document the application serves. */
  operations: Operation[] = [];

  /**
   * A test app (API and worker, real SMTP) with the world seeded and the OpenAPI document read.
   * `others: false`: tenant A only (the fuzzer calls as A's people; the matrix also needs B and C).
   */
  static async start({ others = true } = {}): Promise<SecurityWorld> {
    const smtp = await SmtpReceiver.start();
    let ctx: TestContext | undefined;
    try {
      ctx = await TestContext.start({ env: { SMTP_URL: smtp.url }, worker: true });
      const sw = new SecurityWorld(ctx, smtp);
      await sw.seedTenantA();
      if (others) {
        await sw.seedOtherCompany();
        await sw.seedTenantB();
      }
      sw.operations = operationsOf((await fetchDocument(ctx)).dereferenced);
      return sw;
    } catch (error) {
      await ctx?.close();
      await smtp.stop();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.ctx.close();
    await this.smtp.stop();
  }

  caller(name: string): Caller {
    const c = this.callers.get(name);
    if (!c) throw new Error(`No caller ${name}`);
    return c;
  }

  /** A caller of tenant A whom the operation's declared rule allows. */
  authorizedFor(op: Operation): Caller {
    const name = AUTHORIZED_ORDER.find((n) => this.callers.has(n) && mayCall(op.access, this.caller(n)));
    if (!name) throw new Error(`${op.label}: no seeded caller may call it (${JSON.stringify(op.access)})`);
    return this.caller(name);
  }

  /** The path parameters of an operation, each naming tenant A's seeded object of its kind. */
  pathValues(op: Operation): Record<string, string> {
    return Object.fromEntries(Object.entries(paramKinds(op.path)).map(([name, kind]) => {
      const id = this.objects[kind];
      if (!id) throw new Error(`${op.label}: the security suite seeds no "${kind}" object; add one to test/security/security-world.ts`);
      return [name, id];
    }));
  }

  private add(caller: Caller): void {
    this.callers.set(caller.name, caller);
  }

  private async person(tenantId: string | null, role: Role, contractorId?: string): Promise<{ id: string; headers: Record<string, string> }> {
    const user = await this.ctx.createUser({ tenantId, roles: [role], contractorId });
    return { id: user.id, headers: (await this.ctx.signIn(user.email)).auth };
  }

  private async seedTenantA(): Promise<void> {
    const { ctx } = this;
    const w = (this.world = await World.build(ctx, this.smtp, 'secu'));
    const dsi = w.dsi.auth;
    const post = async (path: string, body: object, auth = dsi) => (await ctx.http.post(path).set(auth).send(body).expect(201)).body.id as string;

    this.add({ name: 'anonymous', headers: {}, roles: [] });
    this.add({ name: 'A:dsi', headers: dsi, tenant: 'A', roles: [Role.Dsi] });
    this.add({ name: 'A:security_contact', headers: w.securityContact.auth, tenant: 'A', contractor: 'A', roles: [Role.SecurityContact] });
    const legal = await w.acceptInvitation(w.contacts.legalRepresentative.email);
    this.add({ name: 'A:legal_rep', headers: legal.auth, tenant: 'A', contractor: 'A', roles: [Role.LegalRep] });
    const deputy = await w.acceptInvitation(w.contacts.securityDeputy.email);
    this.add({ name: 'A:security_deputy', headers: deputy.auth, tenant: 'A', contractor: 'A', roles: [Role.SecurityDeputy] });
    const admin = await this.person(null, Role.PlatformAdmin);
    this.add({ name: 'platform_admin', headers: admin.headers, roles: [Role.PlatformAdmin] });
    const rssi = await this.person(w.tenantId, Role.Rssi);
    this.add({ name: 'A:rssi', headers: rssi.headers, tenant: 'A', roles: [Role.Rssi] });
    const referent = await this.person(w.tenantId, Role.Referent);
    this.add({ name: 'A:referent', headers: referent.headers, tenant: 'A', roles: [Role.Referent] });
    const auditor = await this.person(w.tenantId, Role.Auditor);
    this.add({ name: 'A:auditor', headers: auditor.headers, tenant: 'A', roles: [Role.Auditor] });

    // The staff member holds an active account of the company; the target account is the one paths name.
    const staff = await w.activeAccount('Jean', 'Staff');
    this.staffAccountId = staff.id;
    this.add({ name: 'A:staff', headers: staff.holder.auth, tenant: 'A', contractor: 'A', roles: [Role.Staff] });
    const target = await w.activeAccount('Marie', 'Cible');
    const resource = await w.resource('PACS Sécurité', 'pacs-secu');
    const habilitation = await w.habilitate(target.id, resource);
    await w.habilitate(staff.id, resource);
    await ctx.http.put(`/v1/contractors/${w.contractorId}/referents`).set(dsi).send({ userIds: [referent.id] }).expect(200);

    // A window requested by the staff member (who may then cancel it) on the account it holds.
    const startsAt = new Date(ctx.clock.now().getTime() + 2 * 86_400_000);
    const intervention = await post('/v1/interventions', {
      contractorId: w.contractorId, accountIds: [staff.id], resourceIds: [resource], startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000),
      nature: 'Mise à jour', risks: 'Redémarrage', availabilityImpact: '10 minutes', changesSettings: false, changesData: false,
    }, staff.holder.auth);

    // Objects that the matrix may change for good (withdraw, end, revoke, delete) are spares, not those the story needs.
    const spareDocument = (await w.upload(dsi, '/v1/documents', { kind: 'security_referential', versionLabel: 'r1', effectiveOn: w.today() }, pdf('referential-secu')).expect(201)).body.id;
    const sparePrestation = await post(`/v1/contractors/${w.contractorId}/prestations`, { title: 'Spare', accessMode: 'onsite', rgpdSubcontractor: false, startsOn: w.today() });
    const spareKey = (await ctx.http.post('/v1/api-keys').set(dsi).send({ name: 'spare', scopes: ['decisions'] }).expect(201)).body.id;
    const webhook = await post('/v1/webhooks', { url: 'https://siem.example.test/hook', events: ['account.suspended'] });
    // A person whose sign-in the matrix may reset (TOTP) without ending the session of a caller it relies on.
    const spareUser = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Referent], enrolled: true });
    const derogation = await post('/v1/derogations', {
      kind: 'equipment', contractorId: w.contractorId, scope: 'Portable de diagnostic', justification: 'Diagnostic du PACS',
      validFrom: ctx.clock.now(), validUntil: new Date(ctx.clock.now().getTime() + 30 * 86_400_000),
    });
    const exportId = await post('/v1/connection-exports', {
      from: new Date(ctx.clock.now().getTime() - 86_400_000), to: ctx.clock.now(), reason: 'Contrôle de sécurité', format: 'csv',
    });
    const review = await post('/v1/reviews', { contractorId: w.contractorId });
    // An anomaly of the journal to triage (R-ART41), as correlation would have grouped it.
    const [anomaly] = await ctx.query<{ id: string }>(
      `INSERT INTO anomaly_cases (tenant_id, event_started_at, account_ref, kinds, severity, detected_at, updated_at)
       VALUES ($1, $2, 'inconnu@ailleurs.test', '{unknown_account}', 3, $2, $2) RETURNING id`, [w.tenantId, ctx.clock.now()],
    );
    const [item] = await ctx.query<{ id: string }>(`SELECT id FROM review_items WHERE campaign_id = $1 ORDER BY id LIMIT 1`, [review]);
    const [signature] = await ctx.query<{ id: string }>(`SELECT id FROM signatures WHERE contractor_id = $1 AND account_id IS NULL ORDER BY submitted_at LIMIT 1`, [w.contractorId]);
    const [charter] = await ctx.query<{ id: string }>(`SELECT id FROM documents WHERE tenant_id = $1 AND kind = 'charter'`, [w.tenantId]);

    for (const scope of [ApiKeyScope.Decisions, ApiKeyScope.Connections]) {
      const key = (await ctx.http.post('/v1/api-keys').set(dsi).send({ name: `gateway ${scope}`, scopes: [scope] }).expect(201)).body.key;
      this.add({ name: `gateway:${scope}`, headers: { 'X-Api-Key': key }, tenant: 'A', roles: [], scopes: [scope] });
    }

    Object.assign(this.objects, {
      accounts: target.id, contractors: w.contractorId, documents: spareDocument, signatures: signature.id, habilitations: habilitation,
      prestations: sparePrestation, interventions: intervention, reviews: review, items: item.id, derogations: derogation,
      'connection-exports': exportId, 'api-keys': spareKey, webhooks: webhook, users: spareUser.id, 'anomaly-cases': anomaly.id,
      // The platform operator's routes name the establishment (GET /v1/tenants/{id}/dsis); its TOTP reset names a user, the
      // spare referent: not a DSI, so the matrix's allowed call is a 404 and never signs out a caller it relies on.
      tenants: w.tenantId,
    });
    Object.assign(this.references, {
      contractorId: w.contractorId, accountId: target.id, accountIds: target.id, resourceId: resource, resourceIds: resource,
      documentId: charter.id, derogationId: derogation, userIds: referent.id, assigneeId: rssi.id,
      startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    });
    this.bodies['PUT /v1/contractors/{id}/contacts'] = w.contacts;
    this.bodies['POST /v1/connection-events'] = [
      { eventId: 'secu-1', account: target.email, resource: 'pacs-secu', sourceIp: '192.0.2.10', startedAt: ctx.clock.now(), outcome: 'success' },
    ];
  }

  /** Another company of tenant A, with its own people (none of them may see company A's objects). */
  private async seedOtherCompany(): Promise<void> {
    const { ctx, world } = this;
    const other = (await ctx.http.post('/v1/contractors').set(world.dsi.auth)
      .send({ legalName: 'Autre Société SAS', siret: nextSiret(), address: 'Laval' }).expect(201)).body.id;
    for (const role of CONTRACTOR) {
      const p = await this.person(world.tenantId, role, other);
      this.add({ name: `C:${role}`, headers: p.headers, tenant: 'A', contractor: 'C', roles: [role] });
    }
  }

  /** Another establishment with a person for every role: none of them may see tenant A's objects. */
  private async seedTenantB(): Promise<void> {
    const { ctx } = this;
    const { tenantId, dsi } = await ctx.tenantWithDsi();
    this.add({ name: 'B:dsi', headers: dsi.auth, tenant: 'B', roles: [Role.Dsi] });
    for (const role of HOSPITAL.filter((r) => r !== Role.Dsi)) {
      const p = await this.person(tenantId, role);
      this.add({ name: `B:${role}`, headers: p.headers, tenant: 'B', roles: [role] });
    }
    const company = (await ctx.http.post('/v1/contractors').set(dsi.auth)
      .send({ legalName: 'Société B SAS', siret: nextSiret(), address: 'Nantes' }).expect(201)).body.id;
    for (const role of CONTRACTOR) {
      const p = await this.person(tenantId, role, company);
      this.add({ name: `B:${role}`, headers: p.headers, tenant: 'B', contractor: 'B', roles: [role] });
    }
  }
}

/** Registers the beforeAll that starts a SecurityWorld and hands it to `started`, and the afterAll that closes it. */
export function useSecurityWorld(
  options: { others?: boolean }, started: (sw: SecurityWorld) => Promise<void> | void, timeout = 180_000,
): void {
  let sw: SecurityWorld | undefined;
  beforeAll(async () => {
    sw = await SecurityWorld.start(options);
    await started(sw);
  }, timeout);
  afterAll(() => sw?.close());
}
