import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttp, Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role, Secrets } from '@app/core';
import { describeApi } from './support/describe-api';
import { IdpAccount, IDP_CLIENT_ID, IDP_CLIENT_SECRET, TestIdp } from './support/oidc-provider';

const REDIRECT = 'https://prestagate.test/v1/auth/sso/callback';
const DOMAIN = 'example.test';

/** A server on the loopback that is not an OpenID issuer: `https` with a self-signed certificate, or plain http answering 404. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'sso-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-days', '1', '-subj', '/CN=localhost'], { stdio: 'pipe' });
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}

/** R-SSO hospital staff sign in through their establishment's OpenID provider: a real one (oidc-provider) on its own port. */
describeApi('R-SSO sign-in through the establishment\'s OpenID provider', { world: 'sso' }, (rig) => {
  let idp: TestIdp;
  beforeAll(async () => {
    idp = await TestIdp.start(REDIRECT);
  });
  afterAll(async () => idp?.close());

  const settings = (extra: object = {}) => ({
    enabled: true, issuer: idp.issuer, clientId: IDP_CLIENT_ID, clientSecret: IDP_CLIENT_SECRET, emailDomains: [DOMAIN], mfaClaim: 'amr',
    ...extra,
  });
  const configure = (extra: object = {}) => rig.ctx.http.put('/v1/sso').set(rig.w.dsi.auth).send(settings(extra)).expect(200);
  const person = (roles: Role[] = [Role.Rssi], extra: object = {}) => rig.ctx.createUser({ tenantId: rig.w.tenantId, roles, enrolled: true, ...extra });
  const account = (email: string, extra: Partial<IdpAccount> = {}): IdpAccount => ({ sub: `sub-${email}`, email, amr: ['pwd', 'mfa'], ...extra });

  /** The proof each landing's browser kept from its start (the console keeps it in the tab's sessionStorage). */
  const proofs = new Map<string, string>();

  /** Start, the provider's sign-in, then the callback: where the browser is sent (a ticket, or the code of the refusal). */
  async function viaProvider(email: string, who: IdpAccount): Promise<URL> {
    const start = await rig.ctx.http.post('/v1/auth/sso/start').send({ email }).expect(200);
    idp.account = who;
    return back(start.body, await idp.signIn(start.body.authorizationUrl, REDIRECT));
  }
  async function back(start: { browserProof: string }, at: URL): Promise<URL> {
    const res = await rig.ctx.http.get(`/v1/auth/sso/callback${at.search}`).expect(302);
    const landing = new URL(res.headers.location);
    proofs.set(landing.href, start.browserProof);
    return landing;
  }
  const exchange = (landing: URL, proof = proofs.get(landing.href)) => rig.ctx.http.post('/v1/auth/sso/exchange')
    .send({ ticket: landing.searchParams.get('ticket'), browserProof: proof });

  it('R-SSO the DSI sets the provider (client secret encrypted, never shown nor audited); the test says what failed, step by step', async () => {
    const { ctx, w } = rig;
    await ctx.http.get('/v1/sso').set(w.dsi.auth).expect(404);
    await ctx.http.put('/v1/sso').set(w.securityContact.auth).send(settings()).expect(403);
    const clear = await ctx.http.put('/v1/sso').set(w.dsi.auth).send(settings({ issuer: 'http://idp.hopital.fr' })).expect(400);
    expect(clear.body.code).toBe('SSO_ISSUER_INSECURE');
    const first = await ctx.http.put('/v1/sso').set(w.dsi.auth).send(settings({ clientSecret: undefined })).expect(400);
    expect(first.body.code).toBe('SSO_SECRET_REQUIRED');
    const acr = await ctx.http.put('/v1/sso').set(w.dsi.auth).send(settings({ mfaClaim: 'acr' })).expect(400);
    expect(JSON.stringify(acr.body.errors)).toContain('mfaValues');

    const saved = await configure();
    expect(saved.body).toMatchObject({ hasClientSecret: true, mfaValues: ['mfa'], redirectUri: REDIRECT, emailDomains: [DOMAIN] });
    expect(JSON.stringify(saved.body)).not.toContain(IDP_CLIENT_SECRET);
    const audit = await ctx.query<{ after: object }>(`SELECT after FROM audit_events WHERE action = 'sso.provider_saved'`);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(IDP_CLIENT_SECRET);
    const [stored] = await ctx.query<{ client_secret_enc: string }>(`SELECT client_secret_enc FROM sso_providers`);
    expect(stored.client_secret_enc).not.toContain(IDP_CLIENT_SECRET);
    const ok = await ctx.http.post('/v1/sso/test').set(w.dsi.auth).expect(200);
    expect(ok.body).toEqual({ ok: true, steps: ['address', 'connect', 'tls', 'discovery', 'keys'].map((step) => ({ step, ok: true, detail: null })) });

    const notOpenId = createHttp((_req, res) => res.writeHead(404).end('Not Found'));
    const tls = createHttps(selfSigned(), (_req, res) => res.end('{}'));
    const closed = createHttp();
    const [plainPort, tlsPort, closedPort] = [await listen(notOpenId), await listen(tls), await listen(closed)];
    await new Promise((resolve) => closed.close(resolve));
    try {
      for (const [issuer, step] of [
        [`http://127.0.0.1:${closedPort}`, 'connect'], [`https://localhost:${tlsPort}`, 'tls'], [`http://127.0.0.1:${plainPort}`, 'discovery'],
      ]) {
        await ctx.http.put('/v1/sso').set(w.dsi.auth).send(settings({ issuer, clientSecret: undefined })).expect(200);
        const failed = await ctx.http.post('/v1/sso/test').set(w.dsi.auth).expect(200);
        expect({ issuer, ok: failed.body.ok, last: failed.body.steps.at(-1).step }).toEqual({ issuer, ok: false, last: step });
        expect(failed.body.steps.at(-1).detail).toBeTruthy();
      }
    } finally {
      notOpenId.close();
      tls.close();
    }
    await configure({ clientSecret: undefined });
    expect((await ctx.http.get('/v1/sso').set(w.dsi.auth).expect(200)).body.hasClientSecret).toBe(true);
  });

  it('R-SSO R-INT ten saves without a secret and one with a new one, at once: the new secret is kept, each save audited', async () => {
    const { ctx, w } = rig;
    const audited = async () => (await ctx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = 'sso.provider_saved'`, [w.tenantId]))[0].n;
    const before = await audited();
    const saves = [...Array.from({ length: 10 }, () => settings({ clientSecret: undefined })), settings({ clientSecret: 'nouveau-secret-du-client' })];
    const answers = await Promise.all(saves.map((body) => ctx.http.put('/v1/sso').set(w.dsi.auth).send(body)));
    expect(answers.map((r) => r.status)).toEqual(saves.map(() => 200));
    const [row] = await ctx.query<{ client_secret_enc: string }>(`SELECT client_secret_enc FROM sso_providers WHERE tenant_id = $1`, [w.tenantId]);
    expect(ctx.api.get(Secrets).decrypt(row.client_secret_enc)).toBe('nouveau-secret-du-client');
    expect(await audited()).toBe(before + 11);
    await configure();
  });

  it('R-SSO R-ART28 a DSI signs in through the provider: amr says mfa, so the session opens at once (audited with the method)', async () => {
    const { ctx } = rig;
    await configure({ clientSecret: undefined });
    const dsi = await person([Role.Dsi]);
    const start = await ctx.http.post('/v1/auth/sso/start').send({ email: dsi.email }).expect(200);
    const url = new URL(start.body.authorizationUrl);
    expect(url.origin).toBe(idp.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: IDP_CLIENT_ID, redirect_uri: REDIRECT, response_type: 'code', code_challenge_method: 'S256', login_hint: dsi.email,
    });
    idp.account = account(dsi.email);
    const answer = await idp.signIn(url.href, REDIRECT);
    const landing = await back(start.body, answer);
    expect(landing.origin + landing.pathname).toBe('https://prestagate.test/login');
    expect(landing.href).not.toMatch(/access|refresh|id_token/i);
    const tokens = await exchange(landing).expect(200);
    expect(tokens.body).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String), refreshToken: expect.any(String) });
    const me = await ctx.http.get('/v1/me').set('Authorization', `Bearer ${tokens.body.accessToken}`).expect(200);
    expect(me.body.email).toBe(dsi.email);
    const [audit] = await ctx.query<{ after: { method: string; secondFactor: string; amr: string[] } }>(
      `SELECT after FROM audit_events WHERE action = 'user.signed_in' AND target_id = $1`, [dsi.id]);
    expect(audit.after).toMatchObject({ method: 'sso', secondFactor: 'provider', amr: ['pwd', 'mfa'] });
    // The state was spent: the same answer of the provider, replayed, signs nobody in.
    const replay = await ctx.http.get(`/v1/auth/sso/callback${answer.search}`).expect(302);
    expect(new URL(replay.headers.location).searchParams.get('sso_error')).toBe('SSO_STATE_INVALID');
  });

  it('R-SSO R-MEMB a second factor attested by this establishment\'s provider stays here: another establishment asks for the TOTP', async () => {
    const { ctx } = rig;
    await configure({ clientSecret: undefined });
    const rssi = await person([Role.Rssi]);
    const elsewhere = await ctx.createUser({ tenantId: await ctx.createTenant(), roles: [Role.Auditor], email: rssi.email });
    const tokens = await exchange(await viaProvider(rssi.email, account(rssi.email))).expect(200);
    const auth = { Authorization: `Bearer ${tokens.body.accessToken}` };
    const listed = await ctx.http.get('/v1/me/memberships').set(auth).expect(200);
    expect(listed.body.find((m: { id: string }) => m.id === elsewhere.id)).toMatchObject({ needsTotp: true, current: false });
    const refused = await ctx.http.post('/v1/auth/switch').set(auth).send({ membershipId: elsewhere.id }).expect(403);
    expect(refused.body.code).toBe('SWITCH_NEEDS_TOTP');
    await ctx.http.get('/v1/me').set(auth).expect(200);
    // Signed in with the password and Prestagate's TOTP, the same person switches freely.
    const withTotp = await ctx.signIn(rssi.email);
    const other = (await ctx.http.get('/v1/me/memberships').set(withTotp.auth).expect(200)).body.find((m: { current: boolean }) => !m.current);
    expect(other.needsTotp).toBe(false);
    await ctx.http.post('/v1/auth/switch').set(withTotp.auth).send({ membershipId: other.id }).expect(200);
  });

  it('R-SSO R-ART28 without mfa in amr (or with acr not accepted), Prestagate\'s own TOTP follows the provider', async () => {
    const { ctx } = rig;
    const rssi = await person();
    const landing = await viaProvider(rssi.email, account(rssi.email, { amr: ['pwd'] }));
    const step = await exchange(landing).expect(200);
    expect(step.body).toEqual({ mfaToken: expect.any(String), next: 'verify' });
    const verified = await ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken: step.body.mfaToken, code: await ctx.totp(rssi.totpSecret!) }).expect(200);
    await ctx.http.get('/v1/me').set('Authorization', `Bearer ${verified.body.accessToken}`).expect(200);

    const fresh = await person([Role.Auditor], { enrolled: false });
    const enrol = await exchange(await viaProvider(fresh.email, account(fresh.email, { amr: ['pwd'] }))).expect(200);
    expect(enrol.body.next).toBe('enroll');

    await configure({ clientSecret: undefined, mfaClaim: 'acr', mfaValues: ['urn:hopital:mfa'] });
    const low = await viaProvider(rssi.email, account(rssi.email, { acr: 'urn:hopital:password' }));
    expect((await exchange(low).expect(200)).body.next).toBe('verify');
    const high = await viaProvider(rssi.email, account(rssi.email, { acr: 'urn:hopital:mfa', amr: ['pwd'] }));
    expect((await exchange(high).expect(200)).body.tokenType).toBe('Bearer');
    await configure({ clientSecret: undefined });
  });

  it('R-SSO an ID token with a wrong signature, issuer, audience or nonce, or expired, is refused (a valid one passes meanwhile)', async () => {
    const rssi = await person();
    const now = () => Math.floor(rig.ctx.clock.now().getTime() / 1000);
    const cases: [string, () => Promise<(t: string) => Promise<string>>][] = [
      ['the DSI\'s e-mail put in, signature kept', async () => async (t) => TestIdp.altered(t, (c) => { c.email = rig.w.dsi.email; })],
      ['signed by another key', () => idp.forged()],
      ['another issuer', async () => idp.resigned((c) => { c.iss = 'https://login.microsoftonline.com/other/v2.0'; })],
      ['another audience', async () => idp.resigned((c) => { c.aud = 'another-client'; })],
      ['another nonce', async () => idp.resigned((c) => { c.nonce = 'not-the-nonce-of-this-sign-in'; })],
      ['expired', async () => idp.resigned((c) => { c.iat = now() - 7200; c.exp = now() - 3600; })],
    ];
    try {
      for (const [name, tamper] of cases) {
        idp.tamper = await tamper();
        const landing = await viaProvider(rssi.email, account(rssi.email));
        expect({ name, error: landing.searchParams.get('sso_error'), ticket: landing.searchParams.get('ticket') })
          .toEqual({ name, error: 'SSO_TOKEN_INVALID', ticket: null });
      }
    } finally {
      idp.tamper = null;
    }
    expect(await rig.ctx.query(`SELECT 1 FROM sso_tickets WHERE user_id = $1`, [rssi.id])).toEqual([]);
    expect((await viaProvider(rssi.email, account(rssi.email))).searchParams.get('ticket')).toBeTruthy();
  });

  it('R-SSO no self-registration: an unknown or unverified e-mail, or another domain, is refused and nobody is created', async () => {
    const { ctx } = rig;
    const users = async () => (await ctx.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`))[0].n;
    const before = await users();
    const stranger = 'inconnu@example.test';
    expect((await viaProvider(stranger, account(stranger))).searchParams.get('sso_error')).toBe('SSO_UNKNOWN_PERSON');
    const rssi = await person();
    const unverified = await viaProvider(rssi.email, account(rssi.email, { emailVerified: false }));
    expect(unverified.searchParams.get('sso_error')).toBe('SSO_EMAIL_UNVERIFIED');
    const elsewhere = await viaProvider(rssi.email, account('rssi@clinique-voisine.fr'));
    expect(elsewhere.searchParams.get('sso_error')).toBe('SSO_DOMAIN_NOT_ALLOWED');
    expect(await users()).toBe(before + 1);
    expect(await ctx.query(`SELECT 1 FROM users WHERE email = $1`, [stranger])).toEqual([]);
    const nowhere = await ctx.http.post('/v1/auth/sso/start').send({ email: 'dsi@clinique-voisine.fr' }).expect(404);
    expect(nowhere.body.code).toBe('SSO_NOT_AVAILABLE');
  });

  it('R-SSO R-ART28 a suspended or deactivated person is refused after a successful sign-in at the provider (audited)', async () => {
    const { ctx } = rig;
    for (const status of ['suspended', 'deactivated']) {
      const referent = await person([Role.Referent]);
      // The status the people's services set; written here as they leave it.
      await ctx.query(`UPDATE users SET status = $2 WHERE id = $1`, [referent.id, status]);
      const landing = await viaProvider(referent.email, account(referent.email));
      expect(landing.searchParams.get('sso_error')).toBe('SSO_ACCOUNT_INACTIVE');
      const [refused] = await ctx.query<{ after: { reason: string } }>(
        `SELECT after FROM audit_events WHERE action = 'user.sso_refused' AND target_id = $1`, [referent.id]);
      expect(refused.after).toMatchObject({ reason: 'SSO_ACCOUNT_INACTIVE', status });
    }
  });

  it('R-SSO a contractor\'s person is refused unless the DSI allowed the company; then signs in through the provider too', async () => {
    const { ctx, w } = rig;
    await configure({ clientSecret: undefined, emailDomains: [DOMAIN, 'contractor.test'] });
    const email = w.securityContact.email;
    expect((await viaProvider(email, account(email))).searchParams.get('sso_error')).toBe('SSO_CONTRACTOR_NOT_ALLOWED');
    const unknown = await ctx.http.put('/v1/sso').set(w.dsi.auth)
      .send(settings({ clientSecret: undefined, contractorIds: ['3fa85f64-5717-4562-b3fc-2c963f66afa6'] })).expect(400);
    expect(unknown.body.code).toBe('SSO_UNKNOWN_CONTRACTOR');
    await configure({ clientSecret: undefined, emailDomains: [DOMAIN, 'contractor.test'], contractorIds: [w.contractorId] });
    const allowed = await viaProvider(email, account(email));
    expect((await exchange(allowed).expect(200)).body.tokenType).toBe('Bearer');
    await configure({ clientSecret: undefined });
  });

  it('R-SSO SSO disabled: the start refuses, a sign-in under way is refused at the callback, password + TOTP still work', async () => {
    const { ctx } = rig;
    const rssi = await person();
    const start = await ctx.http.post('/v1/auth/sso/start').send({ email: rssi.email }).expect(200);
    await configure({ clientSecret: undefined, enabled: false });
    idp.account = account(rssi.email);
    const late = await back(start.body, await idp.signIn(start.body.authorizationUrl, REDIRECT));
    expect(late.searchParams.get('sso_error')).toBe('SSO_DISABLED');
    expect((await ctx.http.post('/v1/auth/sso/start').send({ email: rssi.email }).expect(404)).body.code).toBe('SSO_NOT_AVAILABLE');
    const signedIn = await ctx.signIn(rssi.email);
    await ctx.http.get('/v1/me').set(signedIn.auth).expect(200);
    await configure({ clientSecret: undefined });
  });

  it('R-SSO R-INT a ticket is single use: of parallel exchanges exactly one opens a session; an unknown ticket is refused', async () => {
    const rssi = await person();
    const landing = await viaProvider(rssi.email, account(rssi.email));
    const answers = await Promise.all(Array.from({ length: 6 }, () => exchange(landing)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
    expect(answers.find((a) => a.status === 401)!.body.code).toBe('SSO_TICKET_INVALID');
    const sessions = await rig.ctx.query(`SELECT 1 FROM auth_sessions WHERE user_id = $1`, [rssi.id]);
    expect(sessions).toHaveLength(1);
    const unknown = new URL(`https://prestagate.test/login?ticket=${'x'.repeat(43)}`);
    expect((await exchange(unknown, 'y'.repeat(43)).expect(401)).body.code).toBe('SSO_TICKET_INVALID');
  });

  it('R-SSO R-INT login CSRF: a ticket sent to another browser (without the proof its start gave) opens nothing, and stays good for its own', async () => {
    const { ctx } = rig;
    const rssi = await person();
    const mine = await viaProvider(rssi.email, account(rssi.email));
    const other = await ctx.http.post('/v1/auth/sso/start').send({ email: rssi.email }).expect(200);
    expect(other.body.browserProof).not.toBe(proofs.get(mine.href));
    expect(JSON.stringify(Object.fromEntries(new URL(other.body.authorizationUrl).searchParams))).not.toContain(other.body.browserProof);
    expect((await exchange(mine, other.body.browserProof).expect(401)).body.code).toBe('SSO_TICKET_INVALID');
    expect((await exchange(mine).expect(200)).body.tokenType).toBe('Bearer');
  });

  it('R-SSO two establishments accept the same domain: the start asks which, then goes to the one chosen', async () => {
    const { ctx } = rig;
    const other = await ctx.tenantWithDsi();
    await ctx.http.put('/v1/sso').set(other.dsi.auth).send(settings()).expect(200);
    const rssi = await person();
    const ask = await ctx.http.post('/v1/auth/sso/start').send({ email: rssi.email }).expect(200);
    expect(ask.body.authorizationUrl).toBeNull();
    expect(ask.body.establishments.map((e: { tenantId: string }) => e.tenantId).sort()).toEqual([rig.w.tenantId, other.tenantId].sort());
    const chosen = await ctx.http.post('/v1/auth/sso/start').send({ email: rssi.email, tenantId: rig.w.tenantId }).expect(200);
    idp.account = account(rssi.email);
    const landing = await back(chosen.body, await idp.signIn(chosen.body.authorizationUrl, REDIRECT));
    expect(landing.searchParams.get('ticket')).toBeTruthy();
  });
});
