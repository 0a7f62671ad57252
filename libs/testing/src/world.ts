import { bodyOf, SmtpReceiver } from './smtp-receiver';
import { contactsPayload, nextSiret, pdf } from './fixtures';
import { SignedIn } from './sign-in';
import { TestContext } from './test-context';

/** A multipart POST of a signed PDF with its form fields. */
export function uploadSigned(ctx: TestContext, auth: Record<string, string>, path: string, fields: Record<string, string>, file: Buffer) {
  let req = ctx.http.post(path).set(auth);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('file', file, { filename: 'signed.pdf', contentType: 'application/pdf' });
}

/** Follows the invitation link of the e-mail, chooses a password and signs in (TOTP enrolled). */
/** `establishment`: the one whose invitation (R-MEMB one address may be invited by several: the newest one naming it). */
export async function acceptInvitation(
  ctx: TestContext, smtp: SmtpReceiver, email: string, password: string, establishment = '',
): Promise<SignedIn> {
  const mails = await smtp.waitForSubject(email, 'Invitation', 1, undefined, establishment);
  const mail = mails[mails.length - 1];
  const token = /accept-invitation\?token=([\w-]+)/.exec(bodyOf(mail.raw))![1];
  await ctx.http.post('/v1/auth/invitations/accept').send({ token, password }).expect(200);
  return ctx.signIn(email, password);
}

export interface ActiveAccount {
  id: string;
  holder: SignedIn;
  email: string;
}

/**
 * A ready-made establishment with an open gate: a tenant and its DSI, a contractor with its contacts, a running remote
 * prestation, the charter signed and validated, the convention published. Helpers add the rest through the public API.
 */
export class World {
  dsi!: SignedIn;
  tenantId!: string;
  contractorId!: string;
  securityContact!: SignedIn;
  conventionId!: string;
  readonly contacts: ReturnType<typeof contactsPayload>;

  /** The establishment's name. */
  establishment!: string;
  /** The company's SIRET (R-MEMB another World may register the same company at its establishment). */
  siret = nextSiret();

  constructor(readonly ctx: TestContext, readonly smtp: SmtpReceiver, readonly name = `w${Math.random().toString(36).slice(2, 8)}`) {
    this.contacts = contactsPayload(this.name);
  }

  static async build(ctx: TestContext, smtp: SmtpReceiver, name?: string, company?: { siret: string }): Promise<World> {
    const world = new World(ctx, smtp, name);
    if (company) world.siret = company.siret;
    await world.setUp();
    return world;
  }

  today(): string {
    return this.ctx.clock.now().toISOString().slice(0, 10);
  }

  upload(auth: Record<string, string>, path: string, fields: Record<string, string>, file: Buffer) {
    return uploadSigned(this.ctx, auth, path, fields, file);
  }

  acceptInvitation(email: string, password = 'Contractor-Pass-42!'): Promise<SignedIn> {
    return acceptInvitation(this.ctx, this.smtp, email, password, this.establishment);
  }

  private async setUp(): Promise<void> {
    const { ctx } = this;
    ({ tenantId: this.tenantId, dsi: this.dsi } = await ctx.tenantWithDsi());
    [{ name: this.establishment }] = await ctx.query<{ name: string }>(`SELECT name FROM tenants WHERE id = $1`, [this.tenantId]);
    this.contractorId = (await ctx.http.post('/v1/contractors').set(this.dsi.auth)
      .send({ legalName: `${this.name} SAS`, siret: this.siret, address: 'Le Mans' }).expect(201)).body.id;
    await ctx.http.put(`/v1/contractors/${this.contractorId}/contacts`).set(this.dsi.auth).send(this.contacts).expect(200);
    this.securityContact = await this.acceptInvitation(this.contacts.securityContact.email);
    await ctx.http.post(`/v1/contractors/${this.contractorId}/prestations`).set(this.dsi.auth)
      .send({ title: 'Maintenance', accessMode: 'remote', rgpdSubcontractor: false, startsOn: this.today() }).expect(201);
    const charterFields = { kind: 'charter', versionLabel: 'v2.0', effectiveOn: this.today() };
    const charter = await this.upload(this.dsi.auth, '/v1/documents', charterFields, pdf(`charter-${this.name}`)).expect(201);
    const signed = await this.upload(this.securityContact.auth, `/v1/contractors/${this.contractorId}/signatures`, {
      documentId: charter.body.id,
      signerFirstName: this.contacts.legalRepresentative.firstName,
      signerLastName: this.contacts.legalRepresentative.lastName,
      signerFunction: 'Présidente', signedOn: this.today(), allPagesInitialled: 'true',
    }, pdf(`charter-signed-${this.name}`)).expect(201);
    await validateSignature(ctx, signed.body.id, this.dsi.auth);
    const conventionFields = { kind: 'access_convention', versionLabel: 'c1', effectiveOn: this.today() };
    this.conventionId = (await this.upload(this.dsi.auth, '/v1/documents', conventionFields, pdf(`conv-${this.name}`)).expect(201)).body.id;
  }

