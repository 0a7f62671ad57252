import type { Response } from 'supertest';
import { Role } from '@app/core';
import { bodyOf, SignedIn, SmtpReceiver, TEST_PASSWORD, TestContext } from '@app/testing';
import { describeApi } from '../support/describe-api';

const PARALLEL = 19;
const LOCK_SUBJECT = 'Votre compte est temporairement verrouillé';

/** What a client can tell apart: status, content type and body, the request id aside. */
function answer(res: Response): object {
  const { requestId: _id, instance: _instance, ...body } = res.body;
  return { status: res.status, type: res.headers['content-type'], body };
}

function tally(responses: Response[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of responses) counts[`${r.status} ${r.body.code ?? ''}`.trim()] = (counts[`${r.status} ${r.body.code ?? ''}`.trim()] ?? 0) + 1;
  return counts;
}

/**
 * R-ART28 R-INT the lockout and the second factor under parallel requests: a counter of failures that
 * every attempt moves (one statement), an `mfaToken` that opens one session, one answer at sign-in
 * whatever the account's state. Real PostgreSQL, Redis, worker and SMTP receiver.
 */
describeApi('R-ART28 R-INT lockout and mfaToken under parallel requests', {}, (rig) => {
  let smtp: SmtpReceiver;
  let ctx: TestContext;
  let tenantId: string;
  let dsi: SignedIn;

  beforeAll(async () => {
    ({ ctx, smtp } = rig);
    ({ tenantId, dsi } = await ctx.tenantWithDsi());
  });

  const login = (email: string, password = TEST_PASSWORD) => ctx.http.post('/v1/auth/login').send({ email, password });
  const verify = (mfaToken: string, body: object) => ctx.http.post('/v1/auth/mfa/verify').send({ mfaToken, ...body });
  const stored = async (userId: string) => (await ctx.query<{ failed_attempts: number; locked: boolean; sessions: number; locks: number }>(
    `SELECT failed_attempts, locked_until > $2 AS locked,
            (SELECT count(*)::int FROM auth_sessions WHERE user_id = u.id) AS sessions,
            (SELECT count(*)::int FROM audit_events WHERE target_id = u.id::text AND action = 'user.locked') AS locks
       FROM users u JOIN identities i ON i.id = u.identity_id WHERE u.id = $1`, [userId, ctx.clock.now()],
  ))[0];
  /** The lock e-mails the person received, once the worker delivered everything queued. */
  const lockMails = async (email: string) => {
    await ctx.outboxDelivered(tenantId);
    return smtp.to(email).filter((m) => m.subject.startsWith(LOCK_SUBJECT));
  };
  const wrongCode = async (secret: string) => ((Number(await ctx.totp(secret)) + 1) % 1_000_000).toString().padStart(6, '0');
  /** A person who enrolled through the API: their TOTP secret and ten recovery codes. */
  const enrolled = async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Referent] });
    ctx.clock.advance(30_000);
    const { mfaToken } = (await login(user.email).expect(200)).body;
    const { secret } = (await ctx.http.post('/v1/auth/mfa/enroll').send({ mfaToken }).expect(200)).body;
    const confirm = await ctx.http.post('/v1/auth/mfa/enroll/confirm').send({ mfaToken, code: await ctx.totp(secret) }).expect(200);
    return { ...user, secret: secret as string, recoveryCodes: confirm.body.recoveryCodes as string[] };
  };

  it('R-ART28 R-INT 19 wrong TOTP codes sent in parallel on one mfaToken lock the account once: one audit event, one e-mail, the right password refused afterwards', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Referent], enrolled: true });
    ctx.clock.advance(30_000);
    const { mfaToken } = (await login(user.email).expect(200)).body;
    const code = await wrongCode(user.totpSecret!);

    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => verify(mfaToken, { code })));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(PARALLEL);
    expect(await stored(user.id)).toMatchObject({ failed_attempts: 0, locked: true, sessions: 0, locks: 1 });

    // The lock revoked the step: even the right code opens nothing.
    expect((await verify(mfaToken, { code: await ctx.totp(user.totpSecret!) })).status).toBe(401);
    expect((await login(user.email).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
    const mails = await lockMails(user.email);
    expect(mails).toHaveLength(1);
    expect(bodyOf(mails[0].raw)).toContain('même avec le bon mot de passe');
  });

  it('R-ART28 R-INT 19 wrong passwords sent in parallel lock the account once, and the right password gets the same answer as a wrong one while it lasts', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Referent], enrolled: true });
    const answers = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => login(user.email, `Wrong-password-${i}`)));
    expect(tally(answers)).toEqual({ [`401 INVALID_CREDENTIALS`]: PARALLEL });
    expect(await stored(user.id)).toMatchObject({ failed_attempts: 0, locked: true, locks: 1 });
    expect(await lockMails(user.email)).toHaveLength(1);

    expect(answer(await login(user.email))).toEqual(answer(answers[0]));
    await ctx.advanceClock(16 * 60_000);
    await login(user.email).expect(200);
  });

  it('R-ART28 R-INT eight wrong current passwords sent in parallel on POST /v1/auth/password lock the account; while locked, the right one is refused alike', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Referent] });
    const s = await ctx.signIn(user.email);
    const change = (currentPassword: string) => ctx.http.post('/v1/auth/password').set(s.auth)
      .send({ currentPassword, newPassword: 'Another-Strong-Pass-7' });

    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => change(`Not-my-password-${i}`)));
    expect(tally(answers)).toEqual({ '400 INVALID_CREDENTIALS': 8 });
    expect(await stored(user.id)).toMatchObject({ locked: true, locks: 1 });
    expect(answer(await change(TEST_PASSWORD))).toEqual(answer(answers[0]));
    expect((await login(user.email).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
    expect(await lockMails(user.email)).toHaveLength(1);
  });

  it('R-ART28 one answer at sign-in for an unknown e-mail, a wrong password, and a locked account with a wrong or the right password', async () => {
    const existing = await ctx.createUser({ tenantId, roles: [Role.Auditor] });
    const locked = await ctx.createUser({ tenantId, roles: [Role.Auditor] });
    await ctx.query(`UPDATE identities SET locked_until = $2 WHERE id = (SELECT identity_id FROM users WHERE id = $1)`, [locked.id, new Date(ctx.clock.now().getTime() + 15 * 60_000)]);

    const unknown = answer(await login('nobody.at.all@example.test', 'Wrong-password-1'));
    expect(unknown).toMatchObject({ status: 401, body: { code: 'INVALID_CREDENTIALS' } });
    expect(answer(await login(existing.email, 'Wrong-password-1'))).toEqual(unknown);
    expect(answer(await login(locked.email, 'Wrong-password-1'))).toEqual(unknown);
    expect(answer(await login(locked.email))).toEqual(unknown);
    // Nobody but the locked person learns of the lock: no e-mail for an attempt during it.
    expect(await lockMails(locked.email)).toHaveLength(0);
  });

  it('R-ART28 R-INT an mfaToken opens one session: after a successful verify, neither the next code nor a recovery code opens another', async () => {
    const user = await enrolled();
    ctx.clock.advance(30_000);
    const { mfaToken } = (await login(user.email).expect(200)).body;
    await verify(mfaToken, { code: await ctx.totp(user.secret) }).expect(200);

    ctx.clock.advance(30_000);
    expect((await verify(mfaToken, { code: await ctx.totp(user.secret) }).expect(401)).body.code).toBe('INVALID_MFA_TOKEN');
    expect((await verify(mfaToken, { recoveryCode: user.recoveryCodes[0] }).expect(401)).body.code).toBe('INVALID_MFA_TOKEN');
    // The enrolment's session and this one; the refused recovery code still works with a new sign-in.
    expect((await stored(user.id)).sessions).toBe(2);
    await verify((await login(user.email).expect(200)).body.mfaToken, { recoveryCode: user.recoveryCodes[0] }).expect(200);
  });

  it('R-ART28 R-INT ten verifies of one mfaToken sent in parallel with ten valid recovery codes open exactly one session and spend one code', async () => {
    const user = await enrolled();
    ctx.clock.advance(30_000);
    const { mfaToken } = (await login(user.email).expect(200)).body;
    const answers = await Promise.all(user.recoveryCodes.map((recoveryCode) => verify(mfaToken, { recoveryCode })));
    expect(tally(answers)).toEqual({ 200: 1, '401 INVALID_MFA_TOKEN': 9 });
    const [row] = await ctx.query<{ used: number }>(`SELECT count(*)::int AS used FROM recovery_codes WHERE identity_id = (SELECT identity_id FROM users WHERE id = $1) AND used_at IS NOT NULL`, [user.id]);
    expect({ sessions: (await stored(user.id)).sessions, usedCodes: row.used }).toEqual({ sessions: 2, usedCodes: 1 });
  });

  it('R-ART28 R-INT an mfaToken issued before a password change, or before a TOTP reset, opens nothing after it', async () => {
    const user = await ctx.createUser({ tenantId, roles: [Role.Referent] });
    const s = await ctx.signIn(user.email);
    ctx.clock.advance(30_000);
    const before = (await login(user.email).expect(200)).body.mfaToken;
    await ctx.http.post('/v1/auth/password').set(s.auth).send({ currentPassword: TEST_PASSWORD, newPassword: 'Another-Strong-Pass-7' }).expect(204);
    expect((await verify(before, { code: await ctx.totp(s.totpSecret) }).expect(401)).body.code).toBe('INVALID_MFA_TOKEN');

    ctx.clock.advance(30_000);
    const beforeReset = (await login(user.email, 'Another-Strong-Pass-7').expect(200)).body.mfaToken;
    await ctx.http.post(`/v1/users/${user.id}/mfa/reset`).set(dsi.auth).send({ reason: 'Téléphone perdu' }).expect(200);
    const [mail] = await smtp.waitForSubject(user.email, 'Votre second facteur (TOTP) a été réinitialisé');
    const enrolmentLink = /&enrolment=([\w-]+)/.exec(bodyOf(mail.raw))![1];
    expect((await ctx.http.post('/v1/auth/mfa/enroll').send({ mfaToken: beforeReset, enrolmentLink }).expect(401)).body.code).toBe('INVALID_MFA_TOKEN');
    expect((await stored(user.id)).sessions).toBe(1);
  });
});
