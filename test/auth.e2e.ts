import { Role } from '@app/core';
import { TEST_PASSWORD, TestContext } from '@app/testing';
import { describeApi } from './support/describe-api';

const DAY = 86_400_000;

describeApi('R-ART28 sign-in with mandatory TOTP', { mail: false }, (rig) => {
  let ctx: TestContext;
  let tenantId: string;

  beforeAll(async () => {
    ctx = rig.ctx;
    tenantId = await ctx.createTenant();
  });

  const login = (email: string, password = TEST_PASSWORD) => ctx.http.post('/v1/auth/login').send({ email, password });

  it('R-ART28 first sign-in enrols TOTP, then issues tokens and 10 recovery codes', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Rssi] });
    const first = await login(user.email).expect(200);
    expect(first.body.next).toBe('enroll');

    // No token without the second factor.
    await ctx.http.get('/v1/me').set('Authorization', `Bearer ${first.body.mfaToken}`).expect(401);

    const enroll = await ctx.http.post('/v1/auth/mfa/enroll').send({ mfaToken: first.body.mfaToken }).expect(200);
    expect(enroll.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Prestagate:.*secret=/);
    expect(enroll.body.otpauthUrl).toContain(`secret=${enroll.body.secret}`);

    await ctx.http.post('/v1/auth/mfa/enroll/confirm').send({ mfaToken: first.body.mfaToken, code: '000000' }).expect(401);
    const confirm = await ctx.http.post('/v1/auth/mfa/enroll/confirm')
      .send({ mfaToken: first.body.mfaToken, code: await ctx.totp(enroll.body.secret) }).expect(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirm.body.recoveryCodes).size).toBe(10);

    const me = await ctx.http.get('/v1/me').set('Authorization', `Bearer ${confirm.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ email: user.email, roles: ['rssi'], mfaEnrolled: true, tenantId });
    expect(JSON.stringify(me.body)).not.toMatch(/hash|secret/i);

    // Next sign-in asks for a code, not a new enrollment.
    ctx.clock.advance(30_000);
    const second = await login(user.email).expect(200);
    expect(second.body.next).toBe('verify');
    await ctx.http.post('/v1/auth/mfa/enroll').send({ mfaToken: second.body.mfaToken }).expect(409);
    await ctx.http.post('/v1/auth/mfa/verify')
      .send({ mfaToken: second.body.mfaToken, code: await ctx.totp(enroll.body.secret) }).expect(200);

    // A recovery code works once.
    ctx.clock.advance(30_000);
    const third = await login(user.email).expect(200);
    const recoveryCode = confirm.body.recoveryCodes[0];
    await ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken: third.body.mfaToken, recoveryCode }).expect(200);
    const fourth = await login(user.email).expect(200);
    const reuse = await ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken: fourth.body.mfaToken, recoveryCode }).expect(401);
    expect(reuse.body.code).toBe('INVALID_TOTP');
  });

  it('R-ART28 a TOTP code already used cannot be replayed', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Dsi], enrolled: true });
    ctx.clock.advance(30_000);
    const code = await ctx.totp(user.totpSecret!);
    const a = await login(user.email).expect(200);
    await ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken: a.body.mfaToken, code }).expect(200);
    const b = await login(user.email).expect(200);
    const replay = await ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken: b.body.mfaToken, code }).expect(401);
    expect(replay.headers['content-type']).toContain('application/problem+json');
    expect(replay.body).toMatchObject({ status: 401, code: 'INVALID_TOTP' });
    // The next step's code is accepted.
    ctx.clock.advance(30_000);
    await ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken: b.body.mfaToken, code: await ctx.totp(user.totpSecret!) }).expect(200);
  });

  it('R-ART28 a TOTP secret this server cannot decrypt (data key changed) is a clear 409, not a 500 nor "wrong code"', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Dsi], enrolled: true });
    // Sealed under another key: same format, another authentication tag.
    await ctx.query(`UPDATE identities SET totp_secret_enc = regexp_replace(totp_secret_enc, '^(v1\\.[^.]+\\.)[^.]+', '\\1AAAAAAAAAAAAAAAAAAAAAA') WHERE id = (SELECT identity_id FROM users WHERE id = $1)`, [user.id]);
    ctx.clock.advance(30_000);
    const a = await login(user.email).expect(200);
    const res = await ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken: a.body.mfaToken, code: await ctx.totp(user.totpSecret!) }).expect(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 409, code: 'MFA_SECRET_UNREADABLE' });
    expect(res.body.detail).toMatch(/administrateur/);
  });

  it('R-ART28 five failures lock the account for 15 minutes: the right password gets the wrong password\'s answer meanwhile', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Referent], enrolled: true });
    for (let i = 0; i < 4; i++) {
      const r = await login(user.email, 'Wrong-password-1').expect(401);
      expect(r.body.code).toBe('INVALID_CREDENTIALS');
    }
    // The fifth failure is a wrong TOTP code after a right password: it counts too.
    const ok = await login(user.email).expect(200);
    await ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken: ok.body.mfaToken, code: '000000' }).expect(401);

    const locked = await login(user.email).expect(401);
    expect(locked.body).toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
    const [row] = await ctx.query<{ locked_until: Date }>(`SELECT locked_until FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`, [user.id]);
    expect(row.locked_until.getTime() - ctx.clock.now().getTime()).toBeGreaterThan(14 * 60_000);

    ctx.clock.advance(16 * 60_000);
    await login(user.email).expect(200);
    const audit = await ctx.query(`SELECT action FROM audit_events WHERE target_id = $1 AND action = 'user.locked'`, [user.id]);
    expect(audit).toHaveLength(1);
  });

  it('R-ART28 unknown e-mail and wrong password get the same answer', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Auditor] });
    const unknown = await login('nobody@example.test', 'Whatever-1234!').expect(401);
    const wrong = await login(user.email, 'Whatever-1234!').expect(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('R-ART28 refresh rotates; reusing a rotated refresh token revokes the whole session', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Dsi] });
    const s = await ctx.signIn(user.email);
    const r1 = await ctx.http.post('/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
    expect(r1.body.refreshToken).not.toBe(s.refreshToken);
    const r2 = await ctx.http.post('/v1/auth/refresh').send({ refreshToken: r1.body.refreshToken }).expect(200);
    await ctx.http.get('/v1/me').set('Authorization', `Bearer ${r2.body.accessToken}`).expect(200);

    const reuse = await ctx.http.post('/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    // Every token of the family is now dead: the newest refresh token and the access tokens.
    await ctx.http.post('/v1/auth/refresh').send({ refreshToken: r2.body.refreshToken }).expect(401);
    await ctx.http.get('/v1/me').set('Authorization', `Bearer ${r2.body.accessToken}`).expect(401);
    await ctx.http.get('/v1/me').set(s.auth).expect(401);
  });

  it('R-ART28 logout revokes the session at once', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Auditor] });
    const s = await ctx.signIn(user.email);
    await ctx.http.post('/v1/auth/logout').set(s.auth).expect(204);
    await ctx.http.get('/v1/me').set(s.auth).expect(401);
    await ctx.http.post('/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
  });

  it('R-ART28 an access token is refused once its 15 minutes are over, however long the process has run; refresh still works', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Referent] });
    // Issued well after this API started: expiry must be read on the clock of each request, not of the boot.
    ctx.clock.advance(3600_000);
    const s = await ctx.signIn(user.email);
    ctx.clock.advance(14 * 60_000);
    await ctx.http.get('/v1/me').set(s.auth).expect(200);
    ctx.clock.advance(61_000);
    const expired = await ctx.http.get('/v1/me').set(s.auth).expect(401);
    expect(expired.body.code).toBe('INVALID_TOKEN');
    const refreshed = await ctx.http.post('/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
    await ctx.http.get('/v1/me').set('Authorization', `Bearer ${refreshed.body.accessToken}`).expect(200);
  });

  it('R-ART28 a session ends 30 days after its sign-in: its refresh token is refused then, a new sign-in is needed', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Auditor] });
    const s = await ctx.signIn(user.email);
    ctx.clock.advance(30 * DAY - 5 * 60_000);
    const late = await ctx.http.post('/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
    await ctx.http.get('/v1/me').set('Authorization', `Bearer ${late.body.accessToken}`).expect(200);
    // Refreshing does not stretch the session: 30 days after the sign-in it is over, even for an access token of 5 minutes.
    ctx.clock.advance(5 * 60_000);
    expect((await ctx.http.get('/v1/me').set('Authorization', `Bearer ${late.body.accessToken}`).expect(401)).body.code).toBe('SESSION_ENDED');
    const ended = await ctx.http.post('/v1/auth/refresh').send({ refreshToken: late.body.refreshToken }).expect(401);
    expect(ended.body.code).toBe('SESSION_ENDED');
    await ctx.http.get('/v1/me').set((await ctx.signIn(user.email)).auth).expect(200);
  });

  it('R-ART28 the tests\' clients (ctx.advanceClock) refresh an expired token through the API, sign in again after the session, and never revive a revoked session', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Auditor] });
    const s = await ctx.signIn(user.email);
    const { auth } = s;
    const sessions = async () => (await ctx.query(`SELECT id FROM auth_sessions WHERE user_id = $1`, [user.id])).length;

    // Past the access token's 15 minutes: a refresh, in the same session, the same objects updated.
    const expired = s.accessToken;
    const spent = s.refreshToken;
    await ctx.advanceClock(16 * 60_000);
    expect(s.auth).toBe(auth);
    expect(s.refreshToken).not.toBe(spent);
    await ctx.http.get('/v1/me').set(auth).expect(200);
    expect((await ctx.http.get('/v1/me').set('Authorization', `Bearer ${expired}`).expect(401)).body.code).toBe('INVALID_TOKEN');
    expect(await sessions()).toBe(1);

    // Past the session's 30 days: a new sign-in.
    await ctx.advanceClock(31 * DAY);
    await ctx.http.get('/v1/me').set(auth).expect(200);
    expect(await sessions()).toBe(2);

    // Signed out: moving the clock does not sign the person back in.
    await ctx.http.post('/v1/auth/logout').set(auth).expect(204);
    const revoked = s.accessToken;
    await ctx.advanceClock(16 * 60_000);
    expect(s.accessToken).toBe(revoked);
    await ctx.http.get('/v1/me').set(auth).expect(401);
    expect(await sessions()).toBe(2);
  });

  it('R-ART28 a person suspended in the database loses API access on the next request', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Rssi] });
    const s = await ctx.signIn(user.email);
    await ctx.http.get('/v1/me').set(s.auth).expect(200);
    await ctx.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [user.id]);
    const cut = await ctx.http.get('/v1/me').set(s.auth).expect(401);
    expect(cut.body.code).toBe('SESSION_ENDED');
  });

  it('R-POL password change follows the tenant policy and closes the other sessions', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Dsi] });
    const a = await ctx.signIn(user.email);
    const b = await ctx.signIn(user.email);
    const weak = await ctx.http.post('/v1/auth/password').set(a.auth)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'short' }).expect(400);
    expect(weak.body.errors[0]).toMatchObject({ field: 'password' });
    expect(weak.body.errors[0].message).toContain('au moins 12 caractères');

    await ctx.http.post('/v1/auth/password').set(a.auth)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'Another-Strong-Pass-7' }).expect(204);
    await ctx.http.get('/v1/me').set(a.auth).expect(200);
    await ctx.http.get('/v1/me').set(b.auth).expect(401);
    await login(user.email).expect(401);
    await login(user.email, 'Another-Strong-Pass-7').expect(200);
  });

  it('R-ART28 a signed-in person without the role gets 403, without a token 401', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Referent] });
    const s = await ctx.signIn(user.email);
    const forbidden = await ctx.http.post('/v1/users').set(s.auth)
      .send({ email: 'x@example.test', firstName: 'X', lastName: 'Y', roles: ['rssi'] }).expect(403);
    expect(forbidden.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const anonymous = await ctx.http.get('/v1/users').expect(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
  });
});
