import { createHash } from 'node:crypto';
import { Entry, fromBuffer } from 'yauzl';
import { Role } from '@app/core';
import { CorrelationService } from '@app/journal';
import { ActiveAccount, nextSiret, pdf, REVIEW_STATEMENT, SignedIn, SmtpReceiver, TestContext, World } from '@app/testing';
import { describeApi } from './support/describe-api';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Every entry of a ZIP, as an unzip tool reads it; a name met twice is an error. */
function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            if (files.has(entry.fileName)) return reject(new Error(`${entry.fileName} twice in the archive`));
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Canonical JSON as README.txt describes it (keys sorted at every depth, no spaces), written independently of the app. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface ManifestFile { path: string; sha256: string; size: number; contentType: string; description: string }
interface AuditEvent { seq: number; action: string; targetType: string; targetId: string | null; after: Record<string, unknown> | null; before: Record<string, unknown> | null; hash: string; prevHash: string }

describeApi('R-AUD the auditor evidence pack of a contractor (GET /v1/contractors/{id}/evidence)', { env: { ACCESS_TOKEN_TTL_SECONDS: '3600' } }, (rig) => {
  const MINUTE = 60_000;
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;
  let auditor: SignedIn;
  let rssi: SignedIn;
  let referent: SignedIn;
  let alice: ActiveAccount;
  let bruno: ActiveAccount;
  let pacs: string;
  let windowId: string;
  let derogationId: string;
  let reviewId: string;
  let otherContractorId: string;
  let otherDerogationId: string;

  const at = (offsetMs: number) => new Date(ctx.clock.now().getTime() + offsetMs);
  /** The pack as bytes, however it is chunked on the wire. */
  const download = (auth: Record<string, string>, contractorId = w.contractorId) => ctx.http.get(`/v1/contractors/${contractorId}/evidence`).set(auth)
    .buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  /** Every item of a list route, paged ({items, nextCursor}) or not. */
  async function listed<T>(auth: Record<string, string>, path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const body: T[] | { items: T[]; nextCursor: string | null } = (await ctx.http.get(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path).set(auth).expect(200)).body;
      if (Array.isArray(body)) return body;
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return items;
  }
  const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    w = await World.build(ctx, smtp, 'evid');
    auditor = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Auditor] })).email);
    rssi = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] })).email);
    referent = await ctx.signIn((await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Referent] })).email);
    pacs = await w.resource('PACS', 'pacs');
    alice = await w.activeAccount('Alice', 'Durand');
    bruno = await w.activeAccount('Bruno', 'Martin');
    await w.habilitate(alice.id, pacs);
    await w.habilitate(bruno.id, pacs);
    // A suspension and its end: two more steps of Bruno's lifecycle, with the DSI's reason.
    await ctx.http.post(`/v1/accounts/${bruno.id}/suspend`).set(w.dsi.auth).send({ reason: 'Absence prolongée' }).expect(200);
    await ctx.http.post(`/v1/accounts/${bruno.id}/resume`).set(w.dsi.auth).expect(200);

    derogationId = (await ctx.http.post('/v1/derogations').set(w.dsi.auth).send({
      kind: 'remote_control_tool', contractorId: w.contractorId, scope: 'TeamViewer sur le poste de supervision PACS',
      justification: 'Outil imposé par le constructeur', validFrom: at(-MINUTE), validUntil: at(30 * 86_400_000),
    }).expect(201)).body.id;

    // Another company of the same establishment: nothing of it may reach this contractor's pack.
    otherContractorId = (await ctx.http.post('/v1/contractors').set(w.dsi.auth)
      .send({ legalName: 'Autre Prestataire SAS', siret: nextSiret(), address: 'Angers' }).expect(201)).body.id;
    otherDerogationId = (await ctx.http.post('/v1/derogations').set(w.dsi.auth).send({
      kind: 'equipment', contractorId: otherContractorId, scope: 'Portable de test', justification: 'Essai', validFrom: at(-MINUTE), validUntil: at(86_400_000),
    }).expect(201)).body.id;

    // An intervention: Alice connects inside it; Bruno connects without a window (an anomaly).
    windowId = await w.approvedWindow([alice.id], [pacs], at(MINUTE), at(2 * 60 * MINUTE));
    ctx.clock.advance(5 * MINUTE);
    const key = await w.gatewayKey();
    await ctx.http.post('/v1/connection-events').set('X-Api-Key', key).send([
      { eventId: 'ev-alice', account: alice.email, resource: 'pacs', sourceIp: '192.0.2.10', startedAt: at(0).toISOString(), outcome: 'success', recordingRef: 'rec/ev-alice.cast' },
      { eventId: 'ev-bruno', account: bruno.email, resource: 'pacs', sourceIp: '192.0.2.11', startedAt: at(0).toISOString(), outcome: 'success' },
    ]).expect(200);
    await ctx.api.get(CorrelationService).correlateQueued();

    // Its report, then a correction: two versions.
    ctx.clock.advance(30 * MINUTE);
    await ctx.http.post(`/v1/interventions/${windowId}/report`).set(w.securityContact.auth)
      .send({ operations: 'Mise à jour 7.2 du PACS', intervenants: ['Alice Durand'], actions: 'Arrêt, mise à jour, relance', difficulties: 'Aucune' }).expect(201);
    await ctx.http.post(`/v1/interventions/${windowId}/report`).set(w.securityContact.auth)
      .send({ operations: 'Mise à jour 7.2.1 du PACS', intervenants: ['Alice Durand'], actions: 'Arrêt, mise à jour, relance', difficulties: 'Relance lente' }).expect(201);

    // A review, attested and certified.
    reviewId = (await ctx.http.post('/v1/reviews').set(rssi.auth).send({ contractorId: w.contractorId }).expect(201)).body.id;
    const items = (await ctx.http.get(`/v1/reviews/${reviewId}`).set(w.securityContact.auth).expect(200)).body.items;
    for (const item of items) await ctx.http.post(`/v1/reviews/${reviewId}/items/${item.id}`).set(w.securityContact.auth).send({ decision: 'keep' }).expect(200);
    await ctx.http.post(`/v1/reviews/${reviewId}/submit`).set(w.securityContact.auth).send(REVIEW_STATEMENT).expect(200);
    await ctx.http.post(`/v1/reviews/${reviewId}/certify`).set(rssi.auth).expect(200);
  });

  it('R-AUD R-ART2 R-ART34 R-ART41 R-ART42 the pack holds every file its manifest lists, with the right SHA-256, and what the API lists', async () => {
    const res = await download(auditor.auth).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="preuves-evid-sas-\d{4}-\d{2}-\d{2}\.zip"$/);
    const packId = res.headers['x-evidence-pack-id'];
    const files = await unzip(res.body as Buffer);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));

    // Every listed file is there, with its size and SHA-256; nothing is there unlisted.
    expect([...files.keys()].sort()).toEqual([...manifest.files.map((f: ManifestFile) => f.path), 'manifest.json'].sort());
    for (const f of manifest.files as ManifestFile[]) {
      expect({ path: f.path, size: files.get(f.path)!.length, sha256: sha256(files.get(f.path)!) }).toEqual({ path: f.path, size: f.size, sha256: f.sha256 });
    }
    expect(manifest).toMatchObject({
      format: 'prestagate-evidence-pack/1', packId,
      generatedBy: { userId: auditor.userId, email: auditor.email, roles: ['auditor'] },
      tenant: { id: w.tenantId }, contractor: { id: w.contractorId, legalName: 'evid SAS' },
      auditChain: { ok: true },
    });
    expect(manifest.generatedAt).toBe(ctx.clock.now().toISOString());
    const readme = files.get('README.txt')!.toString('utf8');
    expect(readme).toContain('DOSSIER DE PREUVES - PRESTATAIRE evid SAS');
    expect(readme).toContain("VÉRIFIER L'INTÉGRITÉ");
    expect(readme).toContain(auditor.email);

    // R-ART2: the signed PDFs are the bytes uploaded, their hash the one stored; who validated, and when.
    const apiSignatures = await listed<{ id: string; sha256: string; decidedAt: string; accountId: string | null }>(w.dsi.auth, `/v1/contractors/${w.contractorId}/signatures`);
    const signatures = JSON.parse(files.get('02-documents-signes/signatures.json')!.toString('utf8'));
    expect(ids(signatures)).toEqual(ids(apiSignatures));
    expect(signatures).toHaveLength(3); // the charter, and the convention of each person
    const uploaded = new Map<string | null, Buffer>([
      [null, pdf('charter-signed-evid')], [alice.id, pdf(`convention-${alice.email}`)], [bruno.id, pdf(`convention-${bruno.email}`)],
    ]);
    for (const s of apiSignatures) {
      const entry = signatures.find((x: { id: string }) => x.id === s.id);
      const bytes = files.get(entry.file.path)!;
      expect(bytes.equals(uploaded.get(s.accountId)!)).toBe(true);
      expect(sha256(bytes)).toBe(s.sha256);
      expect(entry).toMatchObject({ recordedSha256: s.sha256, status: 'validated', decidedAt: s.decidedAt, decidedBy: { id: w.dsi.userId, email: w.dsi.email }, file: { matchesRecordedHash: true } });
    }
    expect(files.get('02-documents-signes/signatures.csv')!.toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(4);

    // R-ART28 R-ART31: accounts (with their lifecycle) and habilitations are those the API lists.
    const apiAccounts = await listed<{ id: string }>(w.dsi.auth, `/v1/contractors/${w.contractorId}/accounts`);
    const accounts = JSON.parse(files.get('03-comptes/comptes.json')!.toString('utf8'));
    expect(ids(accounts)).toEqual(ids(apiAccounts));
    expect(ids(accounts)).toEqual([alice.id, bruno.id].sort());
    const brunoLife = accounts.find((a: { id: string }) => a.id === bruno.id).lifecycle.map((t: { action: string; to: string; reason: string | null }) => [t.action, t.to]);
    expect(brunoLife).toEqual([
      ['account.requested', 'requested'], ['account.approved', 'approved'], ['account.activated', 'active'],
      ['account.suspended', 'suspended'], ['account.resumed', 'active'],
    ]);
    expect(accounts.find((a: { id: string }) => a.id === bruno.id).lifecycle[3]).toMatchObject({ reason: 'Absence prolongée', actor: { id: w.dsi.userId } });
    const apiScope = [
      ...await listed<{ id: string }>(w.dsi.auth, `/v1/accounts/${alice.id}/habilitations`),
      ...await listed<{ id: string }>(w.dsi.auth, `/v1/accounts/${bruno.id}/habilitations`),
    ];
    const scope = JSON.parse(files.get('04-habilitations/habilitations.json')!.toString('utf8'));
    expect(ids(scope)).toEqual(ids(apiScope));
    expect(scope[0]).toMatchObject({ resource: { id: pacs, name: 'PACS', criticality: 'high' }, status: 'approved', inForce: true });

    // R-ART36 R-ART42: the interventions the API lists, each report version, the session the journal linked.
    const apiWindows = await listed<{ id: string }>(w.dsi.auth, `/v1/interventions?contractorId=${w.contractorId}`);
    const windows = JSON.parse(files.get('06-interventions/interventions.json')!.toString('utf8'));
    expect(ids(windows)).toEqual(ids(apiWindows));
    expect(ids(windows)).toEqual([windowId]);
    expect(windows[0]).toMatchObject({ reportVersions: 2, sessions: 1, lifecycle: expect.arrayContaining([expect.objectContaining({ action: 'intervention.approved', actor: expect.objectContaining({ id: w.dsi.userId }) })]) });
    const reports = JSON.parse(files.get(`06-interventions/${windowId}/rapports.json`)!.toString('utf8'));
    expect(reports.map((r: { version: number; operations: string }) => [r.version, r.operations])).toEqual([[1, 'Mise à jour 7.2 du PACS'], [2, 'Mise à jour 7.2.1 du PACS']]);
    expect(JSON.parse(files.get(`06-interventions/${windowId}/connexions.json`)!.toString('utf8'))).toEqual([
      expect.objectContaining({ eventId: 'ev-alice', recordingRef: 'rec/ev-alice.cast', interventionId: windowId }),
    ]);

    // R-ART16-27: this company's derogation, not the other company's.
    const derogations = JSON.parse(files.get('07-derogations/derogations.json')!.toString('utf8'));
    expect(ids(derogations.contractor)).toEqual([derogationId]);
    expect(derogations.contractor[0].author).toMatchObject({ id: w.dsi.userId });
    expect(JSON.stringify(derogations)).not.toContain(otherDerogationId);

    // R-ART41: Bruno's connection without a window, as GET /v1/anomalies shows it.
    const anomalies = JSON.parse(files.get('08-anomalies/anomalies.json')!.toString('utf8'));
    const apiAnomalies = (await listed<{ id: string; contractorId: string }>(auditor.auth, '/v1/anomalies')).filter((a) => a.contractorId === w.contractorId);
    expect(anomalies).toEqual(apiAnomalies);
    expect(anomalies).toEqual([expect.objectContaining({ kind: 'outside_window', accountId: bruno.id })]);

    // R-ART34: the certified campaign, with the reviews library's own evidence.
    const campaigns = JSON.parse(files.get('05-revues/campagnes.json')!.toString('utf8'));
    expect(campaigns.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[reviewId, 'certified']]);
    const csv = await ctx.http.get(`/v1/reviews/${reviewId}/evidence?format=csv`).set(auditor.auth).expect(200);
    expect(files.get(`05-revues/${reviewId}/preuve.csv`)!.toString('utf8')).toBe(csv.text);
    expect(files.get(`05-revues/${reviewId}/synthese.html`)!.toString('utf8')).toContain('evid SAS');

    expect(manifest.counts).toMatchObject({ signatures: 3, accounts: 2, habilitations: 2, interventions: 1, reportVersions: 2, derogations: 1, anomalies: 1, reviews: 1, certifiedReviews: 1 });
  });

  it('R-AUD the audit extract holds this contractor\'s events only, each hash recomputes, the chain verifies, and the export is audited', async () => {
    const res = await download(auditor.auth).expect(200);
    const packId = res.headers['x-evidence-pack-id'];
    const files = await unzip(res.body as Buffer);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    const events = JSON.parse(files.get('10-journal-audit/evenements.json')!.toString('utf8')) as AuditEvent[];
    const verification = JSON.parse(files.get('10-journal-audit/verification.json')!.toString('utf8'));

    // Each event's hash is the SHA-256 of its canonical JSON without `hash` (README.txt, point 3).
    for (const { hash, ...content } of events) expect(sha256(canonical(content))).toBe(hash);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    expect(verification.chain).toMatchObject({ ok: true });
    expect(verification.extract).toMatchObject({ events: events.length, hashesRecomputed: events.length, mismatchedSeqs: [] });
    expect(manifest.auditChain).toMatchObject({ ok: true, checked: verification.chain.checked });
    expect((await ctx.http.get('/v1/audit-events/verify').set(auditor.auth).expect(200)).body.checked).toBeGreaterThanOrEqual(verification.chain.checked);

    // Only this contractor: its own objects, or events naming it.
    const scope = JSON.parse(files.get('04-habilitations/habilitations.json')!.toString('utf8')) as { id: string }[];
    const signatures = JSON.parse(files.get('02-documents-signes/signatures.json')!.toString('utf8')) as { id: string }[];
    const prestations = JSON.parse(files.get('01-prestataire/prestations.json')!.toString('utf8')) as { id: string }[];
    const contacts = JSON.parse(files.get('01-prestataire/contacts.json')!.toString('utf8')).current as { userId: string }[];
    const accountUsers = JSON.parse(files.get('03-comptes/comptes.json')!.toString('utf8')) as { userId: string }[];
    const mine = new Set([
      w.contractorId, alice.id, bruno.id, windowId, derogationId, reviewId, ...ids(scope), ...ids(signatures), ...ids(prestations),
      ...contacts.map((c) => c.userId), ...accountUsers.map((a) => a.userId),
    ]);
    for (const e of events) expect(mine.has(e.targetId!) || e.after?.contractorId === w.contractorId || e.before?.contractorId === w.contractorId).toBe(true);
    const text = JSON.stringify(events);
    expect(text).not.toContain(otherContractorId);
    expect(text).not.toContain(otherDerogationId);
    const actions = new Set(events.map((e) => e.action));
    for (const action of ['contractor.created', 'contractor.contacts_declared', 'signature.validated', 'account.suspended', 'habilitation.approved',
      'intervention.approved', 'report.corrected', 'derogation.granted', 'review.certified', 'contractor.evidence_requested']) {
      expect([action, actions.has(action)]).toEqual([action, true]);
    }
    expect(events.filter((e) => e.action === 'contractor.evidence_requested').map((e) => e.after?.packId)).toContain(packId);

    // The request, and the manifest's SHA-256 once the pack was complete, are in the trail.
    const trail = async (action: string) => (await ctx.http.get(`/v1/audit-events?action=${action}&targetId=${w.contractorId}`).set(w.dsi.auth).expect(200)).body.items;
    const requested = (await trail('contractor.evidence_requested')).find((e: { after: { packId: string } }) => e.after.packId === packId);
    expect(requested).toMatchObject({ actor: { type: 'user', id: auditor.userId }, target: { type: 'contractor', id: w.contractorId } });
    const sealed = (await trail('contractor.evidence_sealed')).find((e: { after: { packId: string } }) => e.after.packId === packId);
    expect(sealed.after).toEqual({ packId, manifestSha256: sha256(files.get('manifest.json')!), files: manifest.files.length });
  });

  it('R-AUD only the DSI, the RSSI and auditors of the tenant get it: another tenant 404, the contractor and a referent 403, a bad id 400', async () => {
    const dsiPack = await download(w.dsi.auth).expect(200);
    expect(JSON.parse((await unzip(dsiPack.body as Buffer)).get('manifest.json')!.toString('utf8')).generatedBy.userId).toBe(w.dsi.userId);
    await download(rssi.auth).expect(200);

    const other = await ctx.tenantWithDsi();
    const notFound = await ctx.http.get(`/v1/contractors/${w.contractorId}/evidence`).set(other.dsi.auth).expect(404);
    expect(notFound.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(notFound.body.code).toBe('NOT_FOUND');
    expect((await ctx.http.get(`/v1/contractors/${w.contractorId}/evidence`).set(w.securityContact.auth).expect(403)).body.code).toBe('FORBIDDEN');
    await ctx.http.get(`/v1/contractors/${w.contractorId}/evidence`).set(referent.auth).expect(403);
    await ctx.http.get(`/v1/contractors/${w.contractorId}/evidence`).expect(401);
    expect((await ctx.http.get('/v1/contractors/not-a-uuid/evidence').set(auditor.auth).expect(400)).headers['content-type']).toMatch(/problem\+json/);
    await ctx.http.get('/v1/contractors/00000000-0000-4000-8000-000000000000/evidence').set(auditor.auth).expect(404);
    // The OpenAPI document says what comes back and who may ask.
    const operation = (await ctx.http.get('/docs-json').expect(200)).body.paths['/v1/contractors/{id}/evidence'].get;
    expect(Object.keys(operation.responses['200'].content)).toEqual(['application/zip']);
    expect(operation.description).toMatch(/DSI, RSSI and auditors/);
    // Refused requests produce no pack, and nothing was audited for them.
    const [{ n }] = await ctx.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'contractor.evidence_requested' AND actor_id = ANY($1)`, [[other.dsi.userId, w.securityContact.userId, referent.userId]],
    );
    expect(Number(n)).toBe(0);
  });

  it('R-AUD R-ART2 the pack shows tampering: a changed audit row fails the verification, a changed stored PDF does not match its recorded hash', async () => {
    const t = await World.build(ctx, smtp, 'tamper');
    const tAuditor = await ctx.signIn((await ctx.createUser({ tenantId: t.tenantId, roles: [Role.Auditor] })).email);
    const [charter] = await listed<{ id: string; sha256: string }>(t.dsi.auth, `/v1/contractors/${t.contractorId}/signatures`);
    const [row] = await ctx.query<{ id: string; seq: string }>(
      `SELECT id, seq FROM audit_events WHERE tenant_id = $1 AND action = 'signature.validated' AND target_id = $2`, [t.tenantId, charter.id],
    );
    await ctx.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`);
    try {
      await ctx.query(`UPDATE audit_events SET after = '{"status":"rejected"}' WHERE id = $1`, [row.id]);
    } finally {
      await ctx.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`);
    }
    await ctx.query(`UPDATE files SET content = $2 WHERE sha256 = $1`, [charter.sha256, pdf('a forged charter')]);

    const files = await unzip((await download(tAuditor.auth, t.contractorId).expect(200)).body as Buffer);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.auditChain).toMatchObject({ ok: false, firstBrokenId: row.id, firstBrokenSeq: Number(row.seq) });
    expect(manifest.auditChain.extract.mismatchedSeqs).toEqual([Number(row.seq)]);
    const [signature] = JSON.parse(files.get('02-documents-signes/signatures.json')!.toString('utf8'));
    expect(signature).toMatchObject({ id: charter.id, recordedSha256: charter.sha256, file: { matchesRecordedHash: false } });
    expect(files.get(signature.file.path)!.equals(pdf('a forged charter'))).toBe(true);
  });

  it('R-AUD issue 16: the pack is named by the establishment\'s day (Europe/Paris), not by UTC\'s', async () => {
    // 23:30 UTC is 00:30 (winter) or 01:30 (summer) the next day in Paris.
    const day = (offsetDays: number, from: Date) => new Date(from.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const evening = new Date(`${day(1, ctx.clock.now())}T23:30:00Z`);
    await ctx.setClock(evening);
    const res = await download(auditor.auth).expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="preuves-evid-sas-${day(1, evening)}.zip"`);
  });
});
