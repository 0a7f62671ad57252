import { generateKeyPairSync, verify as verifySignature } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { auditRecordOf, AuditRow, chainHash, contentOf, JobName } from '@app/core';
import { BATCH_CONTENT_HASH_SQL, batchHash } from '@app/journal';
import { SignedIn, TestContext } from '@app/testing';
import { JobRegistry } from '../apps/worker/src/job-registry';

/** Every table whose rows are evidence, and what the application may still do to it (append, and move a chain's head). */
const EVIDENCE: { table: string; update: boolean }[] = [
  { table: 'audit_events', update: false },
  { table: 'audit_heads', update: true },
  { table: 'intervention_reports', update: false },
  { table: 'files', update: false },
  { table: 'journal_batches', update: false },
  { table: 'journal_heads', update: true },
  { table: 'connection_events', update: false },
];

// First: a worker started with `logger: false` (below) silences Nest's shared logger for the apps started after it in this process.
describe('R-INT a single DATABASE_URL (the owner) keeps working and says once that evidence is not protected', () => {
  const started = async (asOwner: boolean) => {
    const lines: string[] = [];
    const ctx = await TestContext.start({ asOwner, env: { LOG_LEVEL: 'warn' }, logDestination: { write: (line) => void lines.push(line) } });
    try {
      const { dsi } = await ctx.tenantWithDsi();
      await ctx.http.get('/v1/audit-events/verify').set(dsi.auth).expect(200);
    } finally {
      await ctx.close();
    }
    return lines.filter((l) => l.includes("Evidence is not protected"));
  };

  it('R-INT connected as the owner: one warning at start; as the application role: none', async () => {
    const warnings = await started(true);
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, msg: expect.stringContaining('DATABASE_OWNER_URL') });
    expect(await started(false)).toEqual([]);
  });
});

