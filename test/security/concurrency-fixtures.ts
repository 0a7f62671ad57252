import { Role } from '@app/core';
import { nextSiret, pdf, REVIEW_STATEMENT } from '@app/testing';
import { SecurityWorld } from './security-world';

let seq = 0;
const next = () => `${++seq}${Math.random().toString(36).slice(2, 6)}`;

/**
 * Fresh objects of tenant A in the state an operation starts from, made through the public API like the people
 * would (a concurrency burst changes its object for good, so every burst gets its own).
 */
export class Fixtures {
  constructor(readonly sw: SecurityWorld) {}

  private get ctx() {
    return this.sw.ctx;
  }
  private get w() {
    return this.sw.world;
  }
  get dsi() {
    return this.w.dsi.auth;
  }
  get contact() {
    return this.w.securityContact.auth;
  }

  private async post(path: string, body: object, auth = this.dsi, status = 201): Promise<string> {
    return (await this.ctx.http.post(path).set(auth).send(body).expect(status)).body.id as string;
  }

  /** R-ART41 an anomaly case as correlation groups it, in the given triage status. */
  async anomalyCase(status: 'open' | 'closed' = 'open'): Promise<string> {
    const [row] = await this.ctx.query<{ id: string }>(
      `INSERT INTO anomaly_cases (tenant_id, event_started_at, account_ref, kinds, severity, status, detected_at, updated_at)
       VALUES ($1, $2, 'inconnu@ailleurs.test', '{unknown_account}', 3, $3, $2, $2) RETURNING id`, [this.w.tenantId, this.ctx.clock.now(), status],
    );
    return row.id;
  }

  async requestedAccount(): Promise<string> {
    const n = next();
    return this.post(`/v1/contractors/${this.w.contractorId}/accounts`, {
      firstName: 'Paul', lastName: `Course${n}`, email: `paul.${n}.${this.w.name}@contractor.test`, phone: '+33 6 00 00 00 00',
    }, this.contact);
  }

  async approvedAccount(): Promise<string> {
    const id = await this.requestedAccount();
    await this.ctx.http.post(`/v1/accounts/${id}/approve`).set(this.dsi).expect(200);
    return id;
  }

  async suspendedAccount(): Promise<string> {
    const id = await this.approvedAccount();
    await this.ctx.http.post(`/v1/accounts/${id}/suspend`).set(this.dsi).send({ reason: 'Absence prolongée' }).expect(200);
    return id;
  }

  /** An active account whose person the company declared gone today (R-ART35): what only the DSI reinstates. */
  async departedAccount(): Promise<string> {
    const [firstName, lastName] = ['Hugo', `Parti${next()}`];
    const { id } = await this.w.activeAccount(firstName, lastName);
    await this.ctx.http.post(`/v1/contractors/${this.w.contractorId}/departures`).set(this.contact)
      .send({ firstName, lastName, accountId: id, effectiveOn: this.w.today() }).expect(201);
    return id;
  }

  /** Every requirement met but not activated yet: the state an explicit activation by the DSI starts from. */
  async readyApprovedAccount(): Promise<string> {
    const { id } = await this.w.activeAccount('Lea', `Prete${next()}`);
    await this.ctx.query(`UPDATE accounts SET status = 'approved', activated_at = NULL WHERE id = $1`, [id]);
    return id;
  }

  async requestedHabilitation(): Promise<string> {
    return this.post(`/v1/accounts/${this.sw.objects.accounts}/habilitations`,
      { resourceId: this.sw.references.resourceId, accessType: 'remote', level: 'read' }, this.contact);
  }

  async approvedHabilitation(): Promise<string> {
    const id = await this.requestedHabilitation();
    await this.ctx.http.post(`/v1/habilitations/${id}/approve`).set(this.dsi).expect(200);
    return id;
  }

