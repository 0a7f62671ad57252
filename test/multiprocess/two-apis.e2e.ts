import request from 'supertest';
import { localDate, Role } from '@app/core';
import { SmtpReceiver, TEST_PASSWORD, TestContext, World } from '@app/testing';
import { eventually, ProductProcess } from './support/processes';
import { Session, signInThrough } from './support/sign-in';

/**
 * Two API processes on one database: what one does, the other honours at once (sessions, departures, suspensions are
 * read from the database). The documented exception: a gateway key checked less than API_KEY_CACHE_MS ago.
 */
describe('Several API processes share sessions and cut access at once (R-ART28, R-ART35, R-ART36)', () => {
  jest.setTimeout(180_000);
  const API_KEY_CACHE_MS = 5000;
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let w: World;
  let a: ProductProcess;
  let b: ProductProcess;
  let key: string;
  let pacs: string;
  let dsi: Session;
  const accounts: Record<'alice' | 'bruno', { id: string; email: string; totpSecret: string }> = {} as never;

  const decide = (proc: ProductProcess, account: string, apiKey = key) =>
    request(proc.url).post('/v1/access-decisions').set('X-Api-Key', apiKey).send({ account, resource: pacs });
  const me = (proc: ProductProcess, session: Session) => request(proc.url).get('/v1/me').set(session.auth);
  const today = () => localDate(new Date(), 'Europe/Paris');

  beforeAll(async () => {
    smtp = await SmtpReceiver.start();
    ctx = await TestContext.start({ env: { SMTP_URL: smtp.url }, worker: true });
    // The world is prepared through an API in this process, on a clock two hours behind the real one, so that
    // every TOTP step used here is in the past for the real processes (a code is accepted once per step).
    ctx.clock.set(new Date(Date.now() - 2 * 3600_000));
    w = await World.build(ctx, smtp, 'twoapis');
    pacs = await w.resource('PACS Multi', 'pacs-multi');
    for (const [name, first] of [['alice', 'Alice'], ['bruno', 'Bruno']] as const) {
      const account = await w.activeAccount(first, 'Multi');
      await w.habilitate(account.id, pacs);
      accounts[name] = { id: account.id, email: account.email, totpSecret: account.holder.totpSecret };
    }
    // A window open now on the real clock, for both.
    await w.approvedWindow([accounts.alice.id, accounts.bruno.id], [pacs], new Date(Date.now() - 1800_000), new Date(Date.now() + 3 * 3600_000));
    key = await w.gatewayKey();
    await ctx.stopWorker();

    // The processes run with the production defaults of the caches (the in-process tests turn the decision cache off).
    const env = { ...ctx.env, DECISION_CACHE_MS: undefined, DECISION_FLUSH_MS: undefined, API_KEY_CACHE_MS: String(API_KEY_CACHE_MS) };
    [a, b] = await Promise.all([ProductProcess.start('api', env), ProductProcess.start('api', env)]);
    dsi = await signInThrough(a.url, w.dsi.email, TEST_PASSWORD, w.dsi.totpSecret);
  });

  afterAll(async () => {
    await ProductProcess.stopAll();
    await ctx?.close();
    await smtp?.stop();
  });

  it('R-ART28 a session opened through one process is valid on the other; its refresh and its end apply on both', async () => {
    const rssi = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Rssi], enrolled: true });
    const session = await signInThrough(a.url, rssi.email, TEST_PASSWORD, rssi.totpSecret!);
    expect((await me(b, session).expect(200)).body).toMatchObject({ id: rssi.id, email: rssi.email });

    // The refresh token rotates through B; presenting the used one again through A revokes the whole session.
    const rotated = (await request(b.url).post('/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200)).body;
    const next: Session = { ...rotated, auth: { Authorization: `Bearer ${rotated.accessToken}` } };
    await me(a, next).expect(200);
    const reused = await request(a.url).post('/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
    expect(reused.body.code).toBe('REFRESH_TOKEN_REUSED');
    expect((await me(b, next).expect(401)).body.code).toBe('SESSION_ENDED');
    expect((await me(a, session).expect(401)).body.code).toBe('SESSION_ENDED');

    // Signing out through one process ends the session on the other at the next request.
    const auditor = await ctx.createUser({ tenantId: w.tenantId, roles: [Role.Auditor], enrolled: true });
    const other = await signInThrough(b.url, auditor.email, TEST_PASSWORD, auditor.totpSecret!);
    await me(a, other).expect(200);
    await request(b.url).post('/v1/auth/logout').set(other.auth).expect(204);
    expect((await me(a, other).expect(401)).body.code).toBe('SESSION_ENDED');
  });

  it('R-ART35 a departure today declared through one process cuts access through the other at once: 401 and a denied decision', async () => {
    const alice = await signInThrough(b.url, accounts.alice.email, 'Intervenant-Pass-42!', accounts.alice.totpSecret);
    await me(b, alice).expect(200);
    // B has checked the key and the contractor's standing (both cached there) and allows.
    expect((await decide(b, accounts.alice.email).expect(200)).body).toMatchObject({ decision: 'allow', reasons: [] });

    const contact = await signInThrough(a.url, w.contacts.securityContact.email, 'Contractor-Pass-42!', w.securityContact.totpSecret);
    const departure = await request(a.url).post(`/v1/contractors/${w.contractorId}/departures`).set(contact.auth)
      .send({ firstName: 'Alice', lastName: 'Multi', accountId: accounts.alice.id, effectiveOn: today() }).expect(201);
    expect(departure.body.appliedAt).not.toBeNull();

    // No wait: the very next request through B.
    expect((await me(b, alice).expect(401)).body.code).toBe('SESSION_ENDED');
    const denied = (await decide(b, accounts.alice.email).expect(200)).body;
    expect(denied.decision).toBe('deny');
    expect(denied.reasons).toContain('ACCOUNT_DEACTIVATED');
    // And A, which declared it, of course.
    expect((await decide(a, accounts.alice.id).expect(200)).body.reasons).toContain('ACCOUNT_DEACTIVATED');
  });

  it('R-ART28 R-ART36 a suspension through one process applies at once through the other; the resumption too', async () => {
    const bruno = await signInThrough(a.url, accounts.bruno.email, 'Intervenant-Pass-42!', accounts.bruno.totpSecret);
    await me(a, bruno).expect(200);
    expect((await decide(a, accounts.bruno.id).expect(200)).body.decision).toBe('allow');

    await request(b.url).post(`/v1/accounts/${accounts.bruno.id}/suspend`).set(dsi.auth).send({ reason: 'Poste compromis' }).expect(200);
    expect((await me(a, bruno).expect(401)).body.code).toBe('SESSION_ENDED');
    expect((await decide(a, accounts.bruno.id).expect(200)).body).toMatchObject({ decision: 'deny', reasons: ['ACCOUNT_SUSPENDED'] });

    await request(b.url).post(`/v1/accounts/${accounts.bruno.id}/resume`).set(dsi.auth).expect(200);
    expect((await decide(a, accounts.bruno.id).expect(200)).body).toMatchObject({ decision: 'allow', reasons: [] });
  });

  it('R-ART10 ending the contractor\'s last prestation through one process denies its accounts through the other at once', async () => {
    // B allows, with the contractor's standing (a running prestation) in its cache.
    expect((await decide(b, accounts.bruno.id).expect(200)).body.decision).toBe('allow');
    const [prestation] = (await request(a.url).get(`/v1/contractors/${w.contractorId}/prestations`).set(dsi.auth).expect(200)).body.items;
    await request(a.url).post(`/v1/prestations/${prestation.id}/end`).set(dsi.auth).send({ reason: 'Fin du marché' }).expect(200);
    // The accounts were deactivated in the same commit, and B reads the account's state in its SQL.
    expect((await decide(b, accounts.bruno.id).expect(200)).body).toMatchObject({ decision: 'deny', reasons: expect.arrayContaining(['ACCOUNT_DEACTIVATED']) });
  });

  it('R-ART36 a revoked API key is refused at once by the process that revoked it, and by the others within API_KEY_CACHE_MS', async () => {
    const created = (await request(a.url).post('/v1/api-keys').set(dsi.auth).send({ name: 'bastion-2', scopes: ['decisions'] }).expect(201)).body;
    // Both processes have checked the key (and now trust it for API_KEY_CACHE_MS).
    await decide(a, accounts.bruno.id, created.key).expect(200);
    await decide(b, accounts.bruno.id, created.key).expect(200);

    await request(a.url).delete(`/v1/api-keys/${created.id}`).set(dsi.auth).expect(204);
    const revokedAt = Date.now();
    expect((await decide(a, accounts.bruno.id, created.key).expect(401)).body.code).toBe('INVALID_API_KEY');
    // docs/architecture.md "Several processes": B may accept the revoked key only for calls sent before
    // revokedAt + API_KEY_CACHE_MS, measured on the sending side whatever the machine's load.
    const acceptedSentAt: number[] = [];
    await eventually('process B to refuse the revoked key', async () => {
      const sentAt = Date.now();
      const { status } = await decide(b, accounts.bruno.id, created.key);
      if (status === 200) acceptedSentAt.push(sentAt);
      return status === 401 ? true : undefined;
    }, API_KEY_CACHE_MS + 5000, 100);
    expect(acceptedSentAt.filter((sentAt) => sentAt >= revokedAt + API_KEY_CACHE_MS)).toEqual([]);
  });
});
