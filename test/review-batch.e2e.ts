import { Role } from '@app/core';
import { pdf, REVIEW_STATEMENT, SignedIn, World } from '@app/testing';
import { describeApi } from './support/describe-api';

interface Item { id: string; kind: string; decision: string | null; snapshot: { firstName: string } }

/** R-ART34 the contact saves the whole list at once and attests with a statement; the evidence files name the company; R-ART2 a DSI opens a file before validating it. */
describeApi('R-ART34 R-ART2 binding acts: one save for a review, the attestation statement, evidence names, a signature opened first', {}, (rig) => {
  const day = 86_400_000;
  let w: World;
  let rssi: SignedIn;
  let id: string;
  let items: Item[];
  const save = (body: object, auth = w.securityContact.auth) => rig.ctx.http.post(`/v1/reviews/${id}/items`).set(auth).send(body);
  const all = (decision: string) => ({ items: items.filter((i) => i.kind !== 'addition').map((i) => ({ itemId: i.id, decision })) });
  const decided = async () => (await rig.ctx.query<{ decision: string | null }>(`SELECT decision FROM review_items WHERE campaign_id = $1`, [id])).map((r) => r.decision);
  const audited = async (action: string) => (await rig.ctx.query(`SELECT 1 FROM audit_events WHERE target_id = $1 AND action = $2`, [id, action])).length;

  beforeAll(async () => {
    const { ctx, smtp } = rig;
    w = await World.build(ctx, smtp, 'acts');
    const pacs = await w.resource('PACS Acts', 'pacs-acts');
    for (const [first, last] of [['Alice', 'Batch'], ['Bruno', 'Batch']]) await w.habilitate((await w.activeAccount(first, last)).id, pacs);
    rssi = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] })).email);
    id = (await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201)).body.id;
    items = (await ctx.http.get(`/v1/reviews/${id}`).set(w.securityContact.auth).expect(200)).body.items;
    expect(items).toHaveLength(4);
  });

  it('R-ART34 the campaign list names the company; a batch with one bad item saves nothing and names each problem', async () => {
    const { ctx } = rig;
    const list = (await ctx.http.get('/v1/reviews').set(w.securityContact.auth).expect(200)).body.items;
    expect(list).toEqual([expect.objectContaining({ id, contractorName: 'acts SAS' })]);

    const person = items.find((i) => i.kind === 'account')!;
    const access = items.find((i) => i.kind === 'habilitation')!;
    const bad = await save({ items: [{ itemId: access.id, decision: 'keep' }, { itemId: '00000000-0000-4000-8000-000000000000', decision: 'keep' },
      { itemId: person.id, decision: 'change', level: 'read' }, { itemId: access.id, decision: 'remove' }] }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['items.1.itemId', 'items.2.decision', 'items.3.itemId']);
    expect(await decided()).toEqual([null, null, null, null]);
    await save({ items: [] }).expect(400);
    await save({ items: [{ itemId: items[0].id, decision: 'maybe' }] }).expect(400);
    // Only the company's security contact or deputy saves the list.
    await save(all('keep'), w.dsi.auth).expect(403);
    await save(all('keep'), rssi.auth).expect(403);
  });

  it('R-INT R-ART34 ten identical saves in parallel record each decision once; two different lists in parallel leave one of them whole', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => save(all('keep'))));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0].body).toMatchObject({ itemsDecided: 4, itemsTotal: 4 });
    expect(await audited('review.item_decided')).toBe(4);

    const race = await Promise.all(Array.from({ length: 6 }, (_, i) => save(all(i % 2 ? 'remove' : 'keep'))));
    expect(race.map((a) => a.status)).toEqual(Array(6).fill(200));
    const final = await decided();
    // All or nothing: the list is entirely the last saved one, never a mix, and that one answered it.
    expect(new Set(final).size).toBe(1);
    const last = race.filter((a) => a.body.items.every((i: Item) => i.decision === final[0]));
    expect(last.length).toBeGreaterThanOrEqual(1);
  });

  it('R-ART34 the attestation is refused until every item is decided and without the statement; the statement is kept with who and when', async () => {
    const { ctx } = rig;
    await ctx.query(`UPDATE review_items SET decision = NULL WHERE id = $1`, [items[0].id]);
    const early = await ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(409);
    expect(early.body).toMatchObject({ code: 'REVIEW_INCOMPLETE', undecided: 1 });
    await save(all('keep')).expect(200);
    await ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send({}).expect(400);
    await ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send({ statement: 'oui' }).expect(400);
    const submitted = await ctx.http.post(`/v1/reviews/${id}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', attestationStatement: REVIEW_STATEMENT.statement });
    const [stored] = await ctx.query<{ submitted_by: string; attestation_statement: string }>(
      `SELECT submitted_by, attestation_statement FROM review_campaigns WHERE id = $1`, [id]);
    expect(stored).toEqual({ submitted_by: w.securityContact.userId, attestation_statement: REVIEW_STATEMENT.statement });
    const [event] = await ctx.query<{ after: object }>(`SELECT after FROM audit_events WHERE target_id = $1 AND action = 'review.submitted'`, [id]);
    expect(event.after).toEqual({ statement: REVIEW_STATEMENT.statement });
    await save(all('remove')).expect(409);
  });

  it('R-ART34 R-L10N evidence files are revue-<company>-<local date>, the CSV in French, the statement in the printable page', async () => {
    const { ctx } = rig;
    await ctx.http.post(`/v1/reviews/${id}/certify`).set(rssi.auth).expect(200);
    // 23:30 in UTC is already the next day in Paris: the name carries the establishment's date.
    const now = ctx.clock.now();
    const lateEvening = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 23, 30));
    await ctx.setClock(lateEvening);
    const local = new Date(lateEvening.getTime() + day).toISOString().slice(0, 10);
    for (const format of ['csv', 'json', 'html']) {
      const res = await ctx.http.get(`/v1/reviews/${id}/evidence?format=${format}`).set(rssi.auth).expect(200);
      expect(res.headers['content-disposition']).toBe(`${format === 'html' ? 'inline' : 'attachment'}; filename="revue-acts-sas-${local}.${format}"`);
    }
    const csv = (await ctx.http.get(`/v1/reviews/${id}/evidence?format=csv`).set(rssi.auth).expect(200)).text.split('\r\n');
    expect(csv[0]).toMatch(/^Société,Personne,E-mail,Élément,Ressource,Accès,Niveau avant,Décision,/);
    expect(csv.find((l) => l.includes('Alice Batch') && l.includes('PACS Acts'))).toMatch(/,habilitation,PACS Acts,à distance,exploitation,conserver,exploitation,.*,non,.*,nouveau,jamais$/);
    expect(csv.join('\n')).not.toMatch(/\b(keep|remote|operate|unchanged)\b/);
    const json = (await ctx.http.get(`/v1/reviews/${id}/evidence`).set(rssi.auth).expect(200)).body;
    expect(json.campaign.attestationStatement).toBe(REVIEW_STATEMENT.statement);
    expect((await ctx.http.get(`/v1/reviews/${id}/evidence?format=html`).set(rssi.auth).expect(200)).text).toContain('Déclaration cochée');
  });

  it('R-ART2 a signature is validated only once a DSI opened its file: the contact opening it does not count', async () => {
    const { ctx } = rig;
    const doc = await w.upload(w.dsi.auth, '/v1/documents', { kind: 'security_referential', versionLabel: 'r-acts', effectiveOn: w.today() }, pdf('ref-acts')).expect(201);
    const { firstName, lastName } = w.contacts.legalRepresentative;
    const signed = await w.upload(w.securityContact.auth, `/v1/contractors/${w.contractorId}/signatures`, {
      documentId: doc.body.id, signerFirstName: firstName, signerLastName: lastName, signerFunction: 'Présidente', signedOn: w.today(), allPagesInitialled: 'true',
    }, pdf('ref-acts-signed')).expect(201);
    const sid = signed.body.id;
    expect(signed.body.fileOpenedAt).toBeNull();
    expect((await ctx.http.post(`/v1/signatures/${sid}/validate`).set(w.dsi.auth).expect(409)).body.code).toBe('SIGNATURE_FILE_NOT_OPENED');
    await ctx.http.get(`/v1/signatures/${sid}/file`).set(w.securityContact.auth).expect(200);
    await ctx.http.post(`/v1/signatures/${sid}/validate`).set(w.dsi.auth).expect(409);
    await Promise.all([1, 2, 3].map(() => ctx.http.get(`/v1/signatures/${sid}/file`).set(w.dsi.auth).expect(200)));
    expect(await ctx.query(`SELECT 1 FROM audit_events WHERE target_id = $1 AND action = 'signature.file_opened'`, [sid])).toHaveLength(1);
    const validated = await ctx.http.post(`/v1/signatures/${sid}/validate`).set(w.dsi.auth).expect(200);
    expect(validated.body).toMatchObject({ status: 'validated', fileOpenedAt: expect.any(String) });
  });
});