describe('R-INT R-AUD evidence the application role cannot rewrite', () => {
  const keys = generateKeyPairSync('ed25519');
  const checkpointDir = mkdtempSync(join(tmpdir(), 'prestagate-checkpoints-'));
  let ctx: TestContext;
  let app: Client;
  let tenantId: string;
  let dsi: SignedIn;
  let gatewayKey: string;
  const month = () => ctx.clock.now().toISOString().slice(0, 7);
  const partition = () => `connection_events_y${month().replace('-', 'm')}`;

  beforeAll(async () => {
    // The API only verifies (public key); the worker holds the signing key, as in production.
    ctx = await TestContext.start({
      env: { EVIDENCE_PUBLIC_KEYS: keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), EVIDENCE_CHECKPOINT_DIR: checkpointDir },
    });
    await ctx.startWorker({ EVIDENCE_SIGNING_KEY: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() });
    app = new Client({ connectionString: ctx.env.DATABASE_URL });
    await app.connect();
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
    gatewayKey = (await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name: 'bastion', scopes: ['connections'] }).expect(201)).body.key;
  });
  afterAll(async () => {
    await app?.end();
    await ctx?.close();
    rmSync(checkpointDir, { recursive: true, force: true });
  });

  const ingest = (eventId: string) => ctx.http.post('/v1/connection-events').set('X-Api-Key', gatewayKey).send([{
    eventId, account: 'jean.martin@contractor.test', resource: 'pacs', sourceIp: '192.0.2.10',
    startedAt: ctx.clock.now().toISOString(), outcome: 'success',
  }]).expect(200);
  const signCheckpoints = () => ctx.worker!.get(JobRegistry).dispatch(JobName.EvidenceCheckpoint, {}, { attempt: 1 });
  const checkpointLines = () => readFileSync(join(checkpointDir, `${tenantId}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const refusal = (sql: string) => app.query(sql).then(() => null, (e: { code: string; message: string }) => ({ code: e.code, message: e.message }));

  it('R-INT R-AUD as the application role, UPDATE, DELETE, TRUNCATE and DISABLE TRIGGER on every evidence table are permission errors', async () => {
    await ingest('perm-1');
    const tables = [...EVIDENCE, { table: partition(), update: false }];
    for (const { table, update } of tables) {
      const column = table === 'files' ? 'content_type' : table.endsWith('heads') ? 'last_hash' : table === 'intervention_reports' ? 'operations' : table.startsWith('connection_events') ? 'source_ip' : 'hash';
      const attempts = [
        ...(update ? [] : [`UPDATE ${table} SET ${column} = ${column}`]),
        `DELETE FROM ${table}`, `TRUNCATE ${table} CASCADE`, `ALTER TABLE ${table} DISABLE TRIGGER ALL`,
      ];
      for (const sql of attempts) {
        const refused = await refusal(sql);
        expect({ sql, refused }).toEqual({ sql, refused: { code: '42501', message: expect.stringMatching(/permission denied|must be owner/) } });
      }
    }
    // Not the partitions' owner either: a month cannot be dropped around the retention.
    expect(await refusal(`DROP TABLE ${partition()}`)).toEqual({ code: '42501', message: expect.stringContaining('must be owner') });
    expect((await ctx.query(`SELECT 1 FROM connection_events WHERE event_id = 'perm-1'`))).toHaveLength(1);
  });

  it('R-INT R-ART41 the retention functions the application may call never delete what is younger than the legal floor', async () => {
    await ingest('floor-1');
    const [purged] = (await app.query(`SELECT * FROM journal_purge_before($1, now() + interval '1 day', now())`, [tenantId])).rows;
    expect(purged).toEqual({ events: 0, batches: 0 });
    expect(await refusal(`SELECT * FROM journal_drop_month('${month()}', now())`)).toMatchObject({ message: expect.stringContaining('legal retention floor') });
    expect((await ctx.query(`SELECT 1 FROM connection_events WHERE event_id = 'floor-1'`))).toHaveLength(1);
  });

  it('R-INT R-AUD TRUNCATE of an evidence table is refused to the owner too', async () => {
    for (const { table } of [...EVIDENCE, { table: partition() }]) {
      await expect(ctx.query(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(`${table} holds evidence: TRUNCATE is refused`);
    }
  });

  it('R-INT R-AUD an audit trail rewritten by the owner after a checkpoint is reported by verify, naming the checkpoint', async () => {
    await ctx.http.post('/v1/users').set(dsi.auth).send({ email: 'rssi.rewrite@example.test', firstName: 'Jeanne', lastName: 'Preuve', roles: ['rssi'] }).expect(201);
    await signCheckpoints();
    const signed = checkpointLines().filter((c) => c.chain === 'audit').at(-1);
    const before = (await ctx.http.get('/v1/audit-events/verify').set(dsi.auth).expect(200)).body;
    expect(before).toMatchObject({ ok: true, checkpoint: { at: signed.at, seq: signed.seq, hash: signed.hash, matches: true } });

    // With every right of the owner: trigger off, an actor changed, every later hash and the head recomputed.
    await ctx.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`);
    try {
      await ctx.query(`UPDATE audit_events SET actor_label = 'someone else' WHERE chain_key = $1 AND seq = 1`, [tenantId]);
      let prev: string | undefined;
      for (const row of await ctx.query<AuditRow>(`SELECT * FROM audit_events WHERE chain_key = $1 ORDER BY seq`, [tenantId])) {
        const content = { ...contentOf(auditRecordOf(row)), prevHash: prev ?? row.prev_hash };
        prev = chainHash(content);
        await ctx.query(`UPDATE audit_events SET prev_hash = $2, hash = $3 WHERE id = $1`, [row.id, content.prevHash, prev]);
      }
      await ctx.query(`UPDATE audit_heads SET last_hash = $2 WHERE chain_key = $1`, [tenantId, prev]);
    } finally {
      await ctx.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`);
    }

    const after = (await ctx.http.get('/v1/audit-events/verify').set(dsi.auth).expect(200)).body;
    expect(after).toMatchObject({ ok: false, checkpoint: { at: signed.at, seq: signed.seq, hash: signed.hash, matches: false } });
  });

  it('R-INT R-ART41 a journal rewritten by the owner after a checkpoint is reported by verify, naming the checkpoint', async () => {
    await ingest('rewrite-1');
    await signCheckpoints();
    const signed = checkpointLines().filter((c) => c.chain === 'journal').at(-1);
    expect((await ctx.http.get('/v1/connection-events/verify').set(dsi.auth).expect(200)).body).toMatchObject({ ok: true, checkpoint: { seq: signed.seq, matches: true } });

    // The owner changes an event, then reseals its batch and every batch after it, and moves the head.
    await ctx.query(`UPDATE connection_events SET source_ip = '203.0.113.66' WHERE event_id = 'rewrite-1'`);
    let prev: string | undefined;
    for (const b of await ctx.query<{ id: string; seq: string; prev_hash: string; sealed_at: Date }>(`SELECT * FROM journal_batches WHERE tenant_id = $1 ORDER BY seq`, [tenantId])) {
      const [content] = await ctx.query<{ content_hash: string; event_count: number }>(BATCH_CONTENT_HASH_SQL, [b.id, tenantId]);
      const prevHash = prev ?? b.prev_hash;
      prev = batchHash({ tenantId, seq: Number(b.seq), contentHash: content.content_hash, eventCount: content.event_count, prevHash, sealedAt: new Date(b.sealed_at).toISOString() });
      await ctx.query(`UPDATE journal_batches SET content_hash = $2, prev_hash = $3, hash = $4 WHERE id = $1`, [b.id, content.content_hash, prevHash, prev]);
    }
    await ctx.query(`UPDATE journal_heads SET last_hash = $2 WHERE tenant_id = $1`, [tenantId, prev]);

    const after = (await ctx.http.get('/v1/connection-events/verify').set(dsi.auth).expect(200)).body;
    expect(after).toMatchObject({ ok: false, checkpoint: { at: signed.at, seq: signed.seq, hash: signed.hash, matches: false } });
  });

  it('R-INT each checkpoint line is signed with the Ed25519 key outside the database; an altered line is not', async () => {
    await signCheckpoints();
    const lines = checkpointLines();
    expect(lines.map((c) => c.chain).sort()).toEqual(expect.arrayContaining(['audit', 'journal']));
    const text = (c: { tenantId: string; chain: string; seq: number; hash: string; at: string; keyId: string }) =>
      Buffer.from(`prestagate-checkpoint-v1\n${JSON.stringify([c.tenantId, c.chain, c.seq, c.hash, c.at, c.keyId])}`);
    for (const c of lines) {
      expect(c).toMatchObject({ tenantId, seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String) });
      expect(verifySignature(null, text(c), keys.publicKey, Buffer.from(c.signature, 'base64'))).toBe(true);
    }
    const forged = { ...lines[0], hash: '0'.repeat(64) };
    expect(verifySignature(null, text(forged), keys.publicKey, Buffer.from(forged.signature, 'base64'))).toBe(false);
  });
});
