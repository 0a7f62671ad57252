import { randomUUID } from 'node:crypto';
import { auditRecordOf, AuditRow, AuditView, chainHash, contentOf, Role } from '@app/core';
import { SignedIn, TestContext } from '@app/testing';
import type { Response } from 'supertest';
import { describeApi } from './support/describe-api';

type AuditItem = AuditView;

describeApi('R-AUD audit trail', { mail: false }, (rig) => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = rig.ctx;
  });

  const invite = (dsi: SignedIn, role = 'rssi') => ctx.http.post('/v1/users').set(dsi.auth)
    .send({ email: `${role}.${randomUUID().slice(0, 8)}@example.test`, firstName: 'Jeanne', lastName: 'Audit', roles: [role] });

  const chainRows = (tenantId: string) =>
    ctx.query<{ id: string; seq: string; action: string }>(`SELECT id, seq, action FROM audit_events WHERE chain_key = $1 ORDER BY seq`, [tenantId]);

  const verify = async (dsi: SignedIn) => (await ctx.http.get('/v1/audit-events/verify').set(dsi.auth).expect(200)).body;

  /** Runs SQL the application cannot: the append-only trigger off, then on again whatever happens. */
  async function asSuperuserBypassingTrigger(sql: string, params: unknown[]): Promise<void> {
    await ctx.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`);
    try {
      await ctx.query(sql, params);
    } finally {
      await ctx.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`);
    }
  }

  describe('R-AUD listing', () => {
    let tenantId: string;
    let dsi: SignedIn;
    const invited: string[] = [];
    const keys: string[] = [];

    beforeAll(async () => {
      ({ tenantId, dsi } = await ctx.tenantWithDsi());
      for (const role of ['rssi', 'auditor', 'referent']) invited.push((await invite(dsi, role).expect(201)).body.id);
      for (const name of ['Bastion', 'VPN']) {
        keys.push((await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name, scopes: ['decisions'] }).expect(201)).body.id);
      }
      await ctx.http.delete(`/v1/api-keys/${keys[0]}`).set(dsi.auth).expect(204);
    });

    it('R-AUD every state change is listed newest first with actor, action, target and before/after', async () => {
      const res = await ctx.http.get('/v1/audit-events').set(dsi.auth).expect(200);
      const items: AuditItem[] = res.body.items;
      expect(res.body.nextCursor).toBeNull();
      const rows = await chainRows(tenantId);
      expect(items).toHaveLength(rows.length);
      // Newest first: strictly decreasing seq, ending at 1.
      expect(items.map((e) => e.seq)).toEqual(rows.map((r) => Number(r.seq)).reverse());
      expect(items[items.length - 1].seq).toBe(1);

      // The actor and the target are also named as they are now (the console shows names, not ids).
      const actor = { type: 'user', id: dsi.userId, label: dsi.email, name: expect.any(String) };
      const target = (type: string, id: string, label: string) => ({ type, id, label });
      expect(items.slice(0, 6)).toEqual([
        expect.objectContaining({ action: 'api_key.revoked', actor, target: target('api_key', keys[0], 'Bastion'), before: { revokedAt: null } }),
        expect.objectContaining({ action: 'api_key.created', actor, target: target('api_key', keys[1], 'VPN') }),
        expect.objectContaining({ action: 'api_key.created', actor, target: target('api_key', keys[0], 'Bastion') }),
        expect.objectContaining({ action: 'user.invited', actor, target: target('user', invited[2], 'Jeanne Audit') }),
        expect.objectContaining({ action: 'user.invited', actor, target: { type: 'user', id: invited[1], label: expect.any(String) } }),
        expect.objectContaining({ action: 'user.invited', actor, target: { type: 'user', id: invited[0], label: expect.any(String) } }),
      ]);
      // R-AUD a kind of act is filtered by the action's group, without knowing the exact codes.
      const keysOnly = await ctx.http.get('/v1/audit-events').query({ actionGroup: 'api_key' }).set(dsi.auth).expect(200);
      expect(keysOnly.body.items.map((e: AuditItem) => e.action)).toEqual(['api_key.revoked', 'api_key.created', 'api_key.created']);
      await ctx.http.get('/v1/audit-events').query({ actionGroup: 'api_key.%' }).set(dsi.auth).expect(400);
      expect(items[0].after).toEqual({ revokedAt: expect.any(String) });
      expect(items[1].after).toMatchObject({ name: 'VPN', scopes: ['decisions'] });
      expect(items[3].after).toMatchObject({ firstName: 'Jeanne', lastName: 'Audit', roles: ['referent'], status: 'invited' });
      expect(items[5].before).toBeNull();
      for (const e of items) {
        expect(new Date(e.occurredAt).toISOString()).toBe(e.occurredAt);
        expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      }
      // The chain links each event to the one before.
      for (let i = 0; i < items.length - 1; i++) expect(items[i].prevHash).toBe(items[i + 1].hash);
      // No secret ever reaches the trail.
      expect(JSON.stringify(items)).not.toMatch(/password|secret|keyHash|key_hash|pgk_/i);
    });

    it('R-AUD cursor paging walks the whole trail, without overlap or gap', async () => {
      const first = await ctx.http.get('/v1/audit-events').query({ limit: 2 }).set(dsi.auth).expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await ctx.http.get('/v1/audit-events').query({ limit: 2, cursor: first.body.nextCursor }).set(dsi.auth).expect(200);
      expect(second.body.items[0].seq).toBe(first.body.items[1].seq - 1);

      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await ctx.http.get('/v1/audit-events').query(cursor ? { limit: 2, cursor } : { limit: 2 }).set(dsi.auth).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((e: AuditItem) => e.seq));
        cursor = page.body.nextCursor;
      } while (cursor);
      const total = (await chainRows(tenantId)).length;
      expect(seen).toEqual(Array.from({ length: total }, (_, i) => total - i));
    });

    it('R-AUD filters on action and on targetId (with paging)', async () => {
      const invitedEvents = await ctx.http.get('/v1/audit-events').query({ action: 'user.invited' }).set(dsi.auth).expect(200);
      expect(invitedEvents.body.items.map((e: AuditItem) => e.target.id)).toEqual([...invited].reverse());
      expect(invitedEvents.body.items.every((e: AuditItem) => e.action === 'user.invited')).toBe(true);

      const paged = await ctx.http.get('/v1/audit-events').query({ action: 'user.invited', limit: 2 }).set(dsi.auth).expect(200);
      expect(paged.body.items.map((e: AuditItem) => e.target.id)).toEqual([invited[2], invited[1]]);
      const rest = await ctx.http.get('/v1/audit-events').query({ action: 'user.invited', limit: 2, cursor: paged.body.nextCursor }).set(dsi.auth).expect(200);
      expect(rest.body.items.map((e: AuditItem) => e.target.id)).toEqual([invited[0]]);
      expect(rest.body.nextCursor).toBeNull();

      const key = await ctx.http.get('/v1/audit-events').query({ targetId: keys[0] }).set(dsi.auth).expect(200);
      expect(key.body.items.map((e: AuditItem) => e.action)).toEqual(['api_key.revoked', 'api_key.created']);

      const both = await ctx.http.get('/v1/audit-events').query({ targetId: keys[0], action: 'api_key.created' }).set(dsi.auth).expect(200);
      expect(both.body.items).toHaveLength(1);

      const byType = await ctx.http.get('/v1/audit-events').query({ targetType: 'api_key' }).set(dsi.auth).expect(200);
      expect(byType.body.items).toHaveLength(3);
      const byActor = await ctx.http.get('/v1/audit-events').query({ actorId: dsi.userId }).set(dsi.auth).expect(200);
      expect(byActor.body.items.every((e: AuditItem) => e.actor.id === dsi.userId)).toBe(true);

      const none = await ctx.http.get('/v1/audit-events').query({ action: 'nothing.happened' }).set(dsi.auth).expect(200);
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });

    it('R-AUD filters on a time range (from inclusive, to exclusive)', async () => {
      await ctx.advanceClock(3_600_000);
      const t1 = ctx.clock.now();
      const late = (await invite(dsi).expect(201)).body.id;
      await ctx.advanceClock(3_600_000);
      const t2 = ctx.clock.now();
      const later = (await invite(dsi).expect(201)).body.id;

      const since = await ctx.http.get('/v1/audit-events').query({ from: t1.toISOString() }).set(dsi.auth).expect(200);
      expect(since.body.items.map((e: AuditItem) => e.target.id)).toEqual([later, late]);
      const window = await ctx.http.get('/v1/audit-events').query({ from: t1.toISOString(), to: t2.toISOString() }).set(dsi.auth).expect(200);
      expect(window.body.items.map((e: AuditItem) => e.target.id)).toEqual([late]);
      const before = await ctx.http.get('/v1/audit-events').query({ to: t1.toISOString() }).set(dsi.auth).expect(200);
      expect(before.body.items.map((e: AuditItem) => e.target.id)).not.toContain(late);
      expect(before.body.items.length).toBeGreaterThanOrEqual(6);
    });

    it('R-AUD the DSI, the RSSI and auditors read the trail; a referent cannot', async () => {
      for (const role of [Role.Rssi, Role.Auditor]) {
        const user = await ctx.createUser({ tenantId, roles: [role] });
        const s = await ctx.signIn(user.email);
        await ctx.http.get('/v1/audit-events').set(s.auth).expect(200);
        expect((await ctx.http.get('/v1/audit-events/verify').set(s.auth).expect(200)).body.ok).toBe(true);
      }
      const referent = await ctx.createUser({ tenantId, roles: [Role.Referent] });
      const s = await ctx.signIn(referent.email);
      const res = await ctx.http.get('/v1/audit-events').set(s.auth).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await ctx.http.get('/v1/audit-events/verify').set(s.auth).expect(403);
    });

    it("R-AUD verify returns ok with checked equal to the number of rows of the tenant's chain", async () => {
      const result = await verify(dsi);
      const rows = await chainRows(tenantId);
      expect(result).toEqual({ ok: true, checked: rows.length });
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
      // The stored hashes are what the documented canonical content gives.
      const full = await ctx.query<AuditRow>(`SELECT * FROM audit_events WHERE chain_key = $1 ORDER BY seq`, [tenantId]);
      for (const row of full) expect(chainHash(contentOf(auditRecordOf(row)))).toBe(row.hash);
    });

    it('R-AUD the table is append-only for the application: UPDATE and DELETE fail', async () => {
      const [row] = await chainRows(tenantId);
      await expect(ctx.query(`UPDATE audit_events SET action = 'tampered' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
      await expect(ctx.query(`DELETE FROM audit_events WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
      const [after] = await ctx.query<{ action: string }>(`SELECT action FROM audit_events WHERE id = $1`, [row.id]);
      expect(after.action).toBe(row.action);
      expect((await verify(dsi)).ok).toBe(true);
    });
  });

  describe('R-AUD tampering is detected', () => {
    async function tenantWithEvents(n = 5): Promise<{ tenantId: string; dsi: SignedIn; rows: { id: string; seq: string }[] }> {
      const { tenantId, dsi } = await ctx.tenantWithDsi();
      for (let i = 0; i < n; i++) await invite(dsi).expect(201);
      const rows = await chainRows(tenantId);
      expect(rows.length).toBeGreaterThanOrEqual(n);
      expect(await verify(dsi)).toEqual({ ok: true, checked: rows.length });
      return { tenantId, dsi, rows };
    }

    it("R-AUD a row changed with plain SQL is reported by verify", async () => {
      const { dsi, rows } = await tenantWithEvents();
      const target = rows[3];
      await asSuperuserBypassingTrigger(
        `UPDATE audit_events SET after = jsonb_set(after, '{roles}', '["dsi"]') WHERE id = $1`, [target.id],
      );
      const [changed] = await ctx.query<{ after: { roles: string[] } }>(`SELECT after FROM audit_events WHERE id = $1`, [target.id]);
      expect(changed.after.roles).toEqual(['dsi']);
      // The trigger is back on.
      await expect(ctx.query(`UPDATE audit_events SET action = 'x' WHERE id = $1`, [target.id])).rejects.toThrow(/append-only/);

      const result = await verify(dsi);
      expect(result).toMatchObject({ ok: false, firstBrokenId: target.id, checked: 3 });
    });

    it('R-AUD a row changed with its own hash recomputed is still detected, by the next link', async () => {
      const { dsi, rows } = await tenantWithEvents();
      const target = rows[2];
      const [row] = await ctx.query<AuditRow>(`SELECT * FROM audit_events WHERE id = $1`, [target.id]);
      const forged = { ...row, after: { ...(row.after as object), roles: ['dsi'] } };
      await asSuperuserBypassingTrigger(`UPDATE audit_events SET after = $2, hash = $3 WHERE id = $1`, [
        target.id, JSON.stringify(forged.after), chainHash(contentOf(auditRecordOf(forged))),
      ]);
      const result = await verify(dsi);
      expect(result).toMatchObject({ ok: false, firstBrokenId: rows[3].id, checked: 3 });
    });

    it('R-AUD a deleted row in the middle of the chain is detected', async () => {
      const { dsi, rows } = await tenantWithEvents();
      const middle = Math.floor(rows.length / 2);
      await asSuperuserBypassingTrigger(`DELETE FROM audit_events WHERE id = $1`, [rows[middle].id]);
      const result = await verify(dsi);
      expect(result).toMatchObject({ ok: false, firstBrokenId: rows[middle + 1].id, checked: middle });
    });

    it('R-AUD a deleted last row is detected through the chain head', async () => {
      const { dsi, rows } = await tenantWithEvents(3);
      await asSuperuserBypassingTrigger(`DELETE FROM audit_events WHERE id = $1`, [rows[rows.length - 1].id]);
      const result = await verify(dsi);
      expect(result.ok).toBe(false);
      expect(result.checked).toBe(rows.length - 1);
    });

    it("R-AUD a row moved from another tenant's chain is detected", async () => {
      const victim = await tenantWithEvents(2);
      const other = await tenantWithEvents(2);
      const moved = other.rows[other.rows.length - 1];
      await asSuperuserBypassingTrigger(
        `UPDATE audit_events SET chain_key = $2, tenant_id = $2, seq = $3 WHERE id = $1`,
        [moved.id, victim.tenantId, victim.rows.length + 1],
      );
      await ctx.query(`UPDATE audit_heads SET last_seq = last_seq + 1 WHERE chain_key = $1`, [victim.tenantId]);
      const result = await verify(victim.dsi);
      expect(result).toMatchObject({ ok: false, firstBrokenId: moved.id });
    });
  });

  describe('R-AUD concurrency', () => {
    it('R-AUD 20 parallel state changes keep one gapless chain that verifies', async () => {
      const { tenantId, dsi } = await ctx.tenantWithDsi();
      const before = (await chainRows(tenantId)).length;
      const answers = await Promise.all(Array.from({ length: 20 }, () => invite(dsi)));
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));

      const rows = await chainRows(tenantId);
      expect(rows).toHaveLength(before + 20);
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
      const invitedIds = answers.map((r) => r.body.id).sort();
      const [{ ids }] = await ctx.query<{ ids: string[] }>(
        `SELECT array_agg(target_id ORDER BY target_id) AS ids FROM audit_events WHERE chain_key = $1 AND action = 'user.invited'`, [tenantId],
      );
      expect(ids).toEqual(invitedIds);
      const [head] = await ctx.query<{ last_seq: string }>(`SELECT last_seq FROM audit_heads WHERE chain_key = $1`, [tenantId]);
      expect(Number(head.last_seq)).toBe(rows.length);
      expect(await verify(dsi)).toEqual({ ok: true, checked: rows.length });
    });

    it('R-AUD parallel changes in two tenants whose chains do not exist yet keep both chains valid', async () => {
      // TOTP already enrolled: signing in records nothing, so the first events of each chain race each other.
      const fresh = async () => {
        const tenantId = await ctx.createTenant();
        const user = await ctx.createUser({ tenantId, roles: [Role.Dsi], enrolled: true });
        const dsi = await ctx.signIn(user.email);
        expect(await chainRows(tenantId)).toEqual([]);
        return { tenantId, dsi };
      };
      const a = await fresh();
      const b = await fresh();
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => invite(i % 2 ? a.dsi : b.dsi)));
      expect(answers.every((r) => r.status === 201)).toBe(true);
      for (const s of [a, b]) {
        const rows = await chainRows(s.tenantId);
        expect(rows).toHaveLength(10);
        expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
        expect(await verify(s.dsi)).toEqual({ ok: true, checked: rows.length });
      }
    });
  });
});
