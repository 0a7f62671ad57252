import { randomUUID } from 'node:crypto';
import { Role } from '@app/core';
import { SignedIn, TestContext } from '@app/testing';
import type { Response } from 'supertest';
import { describeApi } from './support/describe-api';
import { expectProblem } from './support/problems';

interface Side {
  tenantId: string;
  dsi: SignedIn;
  userIds: string[];
  keyIds: string[];
}

describeApi('R-ART28 tenant isolation: a hospital user sees only its own tenant', { mail: false }, (rig) => {
  let ctx: TestContext;
  let a: Side;
  let b: Side;

  /** Walks every page of a list answer ({items, nextCursor}). */
  async function all<T>(path: string, auth: Record<string, string>, limit = 2): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 200; page++) {
      const res: Response = await ctx.http.get(path).query(cursor ? { limit, cursor } : { limit }).set(auth).expect(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (!cursor) return items;
    }
    throw new Error(`${path} never ended`);
  }

  async function side(label: string): Promise<Side> {
    const { tenantId, dsi } = await ctx.tenantWithDsi();
    const userIds = [dsi.userId];
    for (const role of ['rssi', 'auditor', 'referent']) {
      const res = await ctx.http.post('/v1/users').set(dsi.auth)
        .send({ email: `${role}.${label}.${randomUUID().slice(0, 8)}@example.test`, firstName: label, lastName: role, roles: [role] })
        .expect(201);
      userIds.push(res.body.id);
    }
    const direct = await ctx.createUser({ tenantId, roles: [Role.Rssi] });
    userIds.push(direct.id);
    const keyIds: string[] = [];
    for (const name of [`bastion ${label}`, `vpn ${label}`]) {
      const res = await ctx.http.post('/v1/api-keys').set(dsi.auth).send({ name, scopes: ['decisions'] }).expect(201);
      keyIds.push(res.body.id);
    }
    return { tenantId, dsi, userIds, keyIds };
  }

  /** A contractor company of the tenant (a row when the schema has contractors; otherwise just an id). */
  async function contractorOf(tenantId: string): Promise<string> {
    const [{ exists }] = await ctx.query<{ exists: boolean }>(`SELECT to_regclass('contractors') IS NOT NULL AS exists`);
    if (!exists) return randomUUID();
    const siret = String(Math.floor(Math.random() * 1e14)).padStart(14, '0');
    const [row] = await ctx.query<{ id: string }>(
      `INSERT INTO contractors (tenant_id, legal_name, siret, address) VALUES ($1, 'Infogérance SA', $2, '1 rue du Test, 72000 Le Mans') RETURNING id`,
      [tenantId, siret],
    );
    return row.id;
  }

  beforeAll(async () => {
    ctx = rig.ctx;
    a = await side('A');
    b = await side('B');
  });

  it("R-ART28 a DSI gets 404 on another tenant's user and API key, and the key stays valid", async () => {
    for (const id of b.userIds) {
      const res = await ctx.http.get(`/v1/users/${id}`).set(a.dsi.auth);
      expectProblem(res, 404, 'NOT_FOUND');
      // The same answer as for an id that exists nowhere: nothing tells the two apart.
      const none = await ctx.http.get(`/v1/users/${randomUUID()}`).set(a.dsi.auth);
      expect(res.body.detail).toBe(none.body.detail);
    }
    for (const id of b.keyIds) {
      const res = await ctx.http.delete(`/v1/api-keys/${id}`).set(a.dsi.auth);
      expectProblem(res, 404, 'NOT_FOUND');
    }
    const keys = await ctx.query<{ revoked_at: Date | null }>(`SELECT revoked_at FROM api_keys WHERE id = ANY($1)`, [b.keyIds]);
    expect(keys).toHaveLength(b.keyIds.length);
    expect(keys.every((k) => k.revoked_at === null)).toBe(true);
    // Their own people are visible to each.
    await ctx.http.get(`/v1/users/${a.userIds[1]}`).set(a.dsi.auth).expect(200);
    await ctx.http.get(`/v1/users/${b.userIds[1]}`).set(b.dsi.auth).expect(200);
  });

  it("R-ART28 GET /v1/users lists exactly the tenant's people, each once, across pages", async () => {
    for (const s of [a, b]) {
      const items = await all<{ id: string; tenantId: string }>('/v1/users', s.dsi.auth);
      const ids = items.map((u) => u.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(s.userIds));
      expect(items.every((u) => u.tenantId === s.tenantId)).toBe(true);
      const one = await ctx.http.get('/v1/users').set(s.dsi.auth).expect(200);
      expect(one.body.nextCursor).toBeNull();
      expect(one.body.items.map((u: { id: string }) => u.id).sort()).toEqual([...s.userIds].sort());
    }
  });

  it("R-ART28 GET /v1/audit-events of a tenant never contains an event of another tenant", async () => {
    const aEvents = await all<{ target: { id: string | null }; actor: { id: string | null } }>('/v1/audit-events', a.dsi.auth, 50);
    const bEvents = await all<{ target: { id: string | null }; actor: { id: string | null } }>('/v1/audit-events', b.dsi.auth, 50);
    // Each side has its invitations and keys recorded...
    const aTargets = new Set(aEvents.map((e) => e.target.id));
    for (const id of [...a.userIds.slice(1, 4), ...a.keyIds]) expect(aTargets).toContain(id);
    // ...and nothing of the other.
    const bIds = new Set([b.tenantId, ...b.userIds, ...b.keyIds]);
    const aIds = new Set([a.tenantId, ...a.userIds, ...a.keyIds]);
    expect(aEvents.filter((e) => bIds.has(e.target.id ?? '') || bIds.has(e.actor.id ?? ''))).toEqual([]);
    expect(bEvents.filter((e) => aIds.has(e.target.id ?? '') || aIds.has(e.actor.id ?? ''))).toEqual([]);
    // Filtering on the other tenant's target gives nothing either.
    const filtered = await ctx.http.get('/v1/audit-events').query({ targetId: b.userIds[1] }).set(a.dsi.auth).expect(200);
    expect(filtered.body.items).toEqual([]);
    // Each tenant verifies only its own chain.
    const [{ count }] = await ctx.query<{ count: string }>(`SELECT count(*) FROM audit_events WHERE tenant_id = $1`, [a.tenantId]);
    const verify = await ctx.http.get('/v1/audit-events/verify').set(a.dsi.auth).expect(200);
    expect(verify.body).toEqual({ ok: true, checked: Number(count) });
    expect(aEvents).toHaveLength(Number(count));
  });

  it("R-ART28 GET /v1/api-keys lists only the tenant's keys", async () => {
    for (const s of [a, b]) {
      const keys = await all<{ id: string }>('/v1/api-keys', s.dsi.auth, 1);
      expect(keys.map((k) => k.id).sort()).toEqual([...s.keyIds].sort());
    }
  });

  it('R-ART28 a contractor-side person gets 403 on the hospital lists and the audit trail', async () => {
    const contact = await ctx.createUser({ tenantId: a.tenantId, roles: [Role.SecurityContact], contractorId: await contractorOf(a.tenantId) });
    const s = await ctx.signIn(contact.email);
    for (const path of ['/v1/users', `/v1/users/${a.userIds[1]}`, '/v1/audit-events', '/v1/audit-events/verify', '/v1/api-keys', '/v1/tenant/policy']) {
      expectProblem(await ctx.http.get(path).set(s.auth), 403, 'FORBIDDEN');
    }
    expectProblem(await ctx.http.post('/v1/users').set(s.auth)
      .send({ email: `x.${randomUUID().slice(0, 6)}@example.test`, firstName: 'X', lastName: 'Y', roles: ['dsi'] }), 403, 'FORBIDDEN');
    // Its own profile is still readable.
    const me = await ctx.http.get('/v1/me').set(s.auth).expect(200);
    expect(me.body).toMatchObject({ id: contact.id, tenantId: a.tenantId, contractorId: expect.any(String) });
  });

  it('R-ART28 R-MEMB one e-mail is one person per establishment, under concurrent invitations', async () => {
    const email = `same.${randomUUID().slice(0, 8)}@example.test`;
    const invite = (e: string) => ctx.http.post('/v1/users').set(a.dsi.auth).send({ email: e, firstName: 'S', lastName: 'P', roles: ['referent'] });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => invite(i % 3 ? email : email.toUpperCase())));
    expect(answers.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const r of answers.filter((x) => x.status === 409)) expectProblem(r, 409, 'EMAIL_TAKEN');
    expect(await ctx.query(`SELECT id FROM users WHERE lower(email) = lower($1)`, [email])).toHaveLength(1);
  });

  describe('R-POL tenant creation by the platform admin', () => {
    let platform: SignedIn;

    beforeAll(async () => {
      const admin = await ctx.createUser({ tenantId: null, roles: [Role.PlatformAdmin] });
      platform = await ctx.signIn(admin.email);
    });

    const invitationLink = async (email: string): Promise<string> => {
      const rows = await ctx.query<{ link: string }>(
        `SELECT payload->'data'->>'link' AS link FROM outbox WHERE payload->'to'->>0 = $1 AND payload->>'template' = 'invitation'`,
        [email],
      );
      expect(rows).toHaveLength(1);
      return rows[0].link;
    };

    it("R-POL a tenant created with a preset gets the preset's policy, seen by its invited first DSI", async () => {
      const email = `first.dsi.${randomUUID().slice(0, 8)}@example.test`;
      const name = `CPTS Provence ${randomUUID().slice(0, 6)}`;
      const created = await ctx.http.post('/v1/tenants').set(platform.auth)
        .send({ name, preset: 'cpts-provence-sante', admin: { email, firstName: 'Claire', lastName: 'Durand' } })
        .expect(201);
      expect(created.body).toEqual({ id: expect.any(String), name, preset: 'cpts-provence-sante', adminId: expect.any(String) });

      const link = await invitationLink(email);
      expect(link.startsWith('https://prestagate.test/')).toBe(true);
      const token = new URL(link).searchParams.get('token');
      expect(token).toBeTruthy();

      const password = 'Provence-Sante-2024!';
      const accepted = await ctx.http.post('/v1/auth/invitations/accept').send({ token, password }).expect(200);
      expect(accepted.body).toMatchObject({ id: created.body.adminId, email, tenantId: created.body.id, roles: ['dsi'], status: 'active' });
      // The link is single-use.
      expectProblem(await ctx.http.post('/v1/auth/invitations/accept').send({ token, password }), 400, 'INVITATION_INVALID');

      const dsi = await ctx.signIn(email, password);
      const policy = await ctx.http.get('/v1/tenant/policy').set(dsi.auth).expect(200);
      expect(policy.body.password).toEqual({ minLength: 12, requireUpper: true, requireLower: true, requireDigit: true, requireSpecial: true });
      expect(policy.body.mfaRequired).toBe(true);

      // The new DSI sees its tenant only: the platform's own chain and the other tenants stay out of reach.
      const users = await ctx.http.get('/v1/users').set(dsi.auth).expect(200);
      expect(users.body.items.map((u: { id: string }) => u.id)).toEqual([created.body.adminId]);
      await ctx.http.get(`/v1/users/${a.dsi.userId}`).set(dsi.auth).expect(404);
      const audit = await ctx.http.get('/v1/audit-events').set(dsi.auth).expect(200);
      const actions = audit.body.items.map((e: { action: string }) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['tenant.created', 'user.invited', 'user.invitation_accepted']));
      expect(audit.body.items.every((e: { target: { id: string } }) =>
        [created.body.id, created.body.adminId].includes(e.target.id))).toBe(true);
    });

    it('R-POL an invitation accepted with a password breaking the preset policy is refused', async () => {
      const email = `weak.dsi.${randomUUID().slice(0, 8)}@example.test`;
      await ctx.http.post('/v1/tenants').set(platform.auth)
        .send({ name: `CPTS Weak ${randomUUID().slice(0, 6)}`, preset: 'cpts-provence-sante', admin: { email, firstName: 'W', lastName: 'K' } })
        .expect(201);
      const token = new URL(await invitationLink(email)).searchParams.get('token');
      const weak = await ctx.http.post('/v1/auth/invitations/accept').send({ token, password: 'alllowercaseletters' });
      expectProblem(weak, 400, 'VALIDATION_FAILED');
      expect(weak.body.errors[0].field).toBe('password');
      // Still usable with a good password.
      await ctx.http.post('/v1/auth/invitations/accept').send({ token, password: 'Strong-Enough-Pass-9' }).expect(200);
    });

    it('R-POL creating the same tenant name twice is a 409, also in another case and concurrently', async () => {
      const name = `CH Duplicate ${randomUUID().slice(0, 6)}`;
      const body = (n: string) => ({
        name: n, preset: 'chm', admin: { email: `dup.${randomUUID().slice(0, 8)}@example.test`, firstName: 'D', lastName: 'U' },
      });
      await ctx.http.post('/v1/tenants').set(platform.auth).send(body(name)).expect(201);
      const again = await ctx.http.post('/v1/tenants').set(platform.auth).send(body(name));
      expectProblem(again, 409, 'TENANT_EXISTS');
      expectProblem(await ctx.http.post('/v1/tenants').set(platform.auth).send(body(name.toUpperCase())), 409, 'TENANT_EXISTS');
      expect(await ctx.query(`SELECT id FROM tenants WHERE lower(name) = lower($1)`, [name])).toHaveLength(1);

      const raced = `CH Race ${randomUUID().slice(0, 6)}`;
      const answers = await Promise.all(Array.from({ length: 10 }, () => ctx.http.post('/v1/tenants').set(platform.auth).send(body(raced))));
      expect(answers.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      for (const r of answers.filter((x) => x.status === 409)) expectProblem(r, 409, 'TENANT_EXISTS');
      expect(await ctx.query(`SELECT id FROM tenants WHERE name = $1`, [raced])).toHaveLength(1);
    });

    it('R-POL an unknown preset is a 400', async () => {
      const res = await ctx.http.post('/v1/tenants').set(platform.auth)
        .send({ name: 'CH Unknown preset', preset: 'aphp', admin: { email: `u.${randomUUID().slice(0, 8)}@example.test`, firstName: 'U', lastName: 'P' } });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['preset']);
    });

    it('R-POL a DSI (or anyone but the platform admin) cannot create tenants', async () => {
      const body = { name: `CH Forbidden ${randomUUID().slice(0, 6)}`, preset: 'chm', admin: { email: `f.${randomUUID().slice(0, 8)}@example.test`, firstName: 'F', lastName: 'B' } };
      expectProblem(await ctx.http.post('/v1/tenants').set(a.dsi.auth).send(body), 403, 'FORBIDDEN');
      const rssi = await ctx.createUser({ tenantId: a.tenantId, roles: [Role.Rssi] });
      expectProblem(await ctx.http.post('/v1/tenants').set((await ctx.signIn(rssi.email)).auth).send(body), 403, 'FORBIDDEN');
      expectProblem(await ctx.http.post('/v1/tenants').send(body), 401);
      expect(await ctx.query(`SELECT id FROM tenants WHERE name = $1`, [body.name])).toHaveLength(0);
      expect(await ctx.query(`SELECT id FROM users WHERE email = $1`, [body.admin.email])).toHaveLength(0);
    });

    it('R-POL the platform admin sees the platform chain, not the tenants\' trails or people', async () => {
      const audit = await ctx.http.get('/v1/audit-events').set(platform.auth).expect(200);
      expect(audit.body.items.length).toBeGreaterThan(0);
      const actions = new Set(audit.body.items.map((e: { action: string }) => e.action));
      expect(actions).toContain('tenant.created');
      // Only the platform's own business: tenants created, and the platform admin's own sign-in events.
      expect(audit.body.items.filter((e: { action: string; target: { type: string; id: string } }) =>
        !(e.action === 'tenant.created' && e.target.type === 'tenant') && e.target.id !== platform.userId)).toEqual([]);
      const tenantSide = new Set([...a.userIds, ...a.keyIds, ...b.userIds, ...b.keyIds]);
      expect(audit.body.items.filter((e: { target: { id: string } }) => tenantSide.has(e.target.id))).toEqual([]);
      expectProblem(await ctx.http.get('/v1/users').set(platform.auth), 403, 'FORBIDDEN');
      const verify = await ctx.http.get('/v1/audit-events/verify').set(platform.auth).expect(200);
      expect(verify.body.ok).toBe(true);
    });
  });
});
