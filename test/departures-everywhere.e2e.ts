import { bodyOf, World } from '@app/testing';
import { describeApi } from './support/describe-api';
import { connectorFor, locked, Slapd } from './support/slapd';

/** R-MEMB R-ART35 the vendor declares once; every establishment where the person works for that company is protected. */
describeApi('R-MEMB R-ART35 R-PROV a departure reaches every establishment of the person and company, and their directories', {}, (rig) => {
  let a: World;
  let b: World;
  let other: World;
  let slapd: Slapd;
  const nameOf = async (w: World) => (await rig.ctx.query<{ name: string }>(`SELECT name FROM tenants WHERE id = $1`, [w.tenantId]))[0].name;
  const accountIn = async (w: World, email: string) => (await rig.ctx.query<{ id: string; status: string }>(
    `SELECT id, status FROM accounts WHERE tenant_id = $1 AND lower(email) = lower($2)`, [w.tenantId, email]))[0];
  const depart = (w: World, accountId: string, first: string, last: string) => rig.ctx.http.post(`/v1/contractors/${w.contractorId}/departures`)
    .set(w.securityContact.auth).send({ firstName: first, lastName: last, accountId, effectiveOn: w.today() });

  beforeAll(async () => {
    a = await World.build(rig.ctx, rig.smtp, 'pacsa');
    b = await World.build(rig.ctx, rig.smtp, 'pacsb', { siret: a.siret });
    other = await World.build(rig.ctx, rig.smtp, 'autre');
    // Establishment B keeps its OpenLDAP directory in step (R-PROV).
    slapd = await Slapd.start([]);
    await rig.ctx.http.put('/v1/directory/connector').set(b.dsi.auth).send(connectorFor(slapd, {})).expect(200);
  });
  afterAll(async () => slapd?.close());

  it('R-MEMB R-ART35 declared at one establishment: the same company elsewhere departs at once and says where it came from; another company keeps the person', async () => {
    const email = 'paul.vendeur@editeur-pacs.test';
    const inA = await a.activeAccount('Paul', 'Vendeur', email);
    const inB = await b.activeAccount('Paul', 'Vendeur', email);
    const inOther = await other.activeAccount('Paul', 'Vendeur', email);
    expect(locked(await slapd.entryWhen(inB.id, (e) => e !== undefined))).toBe(false);
    const started = Date.now();
    const declared = await depart(a, inA.id, 'Paul', 'Vendeur').expect(201);
    expect(declared.body).toMatchObject({ appliedAt: expect.any(String), originEstablishment: null });

    expect(await accountIn(b, email)).toEqual({ id: inB.id, status: 'deactivated' });
    expect(await accountIn(other, email)).toEqual({ id: inOther.id, status: 'active' });
    // B's directory entry is disabled too, within the minute R-PROV allows.
    expect(locked(await slapd.entryWhen(inB.id, locked))).toBe(true);
    console.log(`R-MEMB R-PROV a departure declared at A reached B's directory in ${Date.now() - started} ms`);
    expect(Date.now() - started).toBeLessThan(60_000);
    const listed = await rig.ctx.http.get(`/v1/contractors/${b.contractorId}/departures`).set(b.dsi.auth).expect(200);
    const origin = await nameOf(a);
    expect(listed.body.items).toEqual([expect.objectContaining({
      accountId: inB.id, firstName: 'Paul', lastName: 'Vendeur', effectiveOn: b.today(), appliedAt: expect.any(String), originEstablishment: origin,
    })]);
    // B's own audit trail and B's DSI say where it came from.
    const [audit] = await rig.ctx.query<{ actor_label: string }>(
      `SELECT actor_label FROM audit_events WHERE tenant_id = $1 AND action = 'departure.declared' AND target_id = $2`, [b.tenantId, inB.id]);
    expect(audit.actor_label).toBe(`departure declared at ${origin}`);
    const dsiEmail = (await rig.ctx.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [b.dsi.userId]))[0].email;
    const [mail] = await rig.smtp.waitForSubject(dsiEmail, 'Compte désactivé : Paul Vendeur');
    expect(bodyOf(mail.raw)).toContain(origin);
    // The person still works for the other company: signing in lands there.
    const again = await rig.ctx.signIn(email, 'Intervenant-Pass-42!');
    expect((await rig.ctx.http.get('/v1/me').set(again.auth).expect(200)).body.tenantId).toBe(other.tenantId);
  });

  it('R-MEMB R-INT the same person declared at both establishments at once: one declaration wins and reaches both, the other is told the account is closed', async () => {
    const email = 'lina.vendeur@editeur-pacs.test';
    const inA = await a.activeAccount('Lina', 'Vendeur', email);
    const inB = await b.activeAccount('Lina', 'Vendeur', email);
    const answers = await Promise.all([depart(a, inA.id, 'Lina', 'Vendeur'), depart(b, inB.id, 'Lina', 'Vendeur')]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await rig.ctx.query<{ account_id: string; origin: boolean }>(
      `SELECT account_id, origin_id IS NOT NULL AS origin FROM departures WHERE account_id IN ($1, $2) ORDER BY origin`, [inA.id, inB.id]);
    expect(rows.map((r) => r.origin)).toEqual([false, true]);
    expect(new Set(rows.map((r) => r.account_id))).toEqual(new Set([inA.id, inB.id]));
    expect(await accountIn(a, email)).toMatchObject({ status: 'deactivated' });
    expect(await accountIn(b, email)).toMatchObject({ status: 'deactivated' });
  });
});