  private windowBody(emergency: boolean) {
    const now = this.ctx.clock.now().getTime();
    const startsAt = new Date(emergency ? now : now + 3 * 86_400_000 + seq * 7_200_000);
    return {
      contractorId: this.w.contractorId, accountIds: [this.sw.staffAccountId], resourceIds: [this.sw.references.resourceId],
      startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), nature: 'Mise à jour', risks: 'Redémarrage', availabilityImpact: '10 minutes',
      changesSettings: false, changesData: false, ...(emergency ? { emergency: true, justification: 'Serveur PACS arrêté' } : {}),
    };
  }

  async requestedWindow(): Promise<string> {
    next();
    return this.post('/v1/interventions', this.windowBody(false), this.contact);
  }

  async approvedWindow(): Promise<string> {
    const id = await this.requestedWindow();
    await this.ctx.http.post(`/v1/interventions/${id}/approve`).set(this.dsi).send({ overrideUsage: true }).expect(200);
    return id;
  }

  /** Declared by the contractor, started now, waiting for the hospital's after-the-fact review (R-ART36). */
  async pendingEmergency(): Promise<string> {
    return this.post('/v1/interventions', this.windowBody(true), this.contact);
  }

  async derogation(): Promise<string> {
    const now = this.ctx.clock.now();
    return this.post('/v1/derogations', {
      kind: 'equipment', contractorId: this.w.contractorId, scope: `Portable ${next()}`, justification: 'Diagnostic du PACS',
      validFrom: now, validUntil: new Date(now.getTime() + 30 * 86_400_000),
    });
  }

  async webhook(): Promise<string> {
    return this.post('/v1/webhooks', { url: `https://siem.example.test/hook/${next()}`, events: ['account.suspended'] });
  }

  async apiKey(): Promise<string> {
    return this.post('/v1/api-keys', { name: `key ${next()}`, scopes: ['decisions'] });
  }

  /** A hospital person invited by the DSI, who has not chosen a password yet. */
  async invitedUser(): Promise<string> {
    return (await this.ctx.http.post('/v1/users').set(this.dsi)
      .send({ email: `invite.${next()}@hospital.test`, firstName: 'Anne', lastName: 'Invitee', roles: ['referent'] })).body.id;
  }

  async enrolledUser(contractor = false): Promise<string> {
    const { tenantId, contractorId } = this.w;
    const roles = [contractor ? Role.Staff : Role.Referent];
    return (await this.ctx.createUser({ tenantId, roles, contractorId: contractor ? contractorId : undefined, enrolled: true })).id;
  }

  /** An open campaign of a company of its own (one campaign per company at a time) with its security contact. */
  async openReview(): Promise<{ review: string; item: string; contact: Record<string, string> }> {
    const contractor = (await this.ctx.http.post('/v1/contractors').set(this.dsi)
      .send({ legalName: `Revue ${next()} SAS`, siret: nextSiret(), address: 'Alençon' }).expect(201)).body.id;
    const person = await this.ctx.createUser({ tenantId: this.w.tenantId, roles: [Role.SecurityContact], contractorId: contractor, enrolled: true });
    const contact = (await this.ctx.signIn(person.email)).auth;
    const account = await this.post(`/v1/contractors/${contractor}/accounts`,
      { firstName: 'Rene', lastName: `Revue${next()}`, email: `rene.${next()}@contractor.test`, phone: '+33 6 00 00 00 00' }, contact);
    await this.ctx.http.post(`/v1/accounts/${account}/approve`).set(this.dsi).expect(200);
    const review = await this.post('/v1/reviews', { contractorId: contractor });
    const [item] = await this.ctx.query<{ id: string }>(`SELECT id FROM review_items WHERE campaign_id = $1 AND kind <> 'addition' ORDER BY id LIMIT 1`, [review]);
    return { review, item: item.id, contact };
  }

  async submittedReview(): Promise<{ review: string; item: string; contact: Record<string, string> }> {
    const open = await this.openReview();
    const items = await this.ctx.query<{ id: string }>(`SELECT id FROM review_items WHERE campaign_id = $1`, [open.review]);
    for (const { id } of items) {
      await this.ctx.http.post(`/v1/reviews/${open.review}/items/${id}`).set(open.contact).send({ decision: 'keep' }).expect(200);
    }
    await this.ctx.http.post(`/v1/reviews/${open.review}/submit`).set(open.contact).send(REVIEW_STATEMENT).expect(200);
    return open;
  }

  async document(): Promise<string> {
    return (await this.w.upload(this.dsi, '/v1/documents', { kind: 'security_referential', versionLabel: `r${next()}`, effectiveOn: this.w.today() },
      pdf(`referential-${next()}`)).expect(201)).body.id;
  }

  /** A charter signature submitted by the company, waiting for the DSI (R-ART2). */
  async charterSignatureFields(): Promise<Record<string, string>> {
    const [charter] = await this.ctx.query<{ id: string }>(`SELECT id FROM documents WHERE tenant_id = $1 AND kind = 'charter'`, [this.w.tenantId]);
    const { firstName, lastName } = this.w.contacts.legalRepresentative;
    return { documentId: charter.id, signerFirstName: firstName, signerLastName: lastName, signerFunction: 'Présidente', signedOn: this.w.today(), allPagesInitialled: 'true' };
  }

  /** One signature per document waits for the DSI at a time (R-INT): the one an earlier burst left waiting is rejected first. */
  async submittedSignature(): Promise<string> {
    const fields = await this.charterSignatureFields();
    const waiting = await this.ctx.http.get('/v1/signatures').query({ status: 'submitted', contractorId: this.w.contractorId, documentId: fields.documentId })
      .set(this.dsi).expect(200);
    for (const { id } of waiting.body.items as { id: string }[]) {
      await this.ctx.http.post(`/v1/signatures/${id}/reject`).set(this.dsi).send({ reason: 'Remplacée par un nouvel envoi' }).expect(200);
    }
    const id = (await this.w.upload(this.contact, `/v1/contractors/${this.w.contractorId}/signatures`, fields, pdf(`charter-again-${next()}`))
      .expect(201)).body.id as string;
    await this.ctx.http.get(`/v1/signatures/${id}/file`).set(this.dsi).expect(200);
    return id;
  }

  async prestation(): Promise<string> {
    return this.post(`/v1/contractors/${this.w.contractorId}/prestations`,
      { title: `Spare ${next()}`, accessMode: 'onsite', rgpdSubcontractor: false, startsOn: this.w.today() });
  }

  async endedPrestation(): Promise<string> {
    const id = await this.prestation();
    await this.ctx.http.post(`/v1/prestations/${id}/end`).set(this.dsi).send({ reason: 'Fin du marché' }).expect(200);
    return id;
  }
}
