import { JobName, Role } from '@app/core';
import { JobRegistry } from '../apps/worker/src/job-registry';
import { bodyOf, eventually } from '@app/testing';
import { describeApi } from './support/describe-api';
import { BASE_DN, connectorFor, group, locked, memberOf, ROOT_PW, Slapd } from './support/slapd';

const LIMIT = 90_000;

/** R-PROV the hospital's directory kept in step, against a real OpenLDAP started for this file. */
describeApi('R-PROV the directory kept in step (OpenLDAP)', { world: 'prov' }, (rig) => {
  let slapd: Slapd;
  let pacs: string;
  let dpi: string;
  beforeAll(async () => {
    slapd = await Slapd.start(['pacs', 'dpi']);
    pacs = await rig.w.resource('PACS Annuaire');
    dpi = await rig.w.resource('DPI Annuaire');
  });
  afterAll(async () => slapd?.close());

  const connector = (extra: object = {}) => connectorFor(slapd, { [pacs]: 'pacs', [dpi]: 'dpi' }, extra);
  const entryWhen = (accountId: string, done: (e?: Record<string, string[]>) => boolean) => slapd.entryWhen(accountId, done);
  const membersWhen = (cn: string, done: (m: string[]) => boolean) => slapd.membersWhen(cn, done);
  const stateWhen = (accountId: string, done: (s: { state: string; groups: string[]; message: string | null }) => boolean) =>
    eventually(() => rig.ctx.http.get(`/v1/directory/accounts/${accountId}`).set(rig.w.dsi.auth).then((r) => r.body), done, LIMIT);

  it('R-PROV the DSI sets the connector (secret never shown, audited without it) and its test says in plain words what failed', async () => {
    const { ctx, w } = rig;
    await ctx.http.get('/v1/directory/connector').set(w.dsi.auth).expect(404);
    await ctx.http.put('/v1/directory/connector').set(w.securityContact.auth).send(connector()).expect(403);
    const clear = await ctx.http.put('/v1/directory/connector').set(w.dsi.auth).send(connector({ url: 'http://127.0.0.1:389' })).expect(400);
    expect(JSON.stringify(clear.body.errors)).toContain('url');
    await ctx.http.put('/v1/directory/connector').set(w.dsi.auth).send(connector({ bindSecret: 'wrong' })).expect(200);
    const wrong = await ctx.http.post('/v1/directory/connector/test').set(w.dsi.auth).expect(200);
    expect(wrong.body.ok).toBe(false);
    expect(wrong.body.steps.at(-1)).toMatchObject({ step: 'bind', ok: false, detail: expect.stringMatching(/credentials/i) });
    expect(wrong.body.steps.at(-1).detail).toMatch(/credentials/i);

    const saved = await ctx.http.put('/v1/directory/connector').set(w.dsi.auth).send(connector()).expect(200);
    expect(saved.body).toMatchObject({ hasBindSecret: true, hasCaCertificate: true, disableMode: 'openldap-lock' });
    expect(JSON.stringify(saved.body)).not.toContain(ROOT_PW);
    const audit = await ctx.query<{ after: object }>(`SELECT after FROM audit_events WHERE action = 'directory.connector_saved'`);
    expect(JSON.stringify(audit)).not.toContain(ROOT_PW);
    const [stored] = await ctx.query<{ bind_secret_enc: string }>(`SELECT bind_secret_enc FROM directory_connectors`);
    expect(stored.bind_secret_enc).not.toContain(ROOT_PW);
    const ok = await ctx.http.post('/v1/directory/connector/test').set(w.dsi.auth).expect(200);
    expect(ok.body).toEqual({ ok: true, steps: ['connect', 'bind', 'base', 'groups'].map((step) => ({ step, ok: true, detail: null })) });
  });

  it('R-PROV R-ART28 an account that becomes active gets its entry (nominative attributes) and the groups of its approved habilitations', async () => {
    const { ctx, w } = rig;
    const alice = await w.activeAccount('Alice', 'Annuaire');
    await w.habilitate(alice.id, pacs);
    const entry = await entryWhen(alice.id, (e) => e !== undefined);
    expect(entry).toMatchObject({ sn: ['Annuaire'], givenname: ['Alice'], mail: [alice.email], cn: ['Alice Annuaire'] });
    expect(locked(entry)).toBe(false);
    const dn = entry!.dn[0];
    expect(dn.toLowerCase()).toContain(BASE_DN);
    expect(memberOf(await membersWhen('pacs', (m) => memberOf(m, dn)), dn)).toBe(true);
    expect(memberOf(await slapd.members('dpi'), dn)).toBe(false);
    const state = await stateWhen(alice.id, (s) => s.state === 'in_step' && s.groups.length === 1);
    expect(state).toMatchObject({ state: 'in_step', enabled: true, groups: [group('pacs')], message: null });
  });

  it('R-PROV R-ART35 a departure disables the entry and removes its groups within a minute (delay measured)', async () => {
    const { ctx, w } = rig;
    const bruno = await w.activeAccount('Bruno', 'Depart');
    await w.habilitate(bruno.id, pacs);
    const entry = await entryWhen(bruno.id, (e) => e !== undefined);
    const dn = entry!.dn[0];
    await membersWhen('pacs', (m) => memberOf(m, dn));
    const started = Date.now();
    await ctx.http.post(`/v1/contractors/${w.contractorId}/departures`).set(w.securityContact.auth)
      .send({ firstName: 'Bruno', lastName: 'Depart', accountId: bruno.id, effectiveOn: w.today() }).expect(201);
    expect(locked(await entryWhen(bruno.id, locked))).toBe(true);
    const delay = Date.now() - started;
    console.log(`R-PROV departure reached the directory in ${delay} ms`);
    expect(delay).toBeLessThan(60_000);
    expect(memberOf(await membersWhen('pacs', (m) => !memberOf(m, dn)), dn)).toBe(false);
  });

  it('R-PROV R-ART31 R-ART28 a habilitation revoked by the DSI and a suspension leave the directory', async () => {
    const { ctx, w } = rig;
    const chloe = await w.activeAccount('Chloe', 'Revue');
    const h = await w.habilitate(chloe.id, dpi);
    const dn = (await entryWhen(chloe.id, (e) => e !== undefined))!.dn[0];
    await membersWhen('dpi', (m) => memberOf(m, dn));
    await ctx.http.post(`/v1/habilitations/${h}/revoke`).set(w.dsi.auth).send({ reason: 'Accès retiré par la revue' }).expect(200);
    expect(memberOf(await membersWhen('dpi', (m) => !memberOf(m, dn)), dn)).toBe(false);
    expect(locked(await slapd.entryOf(chloe.id))).toBe(false);
    await ctx.http.post(`/v1/accounts/${chloe.id}/suspend`).set(w.dsi.auth).send({ reason: 'Incident' }).expect(200);
    expect(locked(await entryWhen(chloe.id, locked))).toBe(true);
  });

  it('R-PROV a change the directory refuses: the account says failed with the directory\'s words, the DSI is e-mailed once', async () => {
    const { ctx, smtp, w } = rig;
    const radio = await w.resource('Radio Annuaire');
    const absent = { resourceId: radio, groupDn: group('absent') };
    const groups = [...(connector().groups as object[]), absent];
    await ctx.http.put('/v1/directory/connector').set(w.dsi.auth).send(connector({ bindSecret: undefined, groups })).expect(200);
    const hugo = await w.activeAccount('Hugo', 'Refus');
    await w.habilitate(hugo.id, radio);
    const failed = await stateWhen(hugo.id, (s) => s.state === 'failed');
    expect(failed.message).toMatch(/^refused: No Such Object \(LDAP result 32\)/);
    const [mail] = await smtp.waitForSubject(w.dsi.email, 'L\'annuaire a refusé une modification');
    expect(mail.subject).toContain('Hugo Refus');
    expect(bodyOf(mail.raw)).toContain('No Such Object');
    await eventually(() => ctx.query<{ attempts: number }>(`SELECT max(attempts)::int AS attempts FROM outbox WHERE job = 'directory.sync'
      AND payload->>'accountId' = $1`, [hugo.id]), ([row]) => row.attempts >= 3, LIMIT);
    expect(smtp.mails.filter((m) => m.subject.startsWith('L\'annuaire a refusé') && m.to.includes(w.dsi.email))).toHaveLength(1);
    await ctx.http.put('/v1/directory/connector').set(w.dsi.auth).send(connector({ bindSecret: undefined })).expect(200);
    expect((await stateWhen(hugo.id, (s) => s.state === 'in_step')).state).toBe('in_step');
  });

  it('R-PROV R-ART35 a hand-made drift is reported to the RSSI, then corrected once automatic correction is chosen', async () => {
    const { ctx, smtp, w } = rig;
    const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi] });
    const david = await w.activeAccount('David', 'Derive');
    const dn = (await entryWhen(david.id, (e) => e !== undefined))!.dn[0];
    // Every sync its activation queued (account activated, convention validated) is over: none undoes the hand-made change.
    await eventually(() => ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE job = 'directory.sync'
      AND delivered_at IS NULL AND payload->>'accountId' = $1`, [david.id]), ([row]) => row.n === 0, LIMIT);
    const bruno = (await ctx.query<{ id: string }>(`SELECT id FROM accounts WHERE last_name = 'Depart'`))[0];
    const brunoDn = (await slapd.entryOf(bruno.id))!.dn[0];
    const stranger = `uid=inconnu,${BASE_DN}`;
    await slapd.modify(`dn: ${stranger}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: inconnu\ncn: Inconnu\nsn: Inconnu`);
    await slapd.modify(`dn: ${group('dpi')}\nchangetype: modify\nadd: member\nmember: ${dn}`);
    await slapd.modify(`dn: ${brunoDn}\nchangetype: modify\ndelete: pwdAccountLockedTime`);

    const found = await ctx.http.post('/v1/directory/reconcile').set(w.dsi.auth).expect(200);
    const kinds = found.body.drifts.map((d: { kind: string; dn: string }) => `${d.kind} ${d.dn.toLowerCase()}`).sort();
    expect(kinds).toEqual([`enabled_inactive ${brunoDn.toLowerCase()}`, `group_without_habilitation ${dn.toLowerCase()}`,
      `unknown_entry ${stranger.toLowerCase()}`].sort());
    expect(found.body.corrected).toBe(0);
    const [mail] = await smtp.waitForSubject(rssi.email, 'Écarts dans l\'annuaire');
    expect(bodyOf(mail.raw)).toContain('inconnu');
    const listed = await ctx.http.get('/v1/directory/drifts?limit=10').set(w.dsi.auth).expect(200);
    expect(listed.body.items).toHaveLength(3);

    await ctx.http.put('/v1/directory/connector').set(w.dsi.auth).send(connector({ bindSecret: undefined, autoCorrect: true })).expect(200);
    const fixed = await ctx.http.post('/v1/directory/reconcile').set(w.dsi.auth).expect(200);
    expect(fixed.body.corrected).toBe(3);
    expect(locked(await slapd.entryOf(bruno.id))).toBe(true);
    expect(locked((await slapd.search(stranger, '(objectClass=*)', 'base'))[0])).toBe(true);
    expect(memberOf(await slapd.members('dpi'), dn)).toBe(false);
    expect((await ctx.http.post('/v1/directory/reconcile').set(w.dsi.auth).expect(200)).body).toEqual({ drifts: [], corrected: 0 });
    expect((await ctx.http.get('/v1/directory/drifts').set(w.dsi.auth).expect(200)).body.items).toHaveLength(0);
  });

  it('R-PROV R-ART35 R-ART28 with the directory down for a while, nothing is lost: the state says so, then everything lands', async () => {
    const { ctx, w } = rig;
    const emma = await w.activeAccount('Emma', 'Panne');
    await entryWhen(emma.id, (e) => e !== undefined);
    await slapd.stop();
    const felix = await w.activeAccount('Felix', 'Panne');
    await w.habilitate(felix.id, pacs);
    await ctx.http.post(`/v1/contractors/${w.contractorId}/departures`).set(w.securityContact.auth)
      .send({ firstName: 'Emma', lastName: 'Panne', accountId: emma.id, effectiveOn: w.today() }).expect(201);
    const waiting = await stateWhen(felix.id, (s) => s.state === 'failed');
    expect(waiting).toMatchObject({ state: 'failed' });
    expect(waiting.message).toMatch(/unreachable/);
    await new Promise((r) => setTimeout(r, 3000));
    await slapd.resume();
    expect(locked(await entryWhen(emma.id, locked))).toBe(true);
    const felixEntry = await entryWhen(felix.id, (e) => e !== undefined);
    expect(locked(felixEntry)).toBe(false);
    expect(memberOf(await membersWhen('pacs', (m) => memberOf(m, felixEntry!.dn[0])), felixEntry!.dn[0])).toBe(true);
    const state = await stateWhen(felix.id, (s) => s.state === 'in_step');
    expect(state.state).toBe('in_step');
  });

  it('R-PROV R-ART31 a habilitation that reaches its end date leaves the group on its own (the sweep), the entry stays enabled', async () => {
    const { ctx, w } = rig;
    const gina = await w.activeAccount('Gina', 'Echeance');
    await w.habilitate(gina.id, dpi, 'remote', w.today());
    const dn = (await entryWhen(gina.id, (e) => e !== undefined))!.dn[0];
    await membersWhen('dpi', (m) => memberOf(m, dn));
    await ctx.advanceClock(25 * 3600_000);
    await ctx.worker!.get(JobRegistry).dispatch(JobName.DirectorySweep, {}, { attempt: 1 });
    expect(memberOf(await membersWhen('dpi', (m) => !memberOf(m, dn)), dn)).toBe(false);
    expect(locked(await slapd.entryOf(gina.id))).toBe(false);
  });
});
