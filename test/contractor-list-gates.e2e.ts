import { Client } from 'pg';
import { contactsPayload, nextSiret, pdf } from '@app/testing';
import { describeApi } from './support/describe-api';
import { Auth, expectProblem, Item, walker } from './support/pages';

type Gate = { open: boolean; missing: { code: string; detail: string }[] };
type Listed = Item & { legalName: string; gate: Gate };

/**
 * R-ART2: GET /v1/contractors carries each company's gate, the very answer of its own
 * GET /v1/contractors/{id}/gate, for the whole page in a fixed number of statements, and filters by
 * gate state before paging (`gate=open|closed`), with the list's order, paging and readers unchanged.
 */
describeApi('R-ART2 the contractors list carries each company\'s gate', { world: 'gates' }, (rig) => {
  let walk: ReturnType<typeof walker>;

  beforeAll(async () => {
    walk = walker(rig.ctx);
  });

  const company = async (legalName: string, primeContractorId?: string) => (await rig.ctx.http.post('/v1/contractors').set(rig.w.dsi.auth)
    .send({ legalName, siret: nextSiret(), address: 'Le Mans', primeContractorId }).expect(201)).body.id as string;
  /** The contacts declared, then the charter signed by the legal representative (for the DSI to decide on). */
  const signCharter = async (contractorId: string, label: string) => {
    const contacts = contactsPayload(`gates-${label}`);
    await rig.ctx.http.put(`/v1/contractors/${contractorId}/contacts`).set(rig.w.dsi.auth).send(contacts).expect(200);
    return (await rig.w.upload(rig.w.dsi.auth, `/v1/contractors/${contractorId}/signatures`, {
      documentId: charterId, signerFirstName: contacts.legalRepresentative.firstName, signerLastName: contacts.legalRepresentative.lastName,
      signerFunction: 'Gérante', signedOn: rig.w.today(), allPagesInitialled: 'true',
    }, pdf(`signed-${contractorId}`)).expect(201)).body.id as string;
  };
  const codes = (gate: Gate) => gate.missing.map((m) => m.code);
  let charterId: string;

  /** Every company listed shows the gate its own route answers, and the company its own route answers. */
  async function expectSameAsGateRoutes(items: Listed[], auth: Auth): Promise<void> {
    for (const { gate, ...contractor } of items) {
      expect(gate).toEqual((await rig.ctx.http.get(`/v1/contractors/${contractor.id}/gate`).set(auth).expect(200)).body);
      expect(contractor).toEqual((await rig.ctx.http.get(`/v1/contractors/${contractor.id}`).set(auth).expect(200)).body);
    }
  }

  it('R-ART2 R-ART3 R-ART4 each kind of missing item shows in the list as on the gate route; filtered by gate before paging; readers unchanged', async () => {
    const { ctx, w } = rig;
    charterId = (await ctx.http.get('/v1/documents').query({ kind: 'charter' }).set(w.dsi.auth).expect(200)).body.items[0].id;
    const bare = await company('B Nu SARL'); // no contacts, no prestation, charter not signed
    const demanding = await company('C Exigeant SA'); // the DSI requires documents it has not published
    await ctx.http.put(`/v1/contractors/${demanding}/contacts`).set(w.dsi.auth).send(contactsPayload('gates-demanding')).expect(200);
    await ctx.http.post(`/v1/contractors/${demanding}/prestations`).set(w.dsi.auth).send({
      title: 'Hébergement', accessMode: 'saas', rgpdSubcontractor: true, requireRgpdClauses: true, requireSecurityReferential: true, startsOn: w.today(),
    }).expect(201);
    const pending = await company('D Attente SAS');
    await signCharter(pending, 'pending');
    const rejected = await company('E Refus SAS');
    await ctx.http.post(`/v1/signatures/${await signCharter(rejected, 'rejected')}/reject`).set(w.dsi.auth).send({ reason: 'Page 3 is not initialled' }).expect(200);
    const subOfClosed = await company('F Sous-traitant de B', bare); // R-ART4: its prime's gate is closed
    const subOfOpen = await company('G Sous-traitant du titulaire', w.contractorId);

    const all = await walk<Listed>('/v1/contractors', w.dsi.auth, 2);
    expect(all.map((c) => c.legalName)).toEqual([...all.map((c) => c.legalName)].sort());
    await expectSameAsGateRoutes(all, w.dsi.auth);
    const byId = new Map(all.map((c) => [c.id, c.gate]));
    expect(byId.get(w.contractorId)).toEqual({ open: true, missing: [] });
    expect(codes(byId.get(bare)!)).toEqual(['CONTACTS_MISSING', 'NO_RUNNING_PRESTATION', 'CHARTER_NOT_SIGNED']);
    expect(codes(byId.get(demanding)!)).toEqual(['CHARTER_NOT_SIGNED', 'RGPD_CLAUSES_NOT_PUBLISHED', 'SECURITY_REFERENTIAL_NOT_PUBLISHED']);
    expect(codes(byId.get(pending)!)).toContain('CHARTER_PENDING_VALIDATION');
    expect(byId.get(rejected)!.missing).toContainEqual({ code: 'CHARTER_REJECTED', detail: expect.stringContaining('Page 3 is not initialled') });
    expect(codes(byId.get(subOfClosed)!)).toContain('PRIME_GATE_CLOSED');
    expect(codes(byId.get(subOfOpen)!)).not.toContain('PRIME_GATE_CLOSED');

    // gate=closed / gate=open: every page holds only matching companies, in the list's order.
    const closed = await walk<Listed>('/v1/contractors', w.dsi.auth, 2, { gate: 'closed' });
    expect(closed.map((c) => c.id)).toEqual(all.filter((c) => !c.gate.open).map((c) => c.id));
    const open = await walk<Listed>('/v1/contractors', w.dsi.auth, 1, { gate: 'open' });
    expect(open.map((c) => c.id)).toEqual([w.contractorId]);
    expectProblem(await ctx.http.get('/v1/contractors').query({ gate: 'ajar' }).set(w.dsi.auth), 400, 'gate');

    // Readers unchanged: the company's people see their company and its subcontractors, with their gates; another tenant sees none.
    const own = await walk<Listed>('/v1/contractors', w.securityContact.auth, 1);
    expect(own.map((c) => c.id).sort()).toEqual([w.contractorId, subOfOpen].sort());
    await expectSameAsGateRoutes(own, w.securityContact.auth);
    expect((await walk<Listed>('/v1/contractors', w.securityContact.auth, 1, { gate: 'closed' })).map((c) => c.id)).toEqual([subOfOpen]);
    const elsewhere = await ctx.tenantWithDsi();
    expect((await ctx.http.get('/v1/contractors').set(elsewhere.dsi.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });
    expect((await ctx.http.get('/v1/contractors').query({ gate: 'closed' }).set(elsewhere.dsi.auth).expect(200)).body).toEqual({ items: [], nextCursor: null });

    // A new charter version past its re-signature deadline: the prime's gate closes, and so the list says for its subcontractor.
    const deadline = new Date(ctx.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    await w.upload(w.dsi.auth, '/v1/documents', { kind: 'charter', versionLabel: 'v3.0', effectiveOn: w.today(), resignDeadline: deadline }, pdf('charter-v3')).expect(201);
    await ctx.advanceClock(2 * 86_400_000);
    const later = await walk<Listed>('/v1/contractors', w.dsi.auth, 3);
    await expectSameAsGateRoutes(later, w.dsi.auth);
    const laterById = new Map(later.map((c) => [c.id, c.gate]));
    expect(codes(laterById.get(w.contractorId)!)).toEqual(['CHARTER_RESIGN_OVERDUE']);
    expect(codes(laterById.get(subOfOpen)!)).toContain('PRIME_GATE_CLOSED');
    expect(await walk<Listed>('/v1/contractors', w.dsi.auth, 2, { gate: 'open' })).toEqual([]);
  });

  it('R-ART2 a page of 200 companies reads their gates in a fixed number of statements, not one per company', async () => {
    const { ctx } = rig;
    await ctx.stopWorker(); // only the API's statements are counted
    const { tenantId, dsi } = await ctx.tenantWithDsi();
    for (let i = 0; i < 300; i++) {
      await ctx.query(`INSERT INTO contractors (tenant_id, legal_name, siret, address) VALUES ($1, $2, $3, 'Le Mans')`,
        [tenantId, `Société ${String(i).padStart(3, '0')}`, nextSiret()]);
    }
    const statements: string[] = [];
    const query = Client.prototype.query;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
      if (text && /\b(contractors|contractor_contacts|prestations|signatures|documents)\b/.test(text)) statements.push(text);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    try {
      const started = Date.now();
      const page = (await ctx.http.get('/v1/contractors').query({ limit: 200 }).set(dsi.auth).expect(200)).body;
      const pageMs = Date.now() - started;
      expect(page.items).toHaveLength(200);
      expect(page.items.every((c: Listed) => c.gate.open === false && c.gate.missing.length > 0)).toBe(true);
      // The page, then the gates (primes, contacts, running prestations, the charter in force, signatures).
      expect(statements.length).toBeLessThanOrEqual(8);
      const pageStatements = statements.length;

      statements.length = 0;
      const scanStarted = Date.now();
      const filtered = (await ctx.http.get('/v1/contractors').query({ gate: 'open', limit: 50 }).set(dsi.auth).expect(200)).body;
      const scanMs = Date.now() - scanStarted;
      expect(filtered).toEqual({ items: [], nextCursor: null });
      // Nothing matches: the 300 companies are read in two scans of 200, each with its gates.
      expect(statements.length).toBeLessThanOrEqual(2 * 8);
      console.log(`list of 200 with gates: ${pageStatements} statements, ${pageMs} ms; gate=open over 300 (none open): ${statements.length} statements, ${scanMs} ms`);
    } finally {
      spy.mockRestore();
    }
  });
});
