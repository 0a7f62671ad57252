import { randomUUID } from 'node:crypto';
import { Role } from '@app/core';
import { contactsPayload, nextSiret, pdf, SignedIn, SmtpReceiver, TestContext, World } from '@app/testing';
import { Auth, expectOrdered, expectProblem, Item, walker } from './support/pages';
import { describeApi } from './support/describe-api';

/**
 * The DSI's approvals queue: tenant-wide lists filtered by status, oldest first, keyset-paged, read as the per-company
 * routes allow. Two companies, another establishment, requests at the same instant and a second apart (the tie-breaker).
 */
describeApi('Approvals queue: tenant-wide lists by status, oldest first (R-ART2, R-ART28, R-ART31, R-ART36)', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;
  let other: World;
  let walk: ReturnType<typeof walker>;
  const companyB = { id: '', securityContact: undefined as unknown as SignedIn, contacts: contactsPayload('queue-b') };
  let staff: { id: string; holder: SignedIn };
  let auditor: SignedIn;
  /** Ids by name: accounts a0..a3 (company A), b0 (company B); signatures; habilitations. */
  const id: Record<string, string> = {};

  const requestAccount = async (contractorId: string, auth: Auth, first: string, last: string) => (await ctx.http.post(`/v1/contractors/${contractorId}/accounts`)
    .set(auth).send({ firstName: first, lastName: last, email: `${first}.${last}.${randomUUID().slice(0, 6)}@queue.test`.toLowerCase(), phone: '+33 6 00 00 00 00' })
    .expect(201)).body.id as string;
  const convention = async (world: World, auth: Auth, accountId: string, first: string, last: string) => (await world.upload(auth, `/v1/accounts/${accountId}/convention`, {
    documentId: world.conventionId, signerFirstName: first, signerLastName: last, signedOn: w.today(), allPagesInitialled: 'true',
  }, pdf(`queue-convention-${accountId}`)).expect(201)).body.id as string;
  const habilitation = async (auth: Auth, accountId: string, resourceId: string) => (await ctx.http.post(`/v1/accounts/${accountId}/habilitations`)
    .set(auth).send({ resourceId, accessType: 'remote', level: 'read' }).expect(201)).body.id as string;
  const ids = (items: Item[]) => items.map((i) => i.id);
  const sorted = (list: string[]) => [...list].sort();

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    w = await World.build(ctx, smtp, 'queue');
    other = await World.build(ctx, smtp, 'queue-other');
    walk = walker(ctx);

    companyB.id = (await ctx.http.post('/v1/contractors').set(w.dsi.auth).send({ legalName: 'Queue B SAS', siret: nextSiret(), address: 'Le Mans' }).expect(201)).body.id;
    await ctx.http.put(`/v1/contractors/${companyB.id}/contacts`).set(w.dsi.auth).send(companyB.contacts).expect(200);
    companyB.securityContact = await w.acceptInvitation(companyB.contacts.securityContact.email);
    staff = await w.activeAccount('Sam', 'Staff');
    const auditorUser = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Auditor] });
    auditor = await ctx.signIn(auditorUser.email);
    const pacs = await w.resource('PACS Queue', 'pacs-queue');
    const lab = await w.resource('Labo Queue', 'labo-queue');
    const A = w.securityContact.auth;
    const B = companyB.securityContact.auth;

    // Accounts: a0 and a1 at the same instant, then a2 (approved at once), b0, a3, a second apart each.
    id.a0 = await requestAccount(w.contractorId, A, 'Alice', 'Zola');
    id.a1 = await requestAccount(w.contractorId, A, 'Bruno', 'Abel');
    ctx.clock.advance(1000);
    id.a2 = await requestAccount(w.contractorId, A, 'Carla', 'Morel');
    await ctx.http.post(`/v1/accounts/${id.a2}/approve`).set(w.dsi.auth).expect(200);
    ctx.clock.advance(1000);
    id.b0 = await requestAccount(companyB.id, B, 'Denis', 'Brun');
    ctx.clock.advance(1000);
    id.a3 = await requestAccount(w.contractorId, A, 'Emma', 'Abel');

    // Signatures: a0's convention and B's charter at the same instant, then b0's and a1's conventions; a1's is rejected.
    ctx.clock.advance(1000);
    id.conventionA0 = await convention(w, A, id.a0, 'Alice', 'Zola');
    const [charter] = (await ctx.http.get('/v1/documents').query({ kind: 'charter' }).set(w.dsi.auth).expect(200)).body.items;
    id.charterB = (await w.upload(B, `/v1/contractors/${companyB.id}/signatures`, {
      documentId: charter.id, signerFirstName: companyB.contacts.legalRepresentative.firstName, signerLastName: companyB.contacts.legalRepresentative.lastName,
      signerFunction: 'Présidente', signedOn: w.today(), allPagesInitialled: 'true',
    }, pdf('queue-charter-b')).expect(201)).body.id;
    ctx.clock.advance(1000);
    id.conventionB0 = await convention(w, B, id.b0, 'Denis', 'Brun');
    ctx.clock.advance(1000);
    id.conventionA1 = await convention(w, A, id.a1, 'Bruno', 'Abel');
    await ctx.http.post(`/v1/signatures/${id.conventionA1}/reject`).set(w.dsi.auth).send({ reason: 'Page 2 non paraphée' }).expect(200);

    // Habilitations: two of a0 at the same instant, then b0's, then the staff member's (one more, approved).
    ctx.clock.advance(1000);
    id.habA0Pacs = await habilitation(A, id.a0, pacs);
    id.habA0Lab = await habilitation(A, id.a0, lab);
    ctx.clock.advance(1000);
    id.habB0 = await habilitation(B, id.b0, pacs);
    ctx.clock.advance(1000);
    id.habStaffPacs = await habilitation(A, staff.id, pacs);
    id.habStaffLab = await w.habilitate(staff.id, lab);

    // The other establishment has a queue of its own.
    id.otherAccount = await requestAccount(other.contractorId, other.securityContact.auth, 'Olga', 'Autre');
    id.otherHabilitation = await habilitation(other.securityContact.auth, id.otherAccount, await other.resource('PACS Autre', 'pacs-autre'));
    id.otherConvention = await convention(other, other.securityContact.auth, id.otherAccount, 'Olga', 'Autre');
  });

  it('R-ART2 GET /v1/signatures?status=submitted: what waits for the DSI across companies, oldest first, page by page, by company, the per-company view', async () => {
    const waiting = await walk('/v1/signatures', w.dsi.auth, 1, { status: 'submitted' });
    expect(sorted(ids(waiting))).toEqual(sorted([id.conventionA0, id.charterB, id.conventionB0]));
    expectOrdered(waiting, (s) => [s.submittedAt as string], 'asc');
    expect(ids(waiting)[2]).toBe(id.conventionB0);
    expect(waiting.every((s) => s.status === 'submitted')).toBe(true);
    expect(ids(await walk('/v1/signatures', w.dsi.auth, 2, { status: 'rejected' }))).toEqual([id.conventionA1]);

    // Every status: the World's validated charter and the staff member's convention come first (older).
    const all = await walk('/v1/signatures', w.dsi.auth, 2);
    expect(all).toHaveLength(6);
    expectOrdered(all, (s) => [s.submittedAt as string], 'asc');
    expect(ids(all).slice(2).sort()).toEqual(sorted([id.conventionA0, id.charterB, id.conventionB0, id.conventionA1]));

    const ofB = await walk('/v1/signatures', w.dsi.auth, 1, { contractorId: companyB.id, status: 'submitted' });
    expect(sorted(ids(ofB))).toEqual(sorted([id.charterB, id.conventionB0]));
    // The items are the per-company list's, field for field.
    const perCompany = (await ctx.http.get(`/v1/contractors/${companyB.id}/signatures`).set(w.dsi.auth).expect(200)).body.items as Item[];
    expect(sorted(ids(perCompany))).toEqual(sorted(ids(ofB)));
    for (const item of ofB) expect(item).toEqual(perCompany.find((p) => p.id === item.id));
    // An auditor (hospital, read-only) reads the same queue.
    expect(ids(await walk('/v1/signatures', auditor.auth, 2, { status: 'submitted' }))).toEqual(ids(waiting));
  });

  it('R-ART28 GET /v1/accounts?status=requested&order=oldest: the accounts to approve, oldest first (same instant: by id), by company and by id', async () => {
    const waiting = await walk('/v1/accounts', w.dsi.auth, 1, { status: 'requested', order: 'oldest' });
    expect(sorted(ids(waiting).slice(0, 2))).toEqual(sorted([id.a0, id.a1]));
    expect(ids(waiting).slice(2)).toEqual([id.b0, id.a3]);
    expectOrdered(waiting, (a) => [a.requestedAt as string], 'asc');
    // By name, as before, unless asked otherwise: Abel, Abel, Brun, Zola.
    expect(ids(await walk('/v1/accounts', w.dsi.auth, 3, { status: 'requested' })).slice(2)).toEqual([id.b0, id.a0]);
    expect(ids(await walk('/v1/accounts', w.dsi.auth, 2, { status: 'approved', order: 'oldest' }))).toEqual([id.a2]);
    expect(ids(await walk('/v1/accounts', w.dsi.auth, 1, { status: 'requested', order: 'oldest', contractorId: companyB.id }))).toEqual([id.b0]);

    const perCompany = (await ctx.http.get(`/v1/contractors/${w.contractorId}/accounts`).set(w.dsi.auth).expect(200)).body.items as Item[];
    for (const item of waiting.filter((a) => a.contractorId === w.contractorId)) expect(item).toEqual(perCompany.find((p) => p.id === item.id));

    // The people of the habilitations that wait: the accounts of those ids, one request.
    const some = await ctx.http.get(`/v1/accounts?id=${id.a0}&id=${id.b0}&id=${staff.id}&order=oldest`).set(w.dsi.auth).expect(200);
    expect(ids(some.body.items)).toEqual([staff.id, id.a0, id.b0]);
    expect((await ctx.http.get('/v1/accounts').query({ id: id.a3 }).set(w.dsi.auth).expect(200)).body.items.map((a: Item) => a.id)).toEqual([id.a3]);
  });

  it('R-ART31 GET /v1/habilitations?status=requested: the scopes to approve across accounts, oldest first, by company, the per-account view', async () => {
    const waiting = await walk('/v1/habilitations', w.dsi.auth, 1, { status: 'requested' });
    expect(sorted(ids(waiting).slice(0, 2))).toEqual(sorted([id.habA0Pacs, id.habA0Lab]));
    expect(ids(waiting).slice(2)).toEqual([id.habB0, id.habStaffPacs]);
    expectOrdered(waiting, (h) => [h.requestedAt as string], 'asc');
    expect(ids(await walk('/v1/habilitations', w.dsi.auth, 1, { status: 'approved' }))).toEqual([id.habStaffLab]);
    expect(ids(await walk('/v1/habilitations', w.dsi.auth, 1, { contractorId: companyB.id }))).toEqual([id.habB0]);
    expect(sorted(ids(await walk('/v1/habilitations', w.dsi.auth, 2, { contractorId: w.contractorId, status: 'requested' }))))
      .toEqual(sorted([id.habA0Pacs, id.habA0Lab, id.habStaffPacs]));

    const perAccount = (await ctx.http.get(`/v1/accounts/${id.a0}/habilitations`).set(w.dsi.auth).expect(200)).body.items as Item[];
    for (const item of waiting.filter((h) => h.accountId === id.a0)) expect(item).toEqual(perAccount.find((p) => p.id === item.id));
  });

  it('R-ART28 role rules: a contractor\'s people read their own company\'s rows (staff: their own account\'s), never another company\'s; staff may not list signatures', async () => {
    const A = w.securityContact.auth;
    const B = companyB.securityContact.auth;
    const ofA = await walk('/v1/signatures', A, 2);
    expect(ofA.every((s) => s.contractorId === w.contractorId)).toBe(true);
    expect(ids(ofA)).toEqual(expect.arrayContaining([id.conventionA0, id.conventionA1]));
    expect(ids(await walk('/v1/signatures', B, 1, { status: 'submitted' }))).toEqual(ids(await walk('/v1/signatures', w.dsi.auth, 1, { status: 'submitted', contractorId: companyB.id })));
    expect(sorted(ids(await walk('/v1/accounts', A, 2, { status: 'requested', order: 'oldest' })))).toEqual(sorted([id.a0, id.a1, id.a3]));
    expect(ids(await walk('/v1/accounts', B, 2, { order: 'oldest' }))).toEqual([id.b0]);
    expect(sorted(ids(await walk('/v1/habilitations', A, 2, { status: 'requested' })))).toEqual(sorted([id.habA0Pacs, id.habA0Lab, id.habStaffPacs]));
    expect(ids(await walk('/v1/habilitations', B, 2))).toEqual([id.habB0]);
    // Another company's rows, asked for by name, do not exist for them; nor do its accounts by id.
    for (const path of ['/v1/signatures', '/v1/accounts', '/v1/habilitations']) {
      expectProblem(await ctx.http.get(path).query({ contractorId: w.contractorId }).set(B), 404);
    }
    expect((await ctx.http.get('/v1/accounts').query({ id: id.a0 }).set(B).expect(200)).body).toEqual({ items: [], nextCursor: null });

    // A staff member: their own account and its habilitations; signatures are for the company's managers.
    expectProblem(await ctx.http.get('/v1/signatures').set(staff.holder.auth), 403);
    expect(ids(await walk('/v1/accounts', staff.holder.auth, 1))).toEqual([staff.id]);
    expect(ids(await walk('/v1/accounts', staff.holder.auth, 1, { id: id.a0 }))).toEqual([]);
    expect(sorted(ids(await walk('/v1/habilitations', staff.holder.auth, 1)))).toEqual(sorted([id.habStaffPacs, id.habStaffLab]));
  });

  it('R-ART28 another establishment\'s DSI sees its own queue and none of this one\'s rows', async () => {
    expect(ids(await walk('/v1/accounts', other.dsi.auth, 2, { status: 'requested', order: 'oldest' }))).toEqual([id.otherAccount]);
    expect(ids(await walk('/v1/habilitations', other.dsi.auth, 2, { status: 'requested' }))).toEqual([id.otherHabilitation]);
    const signatures = await walk('/v1/signatures', other.dsi.auth, 2);
    expect(signatures.every((s) => s.contractorId === other.contractorId)).toBe(true);
    expect(ids(signatures)).toContain(id.otherConvention);
    expect(ids(signatures)).not.toContain(id.conventionA0);
    expect((await ctx.http.get('/v1/accounts').query({ id: id.a0 }).set(other.dsi.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });
    for (const path of ['/v1/signatures', '/v1/accounts', '/v1/habilitations']) {
      expectProblem(await ctx.http.get(path).query({ contractorId: w.contractorId }).set(other.dsi.auth), 404);
    }
  });

  it('R-ART36 GET /v1/interventions?emergencyReview=pending: emergencies waiting for their review, apart from the windows to approve', async () => {
    const lab = await w.resource('Labo Urgence Queue', 'labo-urgence-queue');
    await w.habilitate(staff.id, lab);
    const body = (extra: object) => ({
      contractorId: w.contractorId, accountIds: [staff.id], resourceIds: [lab], nature: 'Dépannage', risks: 'Aucun', availabilityImpact: 'Aucun',
      changesSettings: false, changesData: false, ...extra,
    });
    const now = ctx.clock.now().getTime();
    const emergency = async () => (await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(body({ emergency: true, justification: 'Automate à l’arrêt', endsAt: new Date(now + 2 * 3600_000) })).expect(201)).body.id as string;
    const confirmed = await emergency();
    await ctx.http.post(`/v1/interventions/${confirmed}/approve`).set(w.dsi.auth).send({}).expect(200);
    const pending = await emergency();
    const requested = (await ctx.http.post('/v1/interventions').set(w.securityContact.auth)
      .send(body({ startsAt: new Date(now + 48 * 3600_000), endsAt: new Date(now + 50 * 3600_000) })).expect(201)).body.id as string;

    expect(ids(await walk('/v1/interventions', w.dsi.auth, 1, { emergencyReview: 'pending' }))).toEqual([pending]);
    expect(ids(await walk('/v1/interventions', w.dsi.auth, 1, { emergencyReview: 'confirmed' }))).toEqual([confirmed]);
    expect(ids(await walk('/v1/interventions', w.dsi.auth, 1, { status: 'requested' }))).toEqual([requested]);
    expect(ids(await walk('/v1/interventions', other.dsi.auth, 1, { emergencyReview: 'pending' }))).toEqual([]);
    expectProblem(await ctx.http.get('/v1/interventions').query({ emergencyReview: 'maybe' }).set(w.dsi.auth), 400, 'emergencyReview');
  });

  it('Lists (docs/api.md) bad input is a 400 problem: unknown status or order, bad cursor, a cursor of the other order, ids that are not ids or too many', async () => {
    for (const path of ['/v1/signatures', '/v1/accounts', '/v1/habilitations']) {
      expectProblem(await ctx.http.get(path).query({ status: 'waiting' }).set(w.dsi.auth), 400, 'status');
      expectProblem(await ctx.http.get(path).query({ cursor: 'not-a-cursor' }).set(w.dsi.auth), 400, 'cursor');
      expectProblem(await ctx.http.get(path).query({ contractorId: 'queue-b' }).set(w.dsi.auth), 400, 'contractorId');
    }
    expectProblem(await ctx.http.get('/v1/accounts').query({ order: 'newest' }).set(w.dsi.auth), 400, 'order');
    const byName = (await ctx.http.get('/v1/accounts').query({ limit: 1 }).set(w.dsi.auth).expect(200)).body.nextCursor;
    expectProblem(await ctx.http.get('/v1/accounts').query({ order: 'oldest', cursor: byName }).set(w.dsi.auth), 400, 'cursor');
    expectProblem(await ctx.http.get('/v1/signatures').query({ cursor: Buffer.from(JSON.stringify({ submittedAt: 'hier', id: randomUUID() })).toString('base64url') }).set(w.dsi.auth), 400, 'cursor');
    expectProblem(await ctx.http.get('/v1/accounts').query({ id: 'alice' }).set(w.dsi.auth), 400, 'id');
    const many = Array.from({ length: 101 }, () => `id=${randomUUID()}`).join('&');
    expectProblem(await ctx.http.get(`/v1/accounts?${many}`).set(w.dsi.auth), 400, 'id');
  });
});