  /** Requested, approved, convention signed and validated, TOTP enrolled: an active account and its signed-in holder. */
  async activeAccount(first: string, last: string, email = `${first}.${last}.${this.name}@contractor.test`.toLowerCase(),
  ): Promise<ActiveAccount> {
    const { ctx } = this;
    const requested = await ctx.http.post(`/v1/contractors/${this.contractorId}/accounts`).set(this.securityContact.auth)
      .send({ firstName: first, lastName: last, email, phone: '+33 6 00 00 00 00' }).expect(201);
    await ctx.http.post(`/v1/accounts/${requested.body.id}/approve`).set(this.dsi.auth).expect(200);
    const holder = await this.acceptInvitation(email, 'Intervenant-Pass-42!');
    const convention = await this.upload(this.securityContact.auth, `/v1/accounts/${requested.body.id}/convention`, {
      documentId: this.conventionId, signerFirstName: first, signerLastName: last, signedOn: this.today(), allPagesInitialled: 'true',
    }, pdf(`convention-${email}`)).expect(201);
    await validateSignature(ctx, convention.body.id, this.dsi.auth);
    return { id: requested.body.id, holder, email };
  }

  async resource(name: string, externalId = name.toLowerCase().replace(/\W+/g, '-')): Promise<string> {
    return (await this.ctx.http.post('/v1/resources').set(this.dsi.auth)
      .send({ name, kind: 'application', criticality: 'high', externalId }).expect(201)).body.id;
  }

  /** A new resource and active accounts of these people (first, last), each then habilitated on it. */
  async staffedResource(
    name: string, externalId: string, people: [string, string][],
  ): Promise<{ resource: string; accounts: ActiveAccount[] }> {
    const resource = await this.resource(name, externalId);
    const accounts: ActiveAccount[] = [];
    for (const [first, last] of people) accounts.push(await this.activeAccount(first, last));
    for (const a of accounts) await this.habilitate(a.id, resource);
    return { resource, accounts };
  }

  /** An approved habilitation of the account on the resource. */
  async habilitate(accountId: string, resourceId: string, accessType: 'remote' | 'onsite' = 'remote', endsOn?: string): Promise<string> {
    const h = await this.ctx.http.post(`/v1/accounts/${accountId}/habilitations`).set(this.securityContact.auth)
      .send({ resourceId, accessType, level: 'operate', ...(endsOn ? { endsOn } : {}) }).expect(201);
    await this.ctx.http.post(`/v1/habilitations/${h.body.id}/approve`).set(this.dsi.auth).expect(200);
    return h.body.id;
  }

  /** A window requested by the security contact and approved by the DSI (overriding usage periods). */
  async approvedWindow(accountIds: string[], resourceIds: string[], startsAt: Date, endsAt: Date): Promise<string> {
    const w = await this.ctx.http.post('/v1/interventions').set(this.securityContact.auth).send({
      contractorId: this.contractorId, accountIds, resourceIds, startsAt, endsAt, nature: 'Mise à jour', risks: 'Redémarrage',
      availabilityImpact: '10 minutes', changesSettings: false, changesData: false,
    }).expect(201);
    await this.ctx.http.post(`/v1/interventions/${w.body.id}/approve`).set(this.dsi.auth).send({ overrideUsage: true }).expect(200);
    return w.body.id;
  }

  /** Active accounts of these people, habilitated on a new resource, named by an approved window starting in an hour. */
  async windowOf(people: [first: string, last: string][], resource: string): Promise<{ id: string; accounts: ActiveAccount[] }> {
    const accounts: ActiveAccount[] = [];
    for (const [first, last] of people) accounts.push(await this.activeAccount(first, last));
    const resourceId = await this.resource(resource);
    for (const a of accounts) await this.habilitate(a.id, resourceId);
    const start = new Date(this.ctx.clock.now().getTime() + 3_600_000);
    const id = await this.approvedWindow(accounts.map((a) => a.id), [resourceId], start, new Date(start.getTime() + 3_600_000));
    return { id, accounts };
  }

  /** A gateway API key of the tenant with the decisions (and connections) scopes. */
  async gatewayKey(): Promise<string> {
    const key = { name: 'bastion', scopes: ['decisions', 'connections'] };
    return (await this.ctx.http.post('/v1/api-keys').set(this.dsi.auth).send(key).expect(201)).body.key;
  }
}

/** R-ART2: the DSI opens the signed file, then validates the signature (the API refuses a validation before). */
export async function validateSignature(ctx: TestContext, id: string, auth: Record<string, string>): Promise<void> {
  await ctx.http.get(`/v1/signatures/${id}/file`).set(auth).expect(200);
  await ctx.http.post(`/v1/signatures/${id}/validate`).set(auth).expect(200);
}
